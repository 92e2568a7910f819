package dev.onboardingsync.system;

import java.time.Duration;

import java.util.Collections;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ProgressLoggerTests {

	@Test
	void aLineAfterAChunksWriteCountsThatChunk(CapturedOutput output) {
		// given: a step whose first two chunks of 500 are written; Spring Batch applies a chunk's count to
		// the step execution after its write listeners
		StepExecution step = stagingStep();
		ProgressLogger progress = new ProgressLogger("rows", (execution) -> 120_000L, Duration.ZERO);
		progress.beforeStep(step);
		progress.afterWrite(new Chunk<>(Collections.nCopies(500, "row")));
		step.setWriteCount(500);

		// when
		progress.afterWrite(new Chunk<>(Collections.nCopies(500, "row")));

		// then: each line counts its own chunk
		assertThat(output).contains("stageProspectsStep: 500/120000 rows (0.4%)", "stageProspectsStep: 1000/120000 rows (0.8%)");
	}

	@Test
	void aStoppedStepsLastLineGivesNoTimeLeft(CapturedOutput output) {
		// given: a step stopped half-way (SIGTERM)
		StepExecution step = stagingStep();
		ProgressLogger progress = new ProgressLogger("rows", (execution) -> 120_000L, Duration.ZERO);
		progress.beforeStep(step);
		step.setWriteCount(60_000);
		step.setStatus(BatchStatus.STOPPED);

		// when
		progress.afterStep(step);

		// then
		assertThat(output).contains("stageProspectsStep: 60000/120000 rows (50.0%), ").contains("rows/s (STOPPED)")
			.doesNotContain("ETA");
	}

	@Test
	void aResumedStepCountsOnFromWhatItsEarlierExecutionsDid() {
		// given: 120,000 rows, 32,500 staged by earlier executions
		StepExecution step = stagingStep();
		ProgressLogger progress = started(step, 32_500L);

		// when: this execution wrote the other 87,500
		step.setWriteCount(87_500);

		// then
		assertThat(progress.line(System.nanoTime(), 0, true)).startsWith("stageProspectsStep: 120000/120000 rows (100.0%)");
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
		assertThat(progress.line(startedAt + Duration.ofSeconds(10).toNanos(), 0, true))
			.isEqualTo("stageProspectsStep: 110000/120000 rows (91.6%), 1000 rows/s, ETA 10s");
		step.setWriteCount(19_990);
		assertThat(progress.line(startedAt + Duration.ofSeconds(20).toNanos(), 0, true)).contains("119990/120000 rows (99.9%)");
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
