package dev.onboardingsync.run;

import dev.onboardingsync.onboarding.RunLockGuard;

/**
 * Holds the run's lock for the steps to check: a run whose lock's database session was dropped has
 * lost the lock, and another run of the company could start; it stops before its next chunk of
 * calls (the onboard step checks it before each of its transactions), exit code 1.
 */
class RunLockHolder implements RunLockGuard {

	private volatile RunLock lock;

	void hold(RunLock lock) {
		this.lock = lock;
	}

	void release() {
		this.lock = null;
	}

	@Override
	public void check() {
		RunLock current = this.lock;
		if (current != null && !current.isHeld()) {
			// A failure the job expects (the job's database restarted, or the connection dropped): said in the
			// run's last line without a stack trace, exit code 1 (FailureCause, ExitCodes).
			throw new ExitCodeException(ExitCodes.FAILED_RESTARTABLE, "the run lock's database session was lost"
					+ " (the job's database restarted, or the connection dropped), so another run of this company"
					+ " could start: this run stops. Nothing committed is lost: run the same command again once the"
					+ " database answers.");
		}
	}

}
