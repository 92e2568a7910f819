package dev.onboardingsync.run;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.context.SmartLifecycle;

/**
 * SIGTERM (Kubernetes ending a pod, Ctrl-C) stops the run where its work is recorded instead of
 * killing it mid-chunk (at a chunk boundary; the onboard step takes no further prospect and records
 * what its calls in flight answer, {@code OnboardTasklet}): the first thing the closing application context does is ask the running job to
 * stop ({@code JobOperator.stop}) and wait for it, before the DataSource and the executors go
 * (spring-batch #5307), then waits for the launch to return, the job's last update and the run
 * lock's release included. The run ends {@code STOPPED} and the same command resumes it. If that
 * takes longer than {@code onboarding.shutdown-timeout}, shutdown goes on and the next run
 * recovers the execution. The process then exits with the run's exit code ({@link ShutdownExitCode}).
 */
class GracefulShutdown implements SmartLifecycle, JobExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(GracefulShutdown.class);

	private final JobOperator jobOperator;

	private final Duration timeout;

	private volatile boolean running;

	private volatile JobExecution execution;

	private volatile CountDownLatch finished = new CountDownLatch(0);

	GracefulShutdown(JobOperator jobOperator, Duration timeout) {
		this.jobOperator = jobOperator;
		this.timeout = timeout;
	}

	/** A launch begins: shutdown waits for {@link #launched()}. */
	void launching() {
		this.finished = new CountDownLatch(1);
	}

	/** The launch returned: nothing of the run is left to wait for. */
	void launched() {
		this.execution = null;
		this.finished.countDown();
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		this.execution = jobExecution;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		JobExecution current = this.execution;
		if (current == null) {
			return;
		}
		logger.warn("Shutting down: stopping job execution {} at the end of its current chunk", current.getId());
		try {
			this.jobOperator.stop(current);
		}
		catch (Exception ex) {
			// It may have just ended; either way, wait for the launch to return before anything closes.
			logger.warn("Could not stop job execution {}: {}", current.getId(), ex.getMessage());
		}
		try {
			boolean ended = this.finished.await(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			ExitCodes code = ExitCodes.of(current);
			ShutdownExitCode.stoppedRun(code);
			if (ended) {
				logger.warn("Job execution {} ended {} at shutdown: exit code {} ({})", current.getId(),
						current.getStatus(), code.code(), code);
			}
			else {
				// Its status is whatever the stop request left in memory: it has not ended.
				logger.warn("Job execution {} did not stop within {} (onboarding.shutdown-timeout): exit code {} ({});"
						+ " the same command recovers and resumes it", current.getId(), this.timeout, code.code(), code);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stopped first, before anything the running job depends on. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}
