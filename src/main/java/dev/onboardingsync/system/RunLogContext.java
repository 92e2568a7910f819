package dev.onboardingsync.system;

import java.util.Map;

import org.slf4j.MDC;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.task.TaskDecorator;

/**
 * Puts the run ({@code runId}, {@code jobExecutionId}) and the step ({@code step}) on every log
 * line, in the logging MDC: the console pattern shows them, the JSON formats carry them as fields.
 * {@link #taskDecorator()} hands them on to the threads that make the API calls.
 */
public class RunLogContext implements JobExecutionListener, StepExecutionListener {

	public static final String RUN_ID = "runId";

	public static final String JOB_EXECUTION_ID = "jobExecutionId";

	public static final String STEP = "step";

	@Override
	public void beforeJob(JobExecution jobExecution) {
		MDC.put(RUN_ID, Long.toString(jobExecution.getJobInstance().getInstanceId()));
		MDC.put(JOB_EXECUTION_ID, Long.toString(jobExecution.getId()));
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		MDC.remove(RUN_ID);
		MDC.remove(JOB_EXECUTION_ID);
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		MDC.put(STEP, stepExecution.getStepName());
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		MDC.remove(STEP);
		return stepExecution.getExitStatus();
	}

	/** Copies the submitting thread's MDC to the thread that runs the task, and clears it after. */
	public static TaskDecorator taskDecorator() {
		return (task) -> {
			Map<String, String> context = MDC.getCopyOfContextMap();
			return () -> {
				if (context != null) {
					MDC.setContextMap(context);
				}
				try {
					task.run();
				}
				finally {
					MDC.clear();
				}
			};
		};
	}

}
