package dev.onboardingsync.run;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.onboardingsync.intake.IntakeProperties;
import dev.onboardingsync.onboarding.PersonalDataRetention;
import dev.onboardingsync.reporting.RunExport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The operator's commands, from the same jar as the job, for the configured company:
 * {@code runs list [n]}, {@code runs show <run>}, {@code runs restart <run>},
 * {@code runs abandon <run>}, {@code runs find <external id|phone|email>}, {@code runs export <run>
 * [rejected|outcomes] [file]}. What they print goes to standard output, the log to standard error
 * ({@link LogsToStandardError}), so that it can be piped.
 */
class RunOperations {

	private static final Logger logger = LoggerFactory.getLogger(RunOperations.class);

	static final String NAME = "runs";

	private static final String USAGE = "Use: runs list [how many, 20 by default] | runs show <run> | runs restart <run>"
			+ " | runs abandon <run> | runs find <external id, phone or email> | runs export <run> [rejected|outcomes] [file]";

	private final NamedParameterJdbcTemplate jdbc;

	private final RunLauncher launcher;

	private final String companyId;

	private final PersonalDataRetention retention;

	private final RunExport export;

	private final IntakeProperties intake;

	private final long maxRetries;

	private final RunQueries queries;

	RunOperations(NamedParameterJdbcTemplate jdbc, RunLauncher launcher, String companyId,
			PersonalDataRetention retention, RunExport export, IntakeProperties intake, long maxRetries) {
		this.maxRetries = maxRetries;
		this.jdbc = jdbc;
		this.launcher = launcher;
		this.companyId = companyId;
		this.retention = retention;
		this.export = export;
		this.intake = intake;
		this.queries = new RunQueries(jdbc, launcher, companyId);
	}

	/** @return the exit code */
	ExitCodes execute(List<String> arguments, PrintStream out) throws Exception {
		String command = arguments.isEmpty() ? "" : arguments.get(0);
		switch (command) {
			case "list" -> {
				this.queries.list((arguments.size() > 1) ? number(arguments.get(1), "how many") : 20, out);
				return ExitCodes.SUCCESS;
			}
			case "show" -> {
				this.queries.show(run(arguments), out);
				return ExitCodes.SUCCESS;
			}
			case "restart" -> {
				JobExecution execution = this.launcher.restart(run(arguments));
				out.printf("Run %d: execution %d ended %s%n", execution.getJobInstance().getInstanceId(),
						execution.getId(), execution.getStatus());
				ExitCodes code = ExitCodes.of(execution);
				if (code != ExitCodes.SUCCESS) {
					FailureCause.of(execution, this.maxRetries).log(logger, "Run " + execution.getJobInstance().getInstanceId()
							+ " (execution " + execution.getId() + ") ", code);
				}
				return code;
			}
			case "abandon" -> {
				JobExecution execution = this.launcher.abandon(run(arguments));
				this.retention.clear();
				out.printf("Run %d abandoned (execution %d); the same command now starts a new run%n",
						execution.getJobInstance().getInstanceId(), execution.getId());
				return ExitCodes.SUCCESS;
			}
			case "find" -> {
				if (arguments.size() < 2 || arguments.get(1).isBlank()) {
					throw new BadConfigurationException("Name the prospect: runs find <external id, phone or email>.");
				}
				this.queries.find(arguments.get(1).strip(), out);
				return ExitCodes.SUCCESS;
			}
			case "export" -> {
				export(run(arguments), arguments.subList(2, arguments.size()), out);
				return ExitCodes.SUCCESS;
			}
			default -> throw new BadConfigurationException("Unknown operator command '" + String.join(" ", arguments)
					+ "'. " + USAGE);
		}
	}

	private void export(long runId, List<String> options, PrintStream out) {
		// runs export <run> [rejected|outcomes] [file]: a lone argument that is neither word, written as a
		// file (a path or an extension), is the file; a lone word is a misspelt choice.
		if (options.size() == 1 && !options.get(0).equals("rejected") && !options.get(0).equals("outcomes")
				&& (options.get(0).contains("/") || options.get(0).contains("."))) {
			options = List.of("rejected", options.get(0));
		}
		if (options.size() > 2) {
			throw new BadConfigurationException("runs export takes a run, then rejected or outcomes, then a file: '"
					+ String.join(" ", options.subList(2, options.size())) + "' is one argument too many. " + USAGE);
		}
		String what = options.isEmpty() ? "rejected" : options.get(0);
		if (!what.equals("rejected") && !what.equals("outcomes")) {
			throw new BadConfigurationException("runs export <run> takes rejected (the default) or outcomes, not '" + what
					+ "'. " + USAGE);
		}
		// In the delimiter the run read its file with, as its own rejected-rows file is written.
		List<String> delimiter = this.jdbc.queryForList("SELECT coalesce(intake_settings->>'intake.delimiter', '')"
				+ " FROM onboarding.run WHERE run_id = :runId AND company_id = :companyId",
				new MapSqlParameterSource("runId", runId).addValue("companyId", this.companyId), String.class);
		if (delimiter.isEmpty()) {
			throw new BadConfigurationException("Company " + this.companyId + " has no onboarding run " + runId
					+ ": see runs list.");
		}
		char separator = delimiter.get(0).isEmpty() ? this.intake.delimiter().charAt(0) : delimiter.get(0).charAt(0);
		try (Writer writer = (options.size() > 1)
				? Files.newBufferedWriter(Path.of(options.get(1)), StandardCharsets.UTF_8)
				: new OutputStreamWriter(out, StandardCharsets.UTF_8) {
					@Override
					public void close() throws IOException {
						flush();
					}
				}) {
			if (what.equals("rejected")) {
				this.export.writeRejected(runId, separator, writer);
			}
			else {
				this.export.writeOutcomes(runId, separator, writer);
			}
		}
		catch (IOException ex) {
			throw new BadConfigurationException("Could not write " + options.get(1) + " (" + ex.getMessage()
					+ "): name a file in a directory that exists and can be written.");
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
			long number = Long.parseLong(value);
			if (number < 0) {
				throw new NumberFormatException();
			}
			return number;
		}
		catch (NumberFormatException ex) {
			throw new BadConfigurationException(what + " must be a number, 0 or more, not '" + value + "'. " + USAGE);
		}
	}

}
