package dev.onboardingsync.run;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * {@link GracefulShutdown} alone, its job operator mocked: what the closing application says of the
 * run it stopped, whether the run ended within {@code onboarding.shutdown-timeout} or not.
 */
@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownTests {

	private final JobOperator jobOperator = mock(JobOperator.class);

	private final JobExecution execution = MetaDataInstanceFactory.createJobExecution(7L);

	private final GracefulShutdown shutdown = new GracefulShutdown(this.jobOperator, Duration.ofMillis(200));

	@Test
	void aRunThatEndsWithinTheTimeoutIsSaidToHaveEndedAsItDid(CapturedOutput output) throws Exception {
		// given: a run whose launch returns once the stop request has ended it
		willAnswer((invocation) -> {
			this.execution.setStatus(BatchStatus.STOPPED);
			this.shutdown.launched();
			return true;
		}).given(this.jobOperator).stop(this.execution);
		launch();

		// when: the application closes (SIGTERM)
		this.shutdown.stop();

		// then
		verify(this.jobOperator).stop(this.execution);
		assertThat(output).contains("Job execution 7 ended STOPPED at shutdown: exit code 1 (FAILED_RESTARTABLE)")
			.doesNotContain("did not stop");
	}

	@Test
	void aRunStillUnderWayWhenTheTimeoutRunsOutIsNotSaidToHaveEnded(CapturedOutput output) throws Exception {
		// given: a run whose step does not come back (a read waiting on a locked source table); the stop
		// request marks it as Spring Batch does, and the launch does not return
		willAnswer((invocation) -> {
			this.execution.setStatus(BatchStatus.STOPPED);
			return true;
		}).given(this.jobOperator).stop(this.execution);
		launch();

		// when
		this.shutdown.stop();

		// then: one line, that it did not stop, with the exit code the process ends with
		assertThat(output).contains("Job execution 7 did not stop within PT0.2S (onboarding.shutdown-timeout): exit"
				+ " code 1 (FAILED_RESTARTABLE); the same command recovers and resumes it")
			.doesNotContain("ended");
	}

	private void launch() {
		this.shutdown.start();
		this.shutdown.launching();
		this.execution.setStatus(BatchStatus.STARTED);
		this.shutdown.beforeJob(this.execution);
	}

}
