package dev.onboardingsync.onboarding;

import org.springframework.batch.core.listener.ItemReadListener;

/**
 * Says whether the run may go on calling the platform: it fails when the run has lost the company's
 * run lock, which keeps other runs of the company away (the lock itself: {@code run.RunLock}).
 */
@FunctionalInterface
public interface RunLockGuard {

	/** @throws IllegalStateException if the run no longer holds the lock and must not go on */
	void check();

	/**
	 * Checks the guard before the first read of every chunk, that is before the calls of that chunk go
	 * out. Not a {@code ChunkListener}: Spring Batch 6's {@code ChunkOrientedStep} calls
	 * {@code beforeChunk} only when it processes a chunk on its own thread, not with a task executor
	 * as the onboard step has ({@code processChunkConcurrently}, 6.0). The reader runs on the step's
	 * thread, so the count needs no synchronisation.
	 * @param chunkSize the step's chunk size
	 */
	static ItemReadListener<Object> beforeEachChunk(RunLockGuard guard, int chunkSize) {
		return new ItemReadListener<>() {

			private long reads;

			@Override
			public void beforeRead() {
				if (this.reads++ % chunkSize == 0) {
					guard.check();
				}
			}

		};
	}

}
