package dev.onboardingsync.system;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressLoggerTests {

	@Test
	void aResumedStepCountsOnFromWhatItsEarlierExecutionsDid() {
		// given: 120,000 rows, 32,500 staged by earlier executions
		StepExecution step = stagingStep();
		ProgressLogger progress = started(step, 32_500L);

		// when: this execution wrote the other 87,500
		step.setWriteCount(87_500);

		// then
		assertThat(progress.line(System.nanoTime())).startsWith("stageProspectsStep: 120000/120000 rows (100.0%)");
	}

	@Test
	void aStepsRateAndTimeLeftCountOnlyWhatThisExecutionDid() {
		// given: 120,000 rows, 100,000 staged by earlier executions
		StepExecution step = stagingStep();
		ProgressLogger progress = started(step, 100_000L);
		long startedAt = System.nanoTime();

		// when: 10,000 rows in 10 s
		step.setWriteCount(10_000);

		// then: 1,000 rows/s, 10 s left for the last 10,000
		assertThat(progress.line(startedAt + Duration.ofSeconds(10).toNanos()))
			.isEqualTo("stageProspectsStep: 110000/120000 rows (91.6%), 1000 rows/s, ETA 10s");
		step.setWriteCount(19_990);
		assertThat(progress.line(startedAt + Duration.ofSeconds(20).toNanos())).contains("119990/120000 rows (99.9%)");
	}

	private static StepExecution stagingStep() {
		return new StepExecution(2L, "stageProspectsStep",
				new JobExecution(2L, new JobInstance(1L, "onboardingJob"), new JobParameters()));
	}

	// A logger of 120,000 rows, started on the step.
	private static ProgressLogger started(StepExecution step, long doneBefore) {
		ProgressLogger progress = new ProgressLogger("rows", (execution) -> 120_000L, (execution) -> doneBefore,
				Duration.ofSeconds(10));
		progress.beforeStep(step);
		return progress;
	}

}
