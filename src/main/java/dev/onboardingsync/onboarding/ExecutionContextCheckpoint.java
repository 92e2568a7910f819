package dev.onboardingsync.onboarding;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Saves a step's execution context as soon as the step starts. On a restart Spring Batch 6 gives
 * the new step execution the last one's context (the reader's position) in memory only
 * ({@code SimpleStepHandler.handleStep}): it reaches the database with the first committed chunk, so
 * a process killed before that leaves a step execution with no position, and the next restart
 * reads from the first line (issue 7, fault 2). The ledger copes with that (staging is idempotent
 * by line number); this keeps the position so that it does not have to re-read the input.
 */
class ExecutionContextCheckpoint implements StepExecutionListener {

	private final JobRepository jobRepository;

	ExecutionContextCheckpoint(JobRepository jobRepository) {
		this.jobRepository = jobRepository;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.jobRepository.updateExecutionContext(stepExecution);
	}

}
