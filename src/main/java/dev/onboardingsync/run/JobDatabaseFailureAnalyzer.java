package dev.onboardingsync.run;

import java.sql.SQLException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * The job's own database failing the start (Flyway's migration is the first to connect), reported
 * in Spring Boot's "APPLICATION FAILED TO START" form without the stack trace (issue 9): a refused
 * login, a privilege the user lacks (the migration may not create its tables), a schema or table
 * that exists already where the migrations create theirs, or a database that does not exist is a
 * setting to fix (exit code 3, {@link ExitCodes}); a database that cannot be reached now is worth
 * running again (exit code 1). SQL states: PostgreSQL's appendix A.
 */
class JobDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

	private final Environment environment;

	JobDatabaseFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
		String state = (cause.getSQLState() != null) ? cause.getSQLState() : "";
		String url = JobDatabaseUrlCheck.shown(
				this.environment.getProperty("spring.datasource.url", "(spring.datasource.url unset)"));
		String reason = (cause.getMessage() != null) ? cause.getMessage().lines().findFirst().orElse("") : "";
		if (ExitCodes.isPrivilegeState(state)) {
			String user = this.environment.getProperty("spring.datasource.username", "(spring.datasource.username unset)");
			return new FailureAnalysis("The job's database user " + user + " lacks a privilege on " + url + ": " + reason,
					"Make the user the database's owner, or grant it CREATE on the database and on schema public"
							+ " (README, \"The job's database\"), then run the same command (exit code 3: retrying as"
							+ " it is cannot help).",
					cause);
		}
		if (ExitCodes.isDuplicateObjectState(state)) {
			return new FailureAnalysis("The job's database " + url + " already holds what the job's migrations create,"
					+ " and not from an earlier run of the job (flyway_schema_history does not list it): " + reason,
					"Give the job a database of its own, empty but for what the README's \"The job's database\" makes,"
							+ " or drop that object if nothing else uses it, then run the same command (exit code 3:"
							+ " retrying as it is cannot help).",
					cause);
		}
		if (ExitCodes.isSettingsState(state)) {
			return new FailureAnalysis("The job's database " + url + " refused the login or does not exist: " + reason,
					"Fix spring.datasource.url, spring.datasource.username or spring.datasource.password (exit code 3:"
							+ " retrying as it is cannot help).", cause);
		}
		if (state.startsWith("08")) {
			return new FailureAnalysis("The job's database " + url + " cannot be reached now: " + reason,
					"Run the same command again once it answers (exit code 1); check spring.datasource.url if it"
							+ " never does.", cause);
		}
		return null;
	}

}
