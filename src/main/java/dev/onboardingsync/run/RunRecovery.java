package dev.onboardingsync.run;

import dev.onboardingsync.system.JobParameterNames;
import java.time.LocalDateTime;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Makes resumable what an earlier process of the company left behind. Called only under the
 * company's run lock, which proves that no other process is running any of its executions.
 * <ul>
 * <li>An execution still marked running lost its process (kill -9, OOM, node loss): it is marked
 * failed ({@code JobOperator.recover}).</li>
 * <li>An execution that ended {@code UNKNOWN}, or with a step that did (or, stopped, with a step
 * still marked running: SIGTERM, then kill -9), could not record how a chunk's commit or its step's
 * end went, typically because the job's database went away (a failover, a restart). Spring Batch
 * refuses to restart it and leaves it to an operator; this job needs none, because every step is
 * resumable from whatever was committed: a chunk's writes and its reader's position commit in one
 * transaction, staging is idempotent by line number, onboarding reads its ledger (a create is noted
 * {@code UNCERTAIN} before it is sent and settled by a check, never sent blind again), and sync and
 * reconcile are idempotent. So it is marked failed, like a killed one, and resumed (issue 7, fault 1).</li>
 * </ul>
 */
class RunRecovery {

	private static final Logger logger = LoggerFactory.getLogger(RunRecovery.class);

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Set<String> jobNames;

	private final String companyId;

	RunRecovery(JobOperator jobOperator, JobRepository jobRepository, Set<String> jobNames, String companyId) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.jobNames = jobNames;
		this.companyId = companyId;
	}

	/** Marks failed every execution of the company still marked running. */
	void recoverDeadExecutions() {
		for (String jobName : this.jobNames) {
			for (JobExecution execution : this.jobRepository.findRunningJobExecutions(jobName)) {
				if (this.companyId.equals(execution.getJobParameters().getString(JobParameterNames.COMPANY_ID))) {
					logger.warn("Job execution {} of run {} was left {} by a process that ended without finishing it;"
							+ " marking it failed so that it can be resumed", execution.getId(),
							execution.getJobInstance().getInstanceId(), execution.getStatus());
					this.jobOperator.recover(execution);
				}
			}
		}
	}

	/**
	 * Makes the last execution of a run resumable when a step of it did not end: it ended
	 * {@code UNKNOWN}, or has a step that did, or ended {@code STOPPED} or {@code FAILED} with a step
	 * still marked running. A step can be saved {@code UNKNOWN} while its job stays {@code STARTED} or
	 * becomes {@code FAILED} (the step's last save worked, the job's did not); a job stopped by
	 * SIGTERM is saved {@code STOPPED} before its running step ends, and a kill -9 after the grace
	 * period leaves that step {@code STARTED}. Spring Batch refuses to restart either
	 * (TaskExecutorJobLauncher checks the last execution's steps), so such steps, and an
	 * {@code UNKNOWN} job, are marked failed. Does nothing to an execution still running: call
	 * {@link #recoverDeadExecutions()} first.
	 * @return the execution, as now saved
	 */
	JobExecution recoverInterrupted(JobExecution execution) {
		boolean interrupted = execution.getStatus() == BatchStatus.UNKNOWN || execution.getStepExecutions()
			.stream()
			.anyMatch((step) -> step.getStatus() == BatchStatus.UNKNOWN || step.getStatus().isRunning());
		if (!interrupted || execution.getStatus().isRunning()) {
			return execution;
		}
		logger.warn("Job execution {} of run {} ended {} with a step that did not end (a commit's outcome was lost, or"
				+ " the process died while stopping); what it committed is consistent, so that step is marked failed",
				execution.getId(), execution.getJobInstance().getInstanceId(), execution.getStatus());
		LocalDateTime now = LocalDateTime.now();
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getStatus() == BatchStatus.UNKNOWN || step.getStatus().isRunning()) {
				ExitStatus recovered = ExitStatus.FAILED.addExitDescription("recovered from " + step.getStatus());
				// setStatus, not upgradeStatus: UNKNOWN ranks above FAILED and ABANDONED, so an upgrade
				// keeps it UNKNOWN (why JobOperator.abandon "succeeds" and leaves it UNKNOWN).
				step.setStatus(BatchStatus.FAILED);
				step.setExitStatus(recovered);
				if (step.getEndTime() == null) {
					step.setEndTime(now);
				}
				this.jobRepository.update(step);
			}
		}
		if (execution.getStatus() == BatchStatus.UNKNOWN) {
			execution.setStatus(BatchStatus.FAILED);
			execution.setExitStatus(ExitStatus.FAILED.addExitDescription("recovered from " + BatchStatus.UNKNOWN));
		}
		if (execution.getEndTime() == null) {
			execution.setEndTime(now);
		}
		this.jobRepository.update(execution);
		return execution;
	}

}
