package dev.onboardingsync.run;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.onboardingsync.customerapi.AmbiguousResultException;
import dev.onboardingsync.customerapi.AuthenticationFailedException;
import dev.onboardingsync.customerapi.CustomerApiException;
import dev.onboardingsync.customerapi.EndpointNotFoundException;
import dev.onboardingsync.customerapi.RateLimitedException;
import dev.onboardingsync.customerapi.TransientApiException;
import dev.onboardingsync.intake.BadInputException;
import dev.onboardingsync.intake.SourceSettingsException;
import dev.onboardingsync.intake.SourceUnavailableException;
import dev.onboardingsync.reporting.SyncIncompleteException;

import org.slf4j.Logger;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;

/**
 * The cause of a failed run in an operator's words (issue 9): what failed, where, and what to do,
 * in one or two lines, instead of the stack traces of a failure the job expects (the platform busy
 * past its retries, a database down, bad input). A failure it does not know is {@link #expected()}
 * false, and its stack trace is worth logging.
 *
 * @param summary what failed and what to do: for a run, from its verb on ({@code "failed in
 * onboardProspectsStep: the platform ..."}); for a failure, a clause ({@code "the platform ..."})
 * @param expected whether the failure is one the job knows (its stack trace adds nothing)
 * @param failure the failure explained, or {@code null}
 */
public record FailureCause(String summary, boolean expected, Throwable failure) {

	/**
	 * The cause of a job execution that did not complete.
	 * @param maxRetries the retries of one call ({@code onboarding.retry.max-retries}), for the count
	 */
	static FailureCause of(JobExecution execution, long maxRetries) {
		if (execution.getStatus() == BatchStatus.STOPPED) {
			return new FailureCause("was stopped (a signal, or a shutdown) with its work recorded: run the same"
					+ " command again to resume it.", true, null);
		}
		String where = "";
		List<Throwable> failures = new ArrayList<>();
		for (StepExecution step : execution.getStepExecutions()) {
			if (!step.getFailureExceptions().isEmpty() && failures.isEmpty()) {
				where = " in " + step.getStepName();
				failures.addAll(step.getFailureExceptions());
			}
		}
		failures.addAll(execution.getFailureExceptions());
		if (failures.isEmpty()) {
			return new FailureCause("ended " + execution.getStatus() + " without a recorded failure: run the same"
					+ " command again.", true, null);
		}
		FailureCause cause = of(failures.get(0), maxRetries);
		return new FailureCause("failed" + where + ": " + cause.summary(), cause.expected(), cause.failure());
	}

	/**
	 * The cause of one failure, a run's or a start's.
	 * @param maxRetries the retries of one call ({@code onboarding.retry.max-retries}), for the count
	 */
	static FailureCause of(Throwable failure, long maxRetries) {
		Throwable known = known(failure);
		long attempts = maxRetries + 1;
		if (known instanceof RateLimitedException limited) {
			return expected("the platform limited the rate of " + limited.endpoint().shortName() + " calls " + inARow(attempts)
					+ ", the last time: " + limited.getMessage() + ". Nothing is lost: run the same"
					+ " command again later, or lower customer-api.max-requests-per-second.", known);
		}
		if (known instanceof TransientApiException transientFailure) {
			return expected("the platform failed " + transientFailure.endpoint().shortName() + " calls " + inARow(attempts)
					+ ", the last time: " + transientFailure.getMessage() + ". Nothing is lost: run the"
					+ " same command again once it answers.", known);
		}
		if (known instanceof AuthenticationFailedException refused) {
			return expected(refused.getMessage() + ". Check"
					+ " customer-api.token and customer-api.company-id, then run the same command again.", known);
		}
		if (known instanceof EndpointNotFoundException notFound) {
			return expected(notFound.getMessage() + ": customer-api.base-url does not lead to the platform's API. Give the"
					+ " gateway alone (https://api.example.com, without /openapi-b), then run the same command again.", known);
		}
		if (known instanceof AmbiguousResultException ambiguous) {
			return expected("the platform gave an answer the job cannot read, " + inARow(attempts) + ": "
					+ ambiguous.getMessage() + ". Run the same command again: a create is checked before it is sent"
					+ " again.", known);
		}
		if (known instanceof BadInputException || known instanceof SourceSettingsException
				|| known instanceof SourceUnavailableException || known instanceof BadConfigurationException
				|| known instanceof ExitCodeException || known instanceof SyncIncompleteException) {
			return expected(known.getMessage(), known);
		}
		if (known instanceof SQLException || known instanceof DataAccessException) {
			// The source's failures come as SourceUnavailableException or SourceSettingsException (above).
			return expected("the job's database (spring.datasource.url) failed: " + firstLine(mostSpecificSaid(known))
					+ ". Nothing committed is lost: run the same command again once it answers.", known);
		}
		Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
		return new FailureCause("an unexpected " + root.getClass().getSimpleName() + ": " + firstLine(root)
				+ ". Run the same command again; if it fails the same way, report it with the stack trace.", false, failure);
	}

	/**
	 * Logs the cause after its subject, with the exit code: a failure the job expects in one line,
	 * its stack trace at DEBUG (it would only hide the message); any other with its stack trace.
	 */
	void log(Logger logger, String subject, ExitCodes exitCode) {
		String line = subject + this.summary + " (exit code " + exitCode.code() + ", " + exitCode + ")";
		if (this.expected) {
			logger.error(line);
			logger.debug("The failure in full", this.failure);
		}
		else {
			logger.error(line, this.failure);
		}
	}

	// "2 times in a row"; "once" when no retry was allowed (onboarding.retry.max-retries=0).
	private static String inARow(long attempts) {
		return (attempts == 1) ? "once" : attempts + " times in a row";
	}

	private static FailureCause expected(String summary, Throwable failure) {
		return new FailureCause(summary, true, failure);
	}

	// The outermost failure of a kind the job knows, else the failure itself.
	private static Throwable known(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof CustomerApiException || cause instanceof BadInputException
					|| cause instanceof SourceSettingsException || cause instanceof SourceUnavailableException
					|| cause instanceof BadConfigurationException || cause instanceof ExitCodeException
					|| cause instanceof DataAccessException || cause instanceof SQLException
					|| cause instanceof SyncIncompleteException) {
				return cause;
			}
		}
		return failure;
	}

	// PostgreSQL's first line says what is wrong; the next ones (Position, Hint, Where) do not help
	// here. Without its full stop: the sentence goes on.
	// The deepest cause that says something: a connection the server closed is pgjdbc's "An I/O error
	// occurred while sending to the backend", caused by an EOFException that says nothing (a fresh
	// user's try read "failed: EOFException", issue 13).
	private static Throwable mostSpecificSaid(Throwable failure) {
		Throwable said = failure;
		for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
				said = cause;
			}
		}
		return said;
	}

	private static String firstLine(Throwable failure) {
		String message = failure.getMessage();
		String line = (message != null) ? message.lines().findFirst().orElse("").strip() : failure.getClass().getSimpleName();
		return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
	}

}
