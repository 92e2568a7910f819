package dev.onboardingsync.onboarding;

import org.springframework.batch.core.listener.ItemReadListener;

/**
 * Asks the {@link RunGuard} before the first read of every chunk, that is before the calls of that
 * chunk go out. The reader runs on the step's thread, so the count needs no synchronisation.
 */
class RunGuardCheck implements ItemReadListener<Object> {

	private final RunGuard guard;

	private final int chunkSize;

	private long reads;

	RunGuardCheck(RunGuard guard, int chunkSize) {
		this.guard = guard;
		this.chunkSize = chunkSize;
	}

	@Override
	public void beforeRead() {
		if (this.reads++ % this.chunkSize == 0) {
			this.guard.check();
		}
	}

}
