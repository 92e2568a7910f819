package dev.onboardingsync.onboarding;

/**
 * Says whether the run may go on calling the platform: it fails when the run has lost the company's
 * run lock, which keeps other runs of the company away (the lock itself: {@code run.RunLock}).
 */
@FunctionalInterface
public interface RunLockGuard {

	/** @throws IllegalStateException if the run no longer holds the lock and must not go on */
	void check();

}
