package dev.onboardingsync.onboarding;

/**
 * Says whether the run may go on calling the platform: it fails when the run has lost what keeps
 * other runs of its company away (the run lock).
 */
@FunctionalInterface
public interface RunGuard {

	/** @throws IllegalStateException if the run must not go on */
	void check();

}
