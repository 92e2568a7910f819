package dev.onboardingsync.run;

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
