package dev.onboardingsync.onboarding;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

class ExecutionContextCheckpointTests {

	@Test
	void savesTheRestoredPositionBeforeTheFirstChunk() {
		// given: a restarted step, its context restored in memory from the last execution
		JobRepository jobRepository = mock(JobRepository.class);
		StepExecution step = new StepExecution(2L, "stageProspectsStep",
				new JobExecution(1L, new JobInstance(1L, "onboardingJob"), new JobParameters()));
		step.getExecutionContext().putLong("csvProspectReader.read.count", 500);

		// when
		new ExecutionContextCheckpoint(jobRepository).beforeStep(step);

		// then
		verify(jobRepository).updateExecutionContext(step);
	}

}
