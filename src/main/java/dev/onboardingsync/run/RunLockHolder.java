package dev.onboardingsync.run;

import dev.onboardingsync.onboarding.RunLockGuard;

/**
 * Holds the run's lock for the steps to check: a run whose lock's database session was dropped has
 * lost the lock, and another run of the company could start; it stops before its next chunk of
 * calls (the onboard step checks it before each of its transactions).
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
			throw new IllegalStateException("The run lock's database session was lost, so another run of this"
					+ " company could start: stopping this run; run the same command again to resume it");
		}
	}

}
