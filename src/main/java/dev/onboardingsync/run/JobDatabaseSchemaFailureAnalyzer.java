package dev.onboardingsync.run;

import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayValidateException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Flyway refusing the job's database before any statement runs, reported without the stack trace
 * (exit code 3, {@link ExitCodes}): a database whose schema is not empty and has no schema history
 * (another application's, or tables made by hand), or whose schema history the job's migrations do
 * not match (another application's Flyway history, or one changed by hand). Flyway's own advice there,
 * to baseline or repair, would write into a database that is not the job's (a fresh user's try,
 * issue 13). {@link JobDatabaseFailureAnalyzer} says the failures that come as SQL states.
 */
class JobDatabaseSchemaFailureAnalyzer extends AbstractFailureAnalyzer<FlywayException> {

	private final Environment environment;

	JobDatabaseSchemaFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	/** Whether Flyway found a database that does not hold the job's schema as its migrations made it. */
	static boolean isNotTheJobsSchema(Throwable failure) {
		return failure instanceof FlywayValidateException || (failure instanceof FlywayException flyway
				&& flyway.getErrorCode() == CoreErrorCode.NON_EMPTY_SCHEMA_WITHOUT_SCHEMA_HISTORY_TABLE);
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, FlywayException cause) {
		if (!isNotTheJobsSchema(cause)) {
			return null;
		}
		String url = JobDatabaseUrlCheck.shown(
				this.environment.getProperty("spring.datasource.url", "(spring.datasource.url unset)"));
		String reason = (cause.getMessage() != null) ? cause.getMessage().lines().findFirst().orElse("") : "";
		return new FailureAnalysis("The job's database " + url + " does not hold the job's schema as its migrations"
				+ " made it: " + reason, "Give the job a database of its own, empty but for what the README's \"The job's"
						+ " database\" makes (do not baseline or repair a database another application uses), then run the"
						+ " same command (exit code 3: retrying as it is cannot help).",
				cause);
	}

}
