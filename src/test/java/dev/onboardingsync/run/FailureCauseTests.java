package dev.onboardingsync.run;

import java.io.EOFException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.List;

import dev.onboardingsync.customerapi.AuthenticationFailedException;
import dev.onboardingsync.customerapi.Endpoint;
import dev.onboardingsync.customerapi.TransientApiException;
import dev.onboardingsync.intake.BadInputException;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.FatalStepExecutionException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureCauseTests {

	@Test
	void aPlatformBusyPastItsRetriesIsSaidWithTheStepTheCallsAndTheTrace() {
		JobExecution execution = failed("onboardProspectsStep", new FatalStepExecutionException("Unable to process chunk",
				new TransientApiException(Endpoint.CHECK_CUSTOMER_EXIST, "trace-1", "B0001", "System busy", "Platform busy",
						null)));

		FailureCause cause = FailureCause.of(execution, 6);

		assertThat(cause.expected()).isTrue();
		assertThat(cause.summary()).startsWith("failed in onboardProspectsStep: the platform failed check calls 7 times"
				+ " in a row, the last time: Platform busy [endpoint=check, code=B0001")
			.contains("trace=trace-1")
			.endsWith("run the same command again once it answers.");
	}

	@Test
	void aCallMadeOnceWithNoRetryIsSaidOnce() {
		FailureCause cause = FailureCause.of(new TransientApiException(Endpoint.CHECK_CUSTOMER_EXIST, "trace-1", "B0001",
				"System busy", "Platform busy", null), 0);

		assertThat(cause.summary()).startsWith("the platform failed check calls once, the last time: Platform busy");
	}

	@Test
	void eachKindTheJobKnowsIsSaidWithWhatToDo() {
		assertThat(FailureCause.of(new AuthenticationFailedException(Endpoint.CREATE_ACCOUNT, "t", "A0401", "bad token"), 6)
			.summary()).contains("Check customer-api.token and customer-api.company-id");
		assertThat(FailureCause.of(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
				new SQLException("Connection to db.example:5432 refused.\n  Hint: x", "08001")), 6))
			.satisfies((cause) -> assertThat(cause.expected()).isTrue())
			.extracting(FailureCause::summary)
			.asString()
			.isEqualTo("the job's database (spring.datasource.url) failed: Connection to db.example:5432 refused. Nothing committed is lost: run the"
					+ " same command again once it answers.");
		assertThat(FailureCause.of(new IllegalStateException("wrapped", new BadInputException("line 3 is bad")), 6)
			.summary()).isEqualTo("line 3 is bad");
		// a session the server ended: its last cause, an EOFException, says nothing
		assertThat(FailureCause.of(new DataAccessResourceFailureException("PreparedStatementCallback",
				new SQLException("An I/O error occurred while sending to the backend.", "08006", new EOFException())), 6)
			.summary()).isEqualTo("the job's database (spring.datasource.url) failed: An I/O error occurred while sending to"
					+ " the backend. Nothing committed is lost: run the same command again once it answers.");
	}

	@Test
	void aFailureTheJobDoesNotKnowKeepsItsStackTrace() {
		FailureCause cause = FailureCause.of(new IllegalStateException("x", new ConnectException("boom")), 6);

		assertThat(cause.expected()).isFalse();
		assertThat(cause.summary()).startsWith("an unexpected ConnectException: boom.");
	}

	@Test
	void aStoppedRunIsResumedByTheSameCommand() {
		JobExecution execution = new JobExecution(1L, new JobInstance(1L, "onboardingJob"), new JobParameters());
		execution.setStatus(BatchStatus.STOPPED);

		assertThat(FailureCause.of(execution, 6).summary()).startsWith("was stopped");
	}

	private static JobExecution failed(String stepName, Throwable failure) {
		JobExecution execution = new JobExecution(1L, new JobInstance(1L, "onboardingJob"), new JobParameters());
		execution.setStatus(BatchStatus.FAILED);
		StepExecution step = new StepExecution(1L, stepName, execution);
		step.addFailureException(failure);
		execution.addStepExecutions(List.of(step));
		return execution;
	}

}
