package dev.onboardingsync.run;

import java.util.Objects;
import java.util.stream.Stream;

import dev.onboardingsync.system.JobParameterNames;
import dev.onboardingsync.system.Mode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;

/**
 * The job parameters a run is launched with ({@link JobParameterNames}). A run is identified by its
 * company, schedule slot ({@code runKey}), mode, input (for a file: its content's SHA-256) and a
 * sequence that moves on only once the last run of that identity is done: the same command resumes
 * a failed or stopped run, and after a completed one starts a new run. The rows the pre-read counted
 * and a table's upper key are given to the run's executions without identifying it: a resumed run
 * keeps those of its first execution.
 */
final class RunParameters {

	private static final Logger logger = LoggerFactory.getLogger(RunParameters.class);

	// How many of the job's latest runs are looked at for one left unfinished by an edited file.
	private static final int RECENT_RUNS = 20;

	private final JobRepository jobRepository;

	private final RunRecovery recovery;

	private final RunIntakeSettings intakeSettings;

	private final String companyId;

	RunParameters(JobRepository jobRepository, RunRecovery recovery, RunIntakeSettings intakeSettings,
			String companyId) {
		this.jobRepository = jobRepository;
		this.recovery = recovery;
		this.intakeSettings = intakeSettings;
		this.companyId = companyId;
	}

	/**
	 * The parameters of the request's run: those of its unfinished run, which they resume (with the
	 * settings it started with, else refused), or of a new one. Called under the company's run lock,
	 * as it marks an interrupted execution failed ({@link RunRecovery}).
	 * @param input what the pre-read found, or {@code null} for a run without input (the sync alone)
	 * @throws BadConfigurationException if an unfinished run started with other intake settings
	 */
	JobParameters next(RunRequest request, InputCheck input) {
		long sequence = 1;
		while (true) {
			JobParameters candidate = of(request, input, sequence);
			JobInstance instance = this.jobRepository.getJobInstance(request.job(), candidate);
			if (instance == null) {
				warnOfUnfinished(request.job(), candidate);
				return candidate;
			}
			JobExecution last = this.jobRepository.getLastJobExecution(instance);
			if (last != null) {
				last = this.recovery.recoverInterrupted(last);
			}
			if (last == null) {
				return candidate;
			}
			if (last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED) {
				this.intakeSettings.checkSameSettings(instance.getInstanceId(), request.input());
				logger.info("Resuming run {} (its last execution {} ended {})", instance.getInstanceId(), last.getId(),
						last.getStatus());
				// As its first execution counted and bounded it: a table's rows added since with a larger key
				// wait for the next run, as they do for `runs restart` (README, "How it works", tables; a
				// fresh user's try found a resumed run reading up to the table's new largest key, issue 13).
				return last.getJobParameters();
			}
			sequence++;
		}
	}

	// An edited file is a new run (its checksum identifies it): says which of the company's recent runs of
	// the same command and file stays unfinished, and how to finish or give it up (two fresh users' tries,
	// issue 13: the new run started without a word of it).
	private void warnOfUnfinished(String job, JobParameters run) {
		String checksum = run.getString(JobParameterNames.INPUT_CHECKSUM);
		if (checksum == null) {
			return;
		}
		for (JobInstance instance : this.jobRepository.getJobInstances(job, 0, RECENT_RUNS)) {
			JobExecution last = this.jobRepository.getLastJobExecution(instance);
			if (last == null || (last.getStatus() != BatchStatus.FAILED && last.getStatus() != BatchStatus.STOPPED)) {
				continue;
			}
			JobParameters earlier = last.getJobParameters();
			if (Stream.of(JobParameterNames.COMPANY_ID, JobParameterNames.RUN_KEY, JobParameterNames.MODE, JobParameterNames.INPUT)
				.allMatch((name) -> Objects.equals(earlier.getString(name), run.getString(name)))
					&& !checksum.equals(earlier.getString(JobParameterNames.INPUT_CHECKSUM))) {
				logger.warn("Run {} of the same command ended {} and stays unfinished: {} changed since it started, so this is"
						+ " a new run. To finish run {}, put its file back and run the same command (or runs restart {});"
						+ " to give it up, runs abandon {}.", instance.getInstanceId(), last.getStatus(),
						run.getString(JobParameterNames.INPUT), instance.getInstanceId(), instance.getInstanceId(),
						instance.getInstanceId());
			}
		}
	}

	private JobParameters of(RunRequest request, InputCheck input, long sequence) {
		JobParametersBuilder builder = new JobParametersBuilder().addString(JobParameterNames.COMPANY_ID, this.companyId)
			.addString(JobParameterNames.RUN_KEY, request.runKey())
			.addString(JobParameterNames.MODE, (request.dryRun() ? Mode.DRY_RUN : Mode.LIVE).name())
			.addLong(JobParameterNames.SEQUENCE, sequence);
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
