package dev.onboardingsync.run;

import java.util.List;
import java.util.Map;

import dev.onboardingsync.customerapi.CustomerApiProperties;
import dev.onboardingsync.intake.InputReaders;
import dev.onboardingsync.intake.IntakeProperties;
import dev.onboardingsync.system.JobParameterNames;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Starts, resumes, restarts or abandons a run, under the company's run lock ({@link RunLockScope}).
 * A run is identified by its job parameters ({@link RunParameters}): running the same command again
 * after a failure resumes that run where it stopped; after a completed run it starts a new one
 * (which finds everything already onboarded). What an earlier process left behind (an execution
 * still marked running, or one that ended {@code UNKNOWN}) is marked failed and so resumed: see
 * {@link RunRecovery}.
 */
class RunLauncher {

	private static final Logger logger = LoggerFactory.getLogger(RunLauncher.class);

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Map<String, Job> jobs;

	private final IntakeProperties intake;

	private final String companyId;

	private final List<String> unsetApiSettings;

	private final RunRecovery recovery;

	private final RunIntakeSettings intakeSettings;

	private final RunParameters parameters;

	private final RunLockScope lock;

	RunLauncher(JobOperator jobOperator, JobRepository jobRepository, Map<String, Job> jobs,
			RunLock.Connector lockConnector, IntakeProperties intake, CustomerApiProperties api, GracefulShutdown shutdown,
			ThreadPoolTaskExecutor apiCalls, RunLockHolder lockHolder, RunIntakeSettings intakeSettings) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.jobs = jobs;
		this.intake = intake;
		this.companyId = api.companyId();
		this.unsetApiSettings = api.unsetForCalls();
		this.intakeSettings = intakeSettings;
		this.recovery = new RunRecovery(jobOperator, jobRepository, jobs.keySet(), this.companyId);
		this.parameters = new RunParameters(jobRepository, this.recovery, intakeSettings, this.companyId);
		this.lock = new RunLockScope(lockConnector, this.companyId, shutdown, this.recovery, lockHolder, apiCalls,
				api.connectTimeout().plus(api.readTimeout()));
	}

	JobExecution launch(RunRequest request) throws Exception {
		requireApiSettings();
		InputCheck input = (request.input() != null) ? InputCheck.of(request.input(), this.intake) : null;
		Job job = this.jobs.get(request.job());
		return this.lock.run(() -> {
			JobParameters parameters = this.parameters.next(request, input);
			logger.info("Starting {} ({}, runKey={}{})", job.getName(), parameters.getString(JobParameterNames.MODE),
					parameters.getString(JobParameterNames.RUN_KEY), (request.input() != null) ? ", input=" + InputReaders.describe(
							request.input(), this.intake) + ", " + parameters.getLong(JobParameterNames.INPUT_ROWS) + " rows" : "");
			return this.jobOperator.start(job, parameters);
		});
	}

	/**
	 * Resumes a failed or stopped run, as rerunning its own command would.
	 * @throws BadConfigurationException if the company has no such run, or it is not resumable
	 */
	JobExecution restart(long runId) throws Exception {
		return this.lock.run(() -> {
			JobExecution last = this.recovery.recoverInterrupted(lastExecution(runId));
			if (last.getStatus() != BatchStatus.FAILED && last.getStatus() != BatchStatus.STOPPED) {
				throw new BadConfigurationException("Run " + runId + " is " + last.getStatus()
						+ ": only a FAILED, STOPPED or UNKNOWN run can be restarted.");
			}
			requireApiSettings();
			String input = last.getJobParameters().getString(JobParameterNames.INPUT);
			InputCheck.requireUnchanged(runId, input, last.getJobParameters().getString(JobParameterNames.INPUT_CHECKSUM));
			this.intakeSettings.checkSameSettings(runId, input);
			logger.info("Restarting run {} (its last execution {} ended {})", runId, last.getId(), last.getStatus());
			return this.jobOperator.start(this.jobs.get(last.getJobInstance().getJobName()), last.getJobParameters());
		});
	}

	/**
	 * Gives up a failed or stopped run: it will not be resumed, and its command starts a new run.
	 */
	JobExecution abandon(long runId) throws Exception {
		return this.lock.run(() -> {
			JobExecution last = lastExecution(runId);
			if (last.getStatus() != BatchStatus.FAILED && last.getStatus() != BatchStatus.STOPPED
					&& last.getStatus() != BatchStatus.UNKNOWN) {
				throw new BadConfigurationException("Run " + runId + " is " + last.getStatus()
						+ ": only a FAILED, STOPPED or UNKNOWN run can be abandoned.");
			}
			logger.warn("Abandoning run {} (execution {})", runId, last.getId());
			JobExecution abandoned = this.jobOperator.abandon(this.recovery.recoverInterrupted(last));
			BatchStatus saved = this.jobRepository.getJobExecution(abandoned.getId()).getStatus();
			if (saved != BatchStatus.ABANDONED) {
				throw new IllegalStateException("Run " + runId + " could not be abandoned: its execution "
						+ abandoned.getId() + " is still " + saved);
			}
			return abandoned;
		});
	}

	/** Whether a process holds the company's run lock now: a run marked running without it has died. */
	boolean runInProgress() throws Exception {
		return this.lock.held();
	}

	private JobExecution lastExecution(long runId) {
		JobInstance instance = this.jobRepository.getJobInstance(runId);
		JobExecution last = (instance != null) ? this.jobRepository.getLastJobExecution(instance) : null;
		if (last == null || !this.companyId.equals(last.getJobParameters().getString(JobParameterNames.COMPANY_ID))) {
			throw new BadConfigurationException("Company " + this.companyId + " has no run " + runId + ": see runs list.");
		}
		return last;
	}

	// The operator's commands that only read the job's database need neither (issue 9).
	private void requireApiSettings() {
		if (!this.unsetApiSettings.isEmpty()) {
			throw new BadConfigurationException(String.join(" and ", this.unsetApiSettings) + " must be set to call the"
					+ " platform: see the README, \"Configure it\" (the token can be given as a file).");
		}
	}

}
