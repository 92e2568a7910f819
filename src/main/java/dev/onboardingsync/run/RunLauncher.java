package dev.onboardingsync.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.onboardingsync.customerapi.CustomerApiProperties;
import dev.onboardingsync.intake.BadInputException;
import dev.onboardingsync.intake.InputReaders;
import dev.onboardingsync.intake.IntakeProperties;
import dev.onboardingsync.system.JobParameterNames;
import dev.onboardingsync.system.Mode;
import dev.onboardingsync.system.Run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Starts or resumes a run. A run is identified by its job, company, input (for a file: its
 * content's SHA-256), schedule slot ({@code runKey}) and mode. Running the same command again after
 * a failure resumes that run where it stopped; after a completed run it starts a new one (which
 * finds everything already onboarded). Under the company's lock, what an earlier process left
 * behind (an execution still marked running, or one that ended {@code UNKNOWN}) is marked failed
 * and so resumed: see {@link RunRecovery}.
 */
class RunLauncher {

	private static final Logger logger = LoggerFactory.getLogger(RunLauncher.class);

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Map<String, Job> jobs;

	private final RunLock.Connector lockConnector;

	private final IntakeProperties intake;

	private final String companyId;

	private final GracefulShutdown shutdown;

	private final ThreadPoolTaskExecutor apiCalls;

	private final RunLockHolder lockHolder;

	private final Duration longestCall;

	private final List<String> unsetApiSettings;

	private final RunRecovery recovery;

	private final RunRegistrar registrar;

	RunLauncher(JobOperator jobOperator, JobRepository jobRepository, Map<String, Job> jobs,
			RunLock.Connector lockConnector, IntakeProperties intake, CustomerApiProperties api, GracefulShutdown shutdown,
			ThreadPoolTaskExecutor apiCalls, RunLockHolder lockHolder, RunRegistrar registrar) {
		this.registrar = registrar;
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.jobs = jobs;
		this.lockConnector = lockConnector;
		this.intake = intake;
		this.companyId = api.companyId();
		this.unsetApiSettings = api.unsetForCalls();
		this.shutdown = shutdown;
		this.apiCalls = apiCalls;
		this.longestCall = api.connectTimeout().plus(api.readTimeout());
		this.lockHolder = lockHolder;
		this.recovery = new RunRecovery(jobOperator, jobRepository, jobs.keySet(), companyId);
	}

	JobExecution launch(RunRequest request) throws Exception {
		requireApiSettings();
		InputCheck input = (request.input() != null) ? InputCheck.of(request.input(), this.intake) : null;
		Job job = this.jobs.get(request.job());
		return underLock(() -> {
			JobParameters parameters = parameters(request, input);
			logger.info("Starting {} ({}, runKey={}{})", job.getName(), parameters.getString(JobParameterNames.MODE),
					parameters.getString(JobParameterNames.RUN_KEY), (request.input() != null) ? ", input=" + InputReaders.describe(
							request.input(), this.intake) + ", " + input.rows() + " rows" : "");
			return this.jobOperator.start(job, parameters);
		});
	}

	/**
	 * Resumes a failed or stopped run, as rerunning its own command would.
	 * @throws BadConfigurationException if the company has no such run, or it is not resumable
	 */
	JobExecution restart(long runId) throws Exception {
		return underLock(() -> {
			JobExecution last = this.recovery.recoverInterrupted(lastExecution(runId));
			if (last.getStatus() != BatchStatus.FAILED && last.getStatus() != BatchStatus.STOPPED) {
				throw new BadConfigurationException("Run " + runId + " is " + last.getStatus()
						+ ": only a FAILED, STOPPED or UNKNOWN run can be restarted.");
			}
			requireApiSettings();
			String input = last.getJobParameters().getString(JobParameterNames.INPUT);
			String checksum = last.getJobParameters().getString(JobParameterNames.INPUT_CHECKSUM);
			if (checksum != null && !Path.of(input).isAbsolute() && !Files.exists(Path.of(input))) {
				throw new BadConfigurationException("Run " + runId + " reads " + input + ", a path relative to the directory"
						+ " it started in, which is not this one (" + Path.of("").toAbsolutePath() + "): run runs restart "
						+ runId + " there, or its own command.");
			}
			if (checksum != null && !checksum.equals(InputCheck.sha256(Path.of(input)))) {
				throw new BadInputException("The input " + input + " changed since run " + runId + " started: restore"
						+ " that file to resume the run, or give the run up (runs abandon " + runId + ", which also clears"
						+ " the personal data it keeps) and run the new file as a new run.");
			}
			this.registrar.checkSameSettings(runId, input);
			logger.info("Restarting run {} (its last execution {} ended {})", runId, last.getId(), last.getStatus());
			return this.jobOperator.start(this.jobs.get(last.getJobInstance().getJobName()), last.getJobParameters());
		});
	}

	/**
	 * Gives up a failed or stopped run: it will not be resumed, and its command starts a new run.
	 */
	JobExecution abandon(long runId) throws Exception {
		return underLock(() -> {
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

	private JobExecution lastExecution(long runId) {
		JobInstance instance = this.jobRepository.getJobInstance(runId);
		JobExecution last = (instance != null) ? this.jobRepository.getLastJobExecution(instance) : null;
		if (last == null || !this.companyId.equals(last.getJobParameters().getString(JobParameterNames.COMPANY_ID))) {
			throw new BadConfigurationException("Company " + this.companyId + " has no run " + runId + ": see runs list.");
		}
		return last;
	}

	/** Whether a process holds the company's run lock now: a run marked running without it has died. */
	boolean runInProgress() throws Exception {
		try (RunLock lock = RunLock.tryAcquire(this.lockConnector, this.companyId)) {
			return lock == null;
		}
	}

	// The operator's commands that only read the job's database need neither (issue 9).
	private void requireApiSettings() {
		if (!this.unsetApiSettings.isEmpty()) {
			throw new BadConfigurationException(String.join(" and ", this.unsetApiSettings) + " must be set to call the"
					+ " platform: see the README, \"Configure it\" (the token can be given as a file).");
		}
	}

	private <T> T underLock(LockedWork<T> work) throws Exception {
		this.shutdown.launching();
		try (RunLock lock = RunLock.tryAcquire(this.lockConnector, this.companyId)) {
			if (lock == null) {
				throw new ExitCodeException(ExitCodes.RUN_IN_PROGRESS, "Another run for company " + this.companyId
						+ " is in progress (it holds the run lock): wait for it to end, then try again.");
			}
			this.recovery.recoverDeadExecutions();
			this.lockHolder.hold(lock);
			try {
				return work.run();
			}
			finally {
				awaitCallsInFlight();
				this.lockHolder.release();
			}
		}
		finally {
			this.shutdown.launched();
		}
	}

	// A failed chunk leaves calls of its other items in flight; the lock is kept until they end, so
	// that no other run can act on those prospects meanwhile. A call lasts at most its timeouts.
	private void awaitCallsInFlight() throws InterruptedException {
		long deadline = System.nanoTime() + this.longestCall.toNanos();
		if (this.apiCalls.getActiveCount() > 0) {
			logger.info("Waiting for {} API calls still in flight", this.apiCalls.getActiveCount());
		}
		while (this.apiCalls.getActiveCount() > 0 && System.nanoTime() < deadline) {
			TimeUnit.MILLISECONDS.sleep(50);
		}
	}

	@FunctionalInterface
	private interface LockedWork<T> {

		T run() throws Exception;

	}

	// The run's identity, and a sequence that moves on only once the last run of that identity is done.
	private JobParameters parameters(RunRequest request, InputCheck input) {
		long sequence = 1;
		while (true) {
			JobParameters candidate = identity(request, input, sequence);
			JobInstance instance = this.jobRepository.getJobInstance(request.job(), candidate);
			if (instance == null) {
				return candidate;
			}
			JobExecution last = this.jobRepository.getLastJobExecution(instance);
			if (last != null) {
				last = this.recovery.recoverInterrupted(last);
			}
			if (last == null || last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED) {
				if (last != null) {
					this.registrar.checkSameSettings(instance.getInstanceId(), request.input());
					logger.info("Resuming run {} (its last execution {} ended {})", instance.getInstanceId(),
							last.getId(), last.getStatus());
				}
				return candidate;
			}
			sequence++;
		}
	}

	private JobParameters identity(RunRequest request, InputCheck input, long sequence) {
		JobParametersBuilder builder = new JobParametersBuilder().addString(JobParameterNames.COMPANY_ID, this.companyId)
			.addString(JobParameterNames.RUN_KEY, request.runKey())
			.addString(JobParameterNames.MODE, (request.dryRun() ? Mode.DRY_RUN : Mode.LIVE).name())
			.addLong("sequence", sequence);
		if (input != null) {
			builder.addString(JobParameterNames.INPUT, request.input());
			if (input.checksum() != null) {
				builder.addString(JobParameterNames.INPUT_CHECKSUM, input.checksum());
			}
			builder.addLong(JobParameterNames.INPUT_ROWS, input.rows(), false);
			if (input.upperKey() != null) {
				builder.addString(JobParameterNames.INPUT_UPPER_KEY, input.upperKey(), false);
			}
		}
		return builder.toJobParameters();
	}

}
