package dev.onboardingsync.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.onboardingsync.system.JobParameterNames;
import dev.onboardingsync.system.PhoneNumbers;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * What {@code runs list}, {@code runs show} and {@code runs find} print ({@link RunOperations}): the
 * company's runs from Spring Batch's job repository and the ledger, as tables on standard output.
 */
class RunQueries {

	private final NamedParameterJdbcTemplate jdbc;

	private final RunLauncher launcher;

	private final String companyId;

	/** @param launcher to ask whether a run marked running still has its process (the run lock) */
	RunQueries(NamedParameterJdbcTemplate jdbc, RunLauncher launcher, String companyId) {
		this.jdbc = jdbc;
		this.launcher = launcher;
		this.companyId = companyId;
	}

	void list(long limit, PrintStream out) {
		List<Map<String, Object>> runs = this.jdbc.queryForList("""
				SELECT i.job_instance_id AS run, i.job_name AS job, e.job_execution_id AS execution, e.status,
				       to_char(e.start_time, 'YYYY-MM-DD HH24:MI:SS') AS started,
				       to_char(e.end_time, 'YYYY-MM-DD HH24:MI:SS') AS ended,
				       (SELECT parameter_value FROM public.batch_job_execution_params p
				         WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = :modeParameter) AS mode,
				       (SELECT parameter_value FROM public.batch_job_execution_params p
				         WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = :runKeyParameter) AS run_key,
				       s.rows_read AS rows, s.accounts_created AS created,
				       (SELECT parameter_value FROM public.batch_job_execution_params p
				         WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = :inputParameter) AS input
				FROM public.batch_job_instance i
				JOIN public.batch_job_execution e ON e.job_execution_id =
				     (SELECT max(job_execution_id) FROM public.batch_job_execution WHERE job_instance_id = i.job_instance_id)
				LEFT JOIN reporting.run_summary s ON s.job_execution_id = e.job_execution_id
				WHERE EXISTS (SELECT 1 FROM public.batch_job_execution_params p WHERE p.job_execution_id = e.job_execution_id
				              AND p.parameter_name = :companyIdParameter AND p.parameter_value = :companyId)
				ORDER BY i.job_instance_id DESC
				LIMIT :limit""",
				parameterNames(new MapSqlParameterSource("companyId", this.companyId).addValue("limit", limit)));
		table(out, List.of("RUN", "JOB", "EXECUTION", "STATUS", "MODE", "RUN KEY", "STARTED", "ENDED", "ROWS", "CREATED",
				"INPUT"), runs.stream()
					.map((run) -> List.of(text(run.get("run")), text(run.get("job")), text(run.get("execution")),
							text(run.get("status")), text(run.get("mode")), text(run.get("run_key")), text(run.get("started")),
							text(run.get("ended")), text(run.get("rows")), text(run.get("created")), text(run.get("input"))))
					.toList());
	}

	// The run as it is now (its last execution and steps, its rows' outcomes), then its last summary,
	// said to be an earlier execution's when the last one wrote none (running, or its process died).
	void show(long runId, PrintStream out) throws Exception {
		List<Map<String, Object>> runs = this.jdbc.queryForList("""
				SELECT i.job_name, e.job_execution_id, e.status, e.exit_message,
				       to_char(e.start_time, 'YYYY-MM-DD HH24:MI:SS') AS started,
				       to_char(e.end_time, 'YYYY-MM-DD HH24:MI:SS') AS ended, r.mode, r.run_key, r.input_location
				FROM public.batch_job_instance i
				JOIN public.batch_job_execution e ON e.job_execution_id =
				     (SELECT max(job_execution_id) FROM public.batch_job_execution WHERE job_instance_id = i.job_instance_id)
				LEFT JOIN onboarding.run r ON r.run_id = i.job_instance_id
				WHERE i.job_instance_id = :runId AND EXISTS (SELECT 1 FROM public.batch_job_execution_params p
				    WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = :companyIdParameter
				      AND p.parameter_value = :companyId)""",
				parameterNames(new MapSqlParameterSource("runId", runId).addValue("companyId", this.companyId)));
		if (runs.isEmpty()) {
			throw new BadConfigurationException("Company " + this.companyId + " has no run " + runId + ": see runs list.");
		}
		Map<String, Object> run = runs.get(0);
		Object execution = run.get("job_execution_id");
		out.printf("Run %d: %s %s, runKey %s, input %s%n", runId, run.get("job_name"), text(run.get("mode")),
				text(run.get("run_key")), text(run.get("input_location")));
		out.printf("  last execution %s: %s, started %s, ended %s%n", execution, run.get("status"), text(run.get("started")),
				text(run.get("ended")));
		String cause = cause((String) run.get("exit_message"));
		if (!cause.isEmpty()) {
			out.printf("  cause: %s%n", cause);
		}
		if (("STARTING".equals(run.get("status")) || "STARTED".equals(run.get("status"))
				|| "STOPPING".equals(run.get("status"))) && !this.launcher.runInProgress()) {
			out.println("  no process runs it (none holds the company's run lock): it died; its command, or runs restart "
					+ runId + ", resumes it");
		}
		this.jdbc.query("""
				SELECT step_name, status FROM public.batch_step_execution WHERE job_execution_id = :execution
				ORDER BY step_execution_id""", new MapSqlParameterSource("execution", execution),
				(rs) -> {
					out.printf("    %-24s %s%n", rs.getString(1), rs.getString(2));
				});
		List<Map<String, Object>> outcomes = this.jdbc.queryForList("""
				SELECT outcome, count(*) AS rows FROM onboarding.input_row WHERE run_id = :runId
				GROUP BY outcome ORDER BY outcome""", new MapSqlParameterSource("runId", runId));
		if (!outcomes.isEmpty()) {
			out.println("  rows now");
			outcomes.forEach((row) -> out.printf("    %-24s %d%n", row.get("outcome"), row.get("rows")));
		}
		this.jdbc.query("""
				SELECT job_execution_id, jsonb_pretty(summary) FROM reporting.run_summary
				WHERE run_id = :runId AND company_id = :companyId ORDER BY job_execution_id DESC LIMIT 1""",
				new MapSqlParameterSource("runId", runId).addValue("companyId", this.companyId), (rs) -> {
					long of = rs.getLong(1);
					out.println((execution instanceof Number last && last.longValue() == of)
							? "  summary of execution " + of + ":"
							: "  summary of execution " + of + " (execution " + execution + " wrote none: it is running, or"
									+ " its process died):");
					out.println(rs.getString(2));
				});
	}

	// Every row of the company's runs whose external id, thirdServerCode, phone or email is the one asked
	// for: "what happened to this customer?" (issue 9).
	void find(String prospect, PrintStream out) {
		// Only what is written like a phone is looked for as one: "B-00005" is an external id.
		boolean phone = prospect.matches("\\+?[0-9 ().-]{7,}");
		String area = (phone && prospect.startsWith("+")) ? PhoneNumbers.areaOf(prospect) : null;
		String digits = phone ? prospect.replaceAll("[^0-9]", "") : "";
		String national = (area != null) ? digits.substring(area.length() - 1) : digits;
		// By external id, thirdServerCode, the phone of its prospect, or a cell still kept (a rejected
		// row's, for onboarding.rejected-rows-retention); then the rows found to be duplicates of those.
		List<Map<String, Object>> rows = this.jdbc.queryForList("""
				WITH found AS (
				    SELECT r.run_id, r.line_number FROM onboarding.input_row r
				    JOIN onboarding.run run ON run.run_id = r.run_id AND run.company_id = :companyId
				    LEFT JOIN onboarding.prospect p ON p.company_id = run.company_id AND p.mode = run.mode
				         AND p.third_server_code = r.third_server_code
				    WHERE r.source_id = :prospect OR r.third_server_code = :prospect
				       OR (:email <> '' AND (lower(p.email) = :email
				           OR EXISTS (SELECT 1 FROM unnest(r.raw) AS cell WHERE lower(btrim(cell)) = :email)))
				       OR (:national <> '' AND p.phone = :national AND (CAST(:area AS text) IS NULL OR p.phone_area = :area))
				       OR (:national <> '' AND EXISTS (SELECT 1 FROM unnest(r.raw) AS cell
				           WHERE regexp_replace(cell, '[^0-9]', '', 'g') IN (:national, :digits))))
				SELECT r.run_id, run.mode, r.line_number, r.outcome, coalesce(r.customer_no, p.customer_no) AS customer_no,
				       r.third_server_code, r.reason, run.input_location,
				       to_char(run.created_at, 'YYYY-MM-DD HH24:MI:SS') AS started
				FROM onboarding.input_row r
				JOIN onboarding.run run ON run.run_id = r.run_id
				LEFT JOIN onboarding.prospect p ON p.company_id = run.company_id AND p.mode = run.mode
				     AND p.third_server_code = r.third_server_code
				WHERE (r.run_id, r.line_number) IN (SELECT run_id, line_number FROM found)
				   OR (r.run_id, r.duplicate_of) IN (SELECT run_id, line_number FROM found)
				ORDER BY r.run_id, r.line_number""", new MapSqlParameterSource("companyId", this.companyId)
			.addValue("prospect", prospect)
			.addValue("email", prospect.contains("@") ? prospect.toLowerCase(Locale.ROOT) : "")
			.addValue("national", national)
			.addValue("digits", digits)
			.addValue("area", area));
		table(out, List.of("RUN", "MODE", "LINE", "OUTCOME", "CUSTOMER NO", "THIRD SERVER CODE", "STARTED", "REASON",
				"INPUT"), rows.stream()
					.map((row) -> List.of(text(row.get("run_id")), text(row.get("mode")), text(row.get("line_number")),
							text(row.get("outcome")), text(row.get("customer_no")), text(row.get("third_server_code")),
							text(row.get("started")), text(row.get("reason")), text(row.get("input_location"))))
					.toList());
		if (rows.isEmpty()) {
			out.println("(no row of company " + this.companyId + "'s runs has the external id, thirdServerCode, phone or email "
					+ prospect + ")");
		}
	}

	// The run's rows from the database, to standard output or a file: what the rejected-rows file
	// holds (to fix and feed back), or every row's outcome.
	// Columns as wide as their widest cell (run keys are Kubernetes Job names), two spaces apart.
	private static void table(PrintStream out, List<String> headers, List<List<String>> rows) {
		int[] widths = new int[headers.size()];
		for (List<String> row : concat(headers, rows)) {
			for (int i = 0; i < row.size(); i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		for (List<String> row : concat(headers, rows)) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < row.size(); i++) {
				line.append((i < row.size() - 1) ? String.format("%-" + widths[i] + "s  ", row.get(i)) : row.get(i));
			}
			out.println(line.toString().stripTrailing());
		}
	}

	private static List<List<String>> concat(List<String> first, List<List<String>> rest) {
		List<List<String>> all = new ArrayList<>(rest.size() + 1);
		all.add(first);
		all.addAll(rest);
		return all;
	}

	// The first failure Spring Batch stored with the execution, without its class's package.
	private static String cause(String exitMessage) {
		if (exitMessage == null || exitMessage.isBlank()) {
			return "";
		}
		return exitMessage.lines().findFirst().orElse("").replaceFirst("^([a-z][a-z0-9_]*\\.)+", "").strip();
	}

	static String text(Object value) {
		return (value != null) ? value.toString() : "-";
	}

	// The job parameters' names the queries read, bound rather than written out (JobParameterNames).
	private static MapSqlParameterSource parameterNames(MapSqlParameterSource parameters) {
		return parameters.addValue("modeParameter", JobParameterNames.MODE)
			.addValue("runKeyParameter", JobParameterNames.RUN_KEY)
			.addValue("inputParameter", JobParameterNames.INPUT)
			.addValue("companyIdParameter", JobParameterNames.COMPANY_ID);
	}

}
