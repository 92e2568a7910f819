package dev.onboardingsync.run;

import java.util.List;

import dev.onboardingsync.reporting.RunMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;

/**
 * The command line's run: {@code java -jar onboarding-sync.jar input=prospects.csv [runKey=...]
 * [dryRun=true] [job=customerSyncJob]}, or an operator's command ({@code runs ...}, see
 * {@link RunOperations}). Its outcome becomes the process's exit code.
 */
class RunCommand implements ApplicationRunner, ExitCodeGenerator {

	private static final Logger logger = LoggerFactory.getLogger(RunCommand.class);

	private final RunLauncher launcher;

	private final RunOperations operations;

	private final long maxRetries;

	private final RunMetrics metrics;

	private ExitCodes exitCode = ExitCodes.SUCCESS;

	/** @param maxRetries {@code onboarding.retry.max-retries}, for the failure's words */
	RunCommand(RunLauncher launcher, RunOperations operations, long maxRetries, RunMetrics metrics) {
		this.launcher = launcher;
		this.operations = operations;
		this.maxRetries = maxRetries;
		this.metrics = metrics;
	}

	@Override
	public void run(ApplicationArguments arguments) throws Exception {
		List<String> args = arguments.getNonOptionArgs();
		try {
			if (!args.isEmpty() && args.get(0).equals(RunOperations.NAME)) {
				this.exitCode = this.operations.execute(args.subList(1, args.size()), System.out);
				return;
			}
			JobExecution execution = this.launcher.launch(RunRequest.parse(args));
			this.exitCode = ExitCodes.of(execution);
			if (this.exitCode != ExitCodes.SUCCESS) {
				FailureCause.of(execution, this.maxRetries).log(logger, "Run " + execution.getJobInstance().getInstanceId()
						+ " (execution " + execution.getId() + ") ", this.exitCode);
			}
			logger.info("Job execution {} of run {} ended {}: exit code {} ({})", execution.getId(),
					execution.getJobInstance().getInstanceId(), execution.getStatus(), this.exitCode.code(),
					this.exitCode);
		}
		catch (RuntimeException ex) {
			this.exitCode = ExitCodes.of(ex);
			if (this.exitCode != ExitCodes.RUN_IN_PROGRESS) {
				// What the alerts see (k8s/monitoring): a run refused before it started failed.
				this.metrics.refused();
			}
			FailureCause.of(ex, this.maxRetries).log(logger, "The command failed: ", this.exitCode);
		}
		finally {
			ShutdownExitCode.commandEnded(this.exitCode);
		}
	}

	@Override
	public int getExitCode() {
		return this.exitCode.code();
	}

}
