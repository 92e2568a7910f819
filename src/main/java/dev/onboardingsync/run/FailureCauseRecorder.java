package dev.onboardingsync.run;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Keeps the plain cause of a run that did not complete with its execution, as its exit
 * description ({@code batch_job_execution.exit_message}), in place of the stack traces Spring Batch
 * stores there (cut at 2,500 characters, before the cause; the log has them): {@code runs show}
 * prints it long after the pod and its log are gone (issue 9).
 */
class FailureCauseRecorder implements JobExecutionListener {

	private final long maxRetries;

	/** @param maxRetries {@code onboarding.retry.max-retries}, for the failure's words */
	FailureCauseRecorder(long maxRetries) {
		this.maxRetries = maxRetries;
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		if (jobExecution.getStatus() != BatchStatus.COMPLETED) {
			// Spring Batch stores the execution, exit status included, after its listeners.
			jobExecution.setExitStatus(new ExitStatus(jobExecution.getExitStatus().getExitCode(),
					FailureCause.of(jobExecution, this.maxRetries).summary()));
		}
	}

}
