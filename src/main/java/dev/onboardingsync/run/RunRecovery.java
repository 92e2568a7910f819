package dev.onboardingsync.run;

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
 * <li>An execution that ended {@code UNKNOWN}, or with a step that did, could not record how a chunk's commit or its step's
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
				if (this.companyId.equals(execution.getJobParameters().getString(RunLauncher.COMPANY_PARAMETER))) {
					logger.warn("Job execution {} of run {} was left {} by a process that ended without finishing it;"
							+ " marking it failed so that it can be resumed", execution.getId(),
							execution.getJobInstance().getInstanceId(), execution.getStatus());
					this.jobOperator.recover(execution);
				}
			}
		}
	}

	/**
	 * Marks an execution that ended {@code UNKNOWN}, or that has a step that did, failed, with those
	 * steps (and any step still marked running), so that the run can be resumed or abandoned. A step
	 * can be saved {@code UNKNOWN} while its job stays {@code STARTED} or becomes {@code FAILED} (the
	 * step's last save worked, the job's did not, or the process died in between); Spring Batch
	 * refuses to restart either (TaskExecutorJobLauncher checks the last execution's steps).
	 * Does nothing to an execution without an {@code UNKNOWN} in it, or one still running: call
	 * {@link #recoverDeadExecutions()} first.
	 * @return the execution, as now saved
	 */
	JobExecution recoverUnknown(JobExecution execution) {
		boolean unknown = execution.getStatus() == BatchStatus.UNKNOWN || execution.getStepExecutions()
			.stream()
			.anyMatch((step) -> step.getStatus() == BatchStatus.UNKNOWN);
		if (!unknown || execution.getStatus().isRunning()) {
			return execution;
		}
		logger.warn("Job execution {} of run {} ended with an UNKNOWN status (a commit's outcome was lost, most likely"
				+ " with the database's connection); what it committed is consistent, so it is marked failed",
				execution.getId(), execution.getJobInstance().getInstanceId());
		LocalDateTime now = LocalDateTime.now();
		ExitStatus recovered = ExitStatus.FAILED.addExitDescription("recovered from " + BatchStatus.UNKNOWN);
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getStatus() == BatchStatus.UNKNOWN || step.getStatus().isRunning()) {
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
			execution.setExitStatus(recovered);
		}
		if (execution.getEndTime() == null) {
			execution.setEndTime(now);
		}
		this.jobRepository.update(execution);
		return execution;
	}

}
