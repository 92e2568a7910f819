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
 * <li>An execution that ended {@code UNKNOWN} could not record how a chunk's commit or its step's
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

	/** Where a recovered execution says what it was: its saved context keeps the note. */
	static final String RECOVERED_FROM = "onboarding.recoveredFrom";

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
	 * Marks an {@code UNKNOWN} execution, and its {@code UNKNOWN} or unfinished steps, failed, so
	 * that the run can be resumed (or abandoned). Does nothing to an execution in any other state.
	 * @return the execution, as now saved
	 */
	JobExecution recoverUnknown(JobExecution execution) {
		if (execution.getStatus() != BatchStatus.UNKNOWN) {
			return execution;
		}
		logger.warn("Job execution {} of run {} ended UNKNOWN (a commit's outcome was lost, most likely with the"
				+ " database's connection); what it committed is consistent, so it is marked failed and resumed",
				execution.getId(), execution.getJobInstance().getInstanceId());
		LocalDateTime now = LocalDateTime.now();
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getStatus() == BatchStatus.UNKNOWN || step.getStatus().isRunning()) {
				step.getExecutionContext().put(RECOVERED_FROM, step.getStatus().name());
				// setStatus, not upgradeStatus: UNKNOWN ranks above FAILED and ABANDONED, so an upgrade
				// keeps it UNKNOWN (why JobOperator.abandon "succeeds" and leaves it UNKNOWN).
				step.setStatus(BatchStatus.FAILED);
				step.setExitStatus(ExitStatus.FAILED.addExitDescription("recovered from " + BatchStatus.UNKNOWN));
				if (step.getEndTime() == null) {
					step.setEndTime(now);
				}
				this.jobRepository.update(step);
				this.jobRepository.updateExecutionContext(step);
			}
		}
		execution.getExecutionContext().put(RECOVERED_FROM, BatchStatus.UNKNOWN.name());
		execution.setStatus(BatchStatus.FAILED);
		execution.setExitStatus(ExitStatus.FAILED.addExitDescription("recovered from " + BatchStatus.UNKNOWN));
		if (execution.getEndTime() == null) {
			execution.setEndTime(now);
		}
		this.jobRepository.update(execution);
		this.jobRepository.updateExecutionContext(execution);
		return execution;
	}

}
