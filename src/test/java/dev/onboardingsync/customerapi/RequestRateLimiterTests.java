package dev.onboardingsync.customerapi;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestRateLimiterTests {

	@Test
	void spacesCallersEvenlyAcrossThreads() throws InterruptedException {
		// given: 20 per second, one slot every 50 ms
		RequestRateLimiter limiter = new RequestRateLimiter(20);

		// when
		Duration first = limiter.acquire();
		Duration second = limiter.acquire();
		Duration third = limiter.acquire();

		// then: each caller was given the next slot on the schedule
		assertThat(first).isZero();
		assertThat(second).isBetween(Duration.ofMillis(1), Duration.ofMillis(50));
		assertThat(third).isBetween(Duration.ofMillis(1), Duration.ofMillis(50));
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

		// when
		limiter.pause(Duration.ofMillis(200));
		Duration waited = limiter.acquire();

		// then
		assertThat(waited).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
	}

}
