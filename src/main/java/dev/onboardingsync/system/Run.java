package dev.onboardingsync.system;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * One run of the job: a Spring Batch job instance ({@code runId}), for one company, live or dry.
 * Restarts of a failed run share its {@code runId}. The beans of a step take the run at hand as a
 * job-scoped bean ({@link RunPlumbingConfiguration}); listeners and tasklets, given the execution,
 * take it from there ({@link #of(StepExecution)}).
 */
public record Run(long runId, String companyId, Mode mode) {

	/** The run a step execution belongs to. */
	public static Run of(StepExecution stepExecution) {
		return of(stepExecution.getJobExecution());
	}

	/**
	 * The run a job execution belongs to: its instance, and the company and mode it was launched
	 * with ({@link JobParameterNames#COMPANY_ID}, {@link JobParameterNames#MODE}).
	 */
	public static Run of(JobExecution jobExecution) {
		var parameters = jobExecution.getJobParameters();
		return new Run(jobExecution.getJobInstance().getInstanceId(), parameters.getString(JobParameterNames.COMPANY_ID),
				Mode.valueOf(parameters.getString(JobParameterNames.MODE, Mode.LIVE.name())));
	}

}
