package dev.onboardingsync.run;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Work done under the company's run lock ({@link RunLock}): a launch, a restart, an abandon. Once
 * the lock is taken, what a dead process left marked running is recovered ({@link RunRecovery});
 * the lock is held for the run's guards ({@link RunLockHolder}) and released only when no API call
 * of the run is still in flight. A shutdown signal meanwhile waits for the launch to start
 * ({@link GracefulShutdown}).
 */
final class RunLockScope {

	private static final Logger logger = LoggerFactory.getLogger(RunLockScope.class);

	private final RunLock.Connector connector;

	private final String companyId;

	private final GracefulShutdown shutdown;

	private final RunRecovery recovery;

	private final RunLockHolder holder;

	private final ThreadPoolTaskExecutor apiCalls;

	private final Duration longestCall;

	/**
	 * @param longestCall how long an API call can last (its connect and read timeouts): how long
	 * the lock is kept at most for calls still in flight
	 */
	RunLockScope(RunLock.Connector connector, String companyId, GracefulShutdown shutdown, RunRecovery recovery,
			RunLockHolder holder, ThreadPoolTaskExecutor apiCalls, Duration longestCall) {
		this.connector = connector;
		this.companyId = companyId;
		this.shutdown = shutdown;
		this.recovery = recovery;
		this.holder = holder;
		this.apiCalls = apiCalls;
		this.longestCall = longestCall;
	}

	/**
	 * Does the work under the lock.
	 * @throws ExitCodeException with {@link ExitCodes#RUN_IN_PROGRESS} if another process holds it
	 */
	<T> T run(LockedWork<T> work) throws Exception {
		this.shutdown.launching();
		try (RunLock lock = RunLock.tryAcquire(this.connector, this.companyId)) {
			if (lock == null) {
				throw new ExitCodeException(ExitCodes.RUN_IN_PROGRESS, "Another run for company " + this.companyId
						+ " is in progress (it holds the run lock): wait for it to end, then try again.");
			}
			this.recovery.recoverDeadExecutions();
			this.holder.hold(lock);
			try {
				return work.run();
			}
			finally {
				awaitCallsInFlight();
				this.holder.release();
			}
		}
		finally {
			this.shutdown.launched();
		}
	}

	/** Whether a process holds the company's run lock now: a run marked running without it has died. */
	boolean held() throws Exception {
		try (RunLock lock = RunLock.tryAcquire(this.connector, this.companyId)) {
			return lock == null;
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

	/** Work to do under the lock. */
	@FunctionalInterface
	interface LockedWork<T> {

		T run() throws Exception;

	}

}
