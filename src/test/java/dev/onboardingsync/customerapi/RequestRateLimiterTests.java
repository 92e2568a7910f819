package dev.onboardingsync.customerapi;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schedule the limiter hands out. Only lower bounds of elapsed time are asserted: a busy
 * machine can make callers slower than their slots, never faster.
 */
class RequestRateLimiterTests {

	@Test
	void spacesCallersEvenly() throws InterruptedException {
		// given: 20 per second, one slot every 50 ms
		RequestRateLimiter limiter = new RequestRateLimiter(20);
		long start = System.nanoTime();

		// when
		Duration first = limiter.acquire();
		limiter.acquire();
		limiter.acquire();

		// then: the third caller could not go before two intervals had passed
		assertThat(first).isZero();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
	}

	@Test
	void unlimitedNeverWaits() throws InterruptedException {
		RequestRateLimiter limiter = new RequestRateLimiter(0);
		for (int i = 0; i < 1000; i++) {
			assertThat(limiter.acquire()).isZero();
		}
	}

	@Test
	void pauseHoldsBackEveryCaller() throws InterruptedException {
		// given
		RequestRateLimiter limiter = new RequestRateLimiter(0);
		long start = System.nanoTime();

		// when
		limiter.pause(Duration.ofMillis(200));
		limiter.acquire();

		// then
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
	}

}
