package dev.onboardingsync.customerapi;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One requests-per-second budget shared by every thread that calls the platform: each caller
 * takes the next free slot on an evenly spaced schedule, so bursts never exceed the budget. A
 * {@code Retry-After} from the platform pushes the whole schedule back, so all threads wait, not
 * just the one that was told.
 */
final class RequestRateLimiter {

	private final long intervalNanos;

	private long nextFreeNanos = System.nanoTime();

	/** @param requestsPerSecond the budget; 0 or less means unlimited */
	public RequestRateLimiter(double requestsPerSecond) {
		this.intervalNanos = (requestsPerSecond > 0) ? (long) (TimeUnit.SECONDS.toNanos(1) / requestsPerSecond) : 0;
	}

	/**
	 * Waits for this caller's slot.
	 * @return how long the caller waited
	 * @throws InterruptedException if interrupted while waiting
	 */
	public Duration acquire() throws InterruptedException {
		long waitNanos;
		synchronized (this) {
			long now = System.nanoTime();
			if (this.intervalNanos == 0 && this.nextFreeNanos - now <= 0) {
				return Duration.ZERO;
			}
			long slot = Math.max(now, this.nextFreeNanos);
			this.nextFreeNanos = slot + this.intervalNanos;
			waitNanos = slot - now;
		}
		if (waitNanos > 0) {
			TimeUnit.NANOSECONDS.sleep(waitNanos);
		}
		return Duration.ofNanos(waitNanos);
	}

	/** Holds every caller back until {@code pause} from now has passed. */
	public void pause(Duration pause) {
		long until = System.nanoTime() + pause.toNanos();
		synchronized (this) {
			if (until - this.nextFreeNanos > 0) {
				this.nextFreeNanos = until;
			}
		}
	}

}
