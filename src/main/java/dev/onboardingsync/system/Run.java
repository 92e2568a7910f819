package dev.onboardingsync.system;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * One run of the job: a Spring Batch job instance ({@code runId}), for one company, live or dry.
 * Restarts of a failed run share its {@code runId}.
 */
public record Run(long runId, String companyId, Mode mode) {

	/** The run a step execution belongs to. */
	public static Run of(StepExecution stepExecution, String companyId) {
		return of(stepExecution.getJobExecution(), companyId);
	}

	/** The run a job execution belongs to. */
	public static Run of(JobExecution jobExecution, String companyId) {
		String mode = jobExecution.getJobParameters().getString(JobParameterNames.MODE, Mode.LIVE.name());
		return new Run(jobExecution.getJobInstance().getInstanceId(), companyId, Mode.valueOf(mode));
	}

}
