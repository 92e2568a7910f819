package dev.onboardingsync.onboarding;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * One run of the job: a Spring Batch job instance ({@code runId}), for one company, live or dry.
 * Restarts of a failed run share its {@code runId}.
 */
public record Run(long runId, String companyId, Mode mode) {

	/** The job parameter that says whether a run is a dry run. */
	public static final String MODE_PARAMETER = "mode";

	/** The job parameter (not identifying) with the number of input rows, for progress. */
	public static final String INPUT_ROWS_PARAMETER = "inputRows";

	/**
	 * The job parameter (not identifying) with the largest key of a source table when the
	 * execution's pre-read began: the execution reads the rows up to it (see
	 * {@code ProspectReader#upperKey()}).
	 */
	public static final String INPUT_UPPER_KEY_PARAMETER = "inputUpperKey";

	/** The run a step execution belongs to. */
	public static Run of(StepExecution stepExecution, String companyId) {
		return of(stepExecution.getJobExecution(), companyId);
	}

	/** The run a job execution belongs to. */
	public static Run of(JobExecution jobExecution, String companyId) {
		String mode = jobExecution.getJobParameters().getString(MODE_PARAMETER, Mode.LIVE.name());
		return new Run(jobExecution.getJobInstance().getInstanceId(), companyId, Mode.valueOf(mode));
	}

}
