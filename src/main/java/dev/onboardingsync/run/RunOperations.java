package dev.onboardingsync.run;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import dev.onboardingsync.onboarding.PersonalDataRetention;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The operator's commands, from the same jar as the job, for the configured company:
 * {@code runs list [n]}, {@code runs show <run>}, {@code runs restart <run>},
 * {@code runs abandon <run>}.
 */
class RunOperations {

	static final String NAME = "runs";

	private static final String USAGE = "Use: runs list [how many, 20 by default] | runs show <run> | runs restart <run>"
			+ " | runs abandon <run>";

	private final NamedParameterJdbcTemplate jdbc;

	private final RunLauncher launcher;

	private final String companyId;

	private final PersonalDataRetention retention;

	RunOperations(NamedParameterJdbcTemplate jdbc, RunLauncher launcher, String companyId,
			PersonalDataRetention retention) {
		this.jdbc = jdbc;
		this.launcher = launcher;
		this.companyId = companyId;
		this.retention = retention;
	}

	/** @return the exit code */
	ExitCodes execute(List<String> arguments, PrintStream out) throws Exception {
		String command = arguments.isEmpty() ? "" : arguments.get(0);
		switch (command) {
			case "list" -> {
				list((arguments.size() > 1) ? number(arguments.get(1), "how many") : 20, out);
				return ExitCodes.SUCCESS;
			}
			case "show" -> {
				show(run(arguments), out);
				return ExitCodes.SUCCESS;
			}
			case "restart" -> {
				JobExecution execution = this.launcher.restart(run(arguments));
				out.printf("Run %d: execution %d ended %s%n", execution.getJobInstance().getInstanceId(),
						execution.getId(), execution.getStatus());
				return ExitCodes.of(execution);
			}
			case "abandon" -> {
				JobExecution execution = this.launcher.abandon(run(arguments));
				this.retention.clear();
				out.printf("Run %d abandoned (execution %d); the same command now starts a new run%n",
						execution.getJobInstance().getInstanceId(), execution.getId());
				return ExitCodes.SUCCESS;
			}
			default -> throw new BadConfigurationException("Unknown operator command '" + String.join(" ", arguments)
					+ "'. " + USAGE);
		}
	}

	private void list(long limit, PrintStream out) {
		List<Map<String, Object>> runs = this.jdbc.queryForList("""
				SELECT i.job_instance_id AS run, i.job_name AS job, e.job_execution_id AS execution, e.status,
				       to_char(e.start_time, 'YYYY-MM-DD HH24:MI:SS') AS started,
				       to_char(e.end_time, 'YYYY-MM-DD HH24:MI:SS') AS ended,
				       (SELECT parameter_value FROM batch_job_execution_params p
				         WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = 'mode') AS mode,
				       (SELECT parameter_value FROM batch_job_execution_params p
				         WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = 'runKey') AS run_key,
				       s.rows_read AS rows, s.accounts_created AS created,
				       (SELECT parameter_value FROM batch_job_execution_params p
				         WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = 'input') AS input
				FROM batch_job_instance i
				JOIN batch_job_execution e ON e.job_execution_id =
				     (SELECT max(job_execution_id) FROM batch_job_execution WHERE job_instance_id = i.job_instance_id)
				LEFT JOIN reporting.run_summary s ON s.job_execution_id = e.job_execution_id
				WHERE EXISTS (SELECT 1 FROM batch_job_execution_params p WHERE p.job_execution_id = e.job_execution_id
				              AND p.parameter_name = 'companyId' AND p.parameter_value = :companyId)
				ORDER BY i.job_instance_id DESC
				LIMIT :limit""", new MapSqlParameterSource("companyId", this.companyId).addValue("limit", limit));
		out.printf("%-6s %-16s %-9s %-10s %-8s %-20s %-20s %-20s %8s %8s  %s%n", "RUN", "JOB", "EXECUTION", "STATUS",
				"MODE", "RUN KEY", "STARTED", "ENDED", "ROWS", "CREATED", "INPUT");
		for (Map<String, Object> run : runs) {
			out.printf("%-6s %-16s %-9s %-10s %-8s %-20s %-20s %-20s %8s %8s  %s%n", run.get("run"), run.get("job"),
					run.get("execution"), run.get("status"), text(run.get("mode")), text(run.get("run_key")),
					text(run.get("started")), text(run.get("ended")), text(run.get("rows")), text(run.get("created")),
					text(run.get("input")));
		}
	}

	private void show(long runId, PrintStream out) {
		List<String> summaries = this.jdbc.queryForList("""
				SELECT jsonb_pretty(s.summary) FROM reporting.run_summary s
				WHERE s.run_id = :runId AND s.company_id = :companyId ORDER BY s.job_execution_id DESC LIMIT 1""",
				new MapSqlParameterSource("runId", runId).addValue("companyId", this.companyId), String.class);
		if (summaries.isEmpty()) {
			throw new BadConfigurationException("Run " + runId + " of company " + this.companyId
					+ " has no summary: see runs list.");
		}
		out.println(summaries.get(0));
		List<Map<String, Object>> outcomes = this.jdbc.queryForList("""
				SELECT outcome, count(*) AS rows FROM onboarding.input_row WHERE run_id = :runId
				GROUP BY outcome ORDER BY outcome""", new MapSqlParameterSource("runId", runId));
		if (!outcomes.isEmpty()) {
			out.println("Outcomes now:");
			outcomes.forEach((row) -> out.printf("  %-18s %d%n", row.get("outcome"), row.get("rows")));
		}
	}

	private static long run(List<String> arguments) {
		if (arguments.size() < 2) {
			throw new BadConfigurationException("Name the run: runs " + arguments.get(0) + " <run>, a RUN of runs list.");
		}
		return number(arguments.get(1), "the run");
	}

	private static long number(String value, String what) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			throw new BadConfigurationException(what + " must be a number, not '" + value + "'. " + USAGE);
		}
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : "-";
	}

}
