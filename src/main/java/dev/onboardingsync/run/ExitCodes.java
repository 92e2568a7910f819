package dev.onboardingsync.run;

import java.sql.SQLException;

import dev.onboardingsync.customerapi.AuthenticationFailedException;
import dev.onboardingsync.customerapi.EndpointNotFoundException;
import dev.onboardingsync.intake.BadInputException;
import dev.onboardingsync.intake.SourceSettingsException;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindException;
import org.springframework.boot.context.properties.bind.BindException;

/**
 * The process's exit code: the contract with cron and Kubernetes (see the README).
 */
public enum ExitCodes {

	/** The run completed. */
	SUCCESS(0),
	/** The run failed and can be resumed: run the same command again. */
	FAILED_RESTARTABLE(1),
	/** The input cannot be read as a whole (missing, wrong header, broken CSV): fix it; retrying cannot help. */
	BAD_INPUT(2),
	/** A setting or argument is missing or wrong: fix it; retrying cannot help. */
	BAD_CONFIGURATION(3),
	/** Another run for the same company holds the lock: try later. */
	RUN_IN_PROGRESS(4);

	private final int code;

	ExitCodes(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

	static ExitCodes of(JobExecution execution) {
		if (execution.getStatus() == BatchStatus.COMPLETED) {
			return SUCCESS;
		}
		for (Throwable failure : execution.getAllFailureExceptions()) {
			ExitCodes code = of(failure);
			if (code != FAILED_RESTARTABLE) {
				return code;
			}
		}
		return FAILED_RESTARTABLE;
	}

	/**
	 * The exit code of a failure, a run's or a start's: bad input 2; a setting to fix 3 (a refused
	 * token or company, or a base URL that leads to no API, among them: it will be refused again,
	 * and once fixed the same command resumes the run; a port the sandbox cannot listen on, and a job's
	 * database that does not hold the job's schema, too);
	 * anything else 1.
	 */
	public static ExitCodes of(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ExitCodeException coded) {
				return coded.exitCode();
			}
			if (cause instanceof BadInputException) {
				return BAD_INPUT;
			}
			if (cause instanceof BindException || cause instanceof ConfigurationPropertiesBindException
					|| cause instanceof BadConfigurationException || cause instanceof SourceSettingsException
					|| cause instanceof AuthenticationFailedException || cause instanceof EndpointNotFoundException
					|| cause instanceof java.net.BindException
					|| (cause instanceof SQLException sql && isSettingsState(sql.getSQLState()))
					|| JobDatabaseSchemaFailureAnalyzer.isNotTheJobsSchema(cause)) {
				return BAD_CONFIGURATION;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return FAILED_RESTARTABLE;
	}

	/**
	 * Whether a PostgreSQL SQL state means a setting to fix: a refused login (class 28, and 08004
	 * when the server asks for a password none was given), a privilege the user lacks (42501,
	 * {@code insufficient_privilege}: the README's grants, "The job's database"), an object the
	 * migrations create that exists already ({@link #isDuplicateObjectState}) or a database that does
	 * not exist (3D000). PostgreSQL's appendix A.
	 */
	static boolean isSettingsState(String state) {
		return state != null && (state.startsWith("28") || state.equals("08004") || isPrivilegeState(state)
				|| isDuplicateObjectState(state) || state.equals("3D000"));
	}

	/**
	 * Whether a PostgreSQL SQL state is an object that already exists where the job's migrations create
	 * one (42P06 {@code duplicate_schema}, 42P07 {@code duplicate_table}, 42710 {@code duplicate_object}):
	 * a database that is not the job's own, or a schema made ahead of it. The job's own statements
	 * create nothing that may exist (temporary tables {@code IF NOT EXISTS}), so only a start meets it.
	 */
	static boolean isDuplicateObjectState(String state) {
		return "42P06".equals(state) || "42P07".equals(state) || "42710".equals(state);
	}

	/** Whether a PostgreSQL SQL state is a privilege the user lacks (42501, {@code insufficient_privilege}). */
	static boolean isPrivilegeState(String state) {
		return "42501".equals(state);
	}

}
