package dev.onboardingsync.sandbox;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.onboardingsync.customerapi.Endpoint;

/**
 * Decides, request by request, what goes wrong: the rate limit (a token bucket holding one
 * second's worth of requests), latency with jitter, and a fault rolled from the endpoint's rates.
 */
final class FaultInjector {

	static final String RATE_LIMITED = "RATE_LIMITED";

	private volatile Settings current;

	FaultInjector(Faults faults) {
		set(faults);
	}

	Faults current() {
		return this.current.faults();
	}

	void set(Faults faults) {
		Random random = (faults.randomSeed() != null) ? new Random(faults.randomSeed()) : null;
		this.current = new Settings(faults, random, new TokenBucket(faults.requestsPerSecond()));
	}

	/** 0 when the request may pass the rate limit, else how long until it would. */
	long rateLimitWaitNanos() {
		return this.current.bucket().tryTake();
	}

	Duration latency() {
		Settings settings = this.current;
		Duration jitter = settings.faults().jitter();
		if (jitter.isZero()) {
			return settings.faults().latency();
		}
		return settings.faults().latency().plusNanos((long) (nextDouble(settings) * jitter.toNanos()));
	}

	Fault roll(Endpoint endpoint) {
		Settings settings = this.current;
		FaultRates rates = settings.faults().ratesFor(endpoint);
		return rates.equals(FaultRates.none()) ? null : rates.pick(nextDouble(settings));
	}

	private static double nextDouble(Settings settings) {
		return (settings.random() != null) ? settings.random().nextDouble() : ThreadLocalRandom.current().nextDouble();
	}

	private record Settings(Faults faults, Random random, TokenBucket bucket) {
	}

	private static final class TokenBucket {

		private final double perNano;

		private final double capacity;

		private double tokens;

		private long last = System.nanoTime();

		TokenBucket(double requestsPerSecond) {
			this.perNano = requestsPerSecond / TimeUnit.SECONDS.toNanos(1);
			this.capacity = Math.max(1, requestsPerSecond);
			this.tokens = this.capacity;
		}

		synchronized long tryTake() {
			if (this.perNano == 0) {
				return 0;
			}
			long now = System.nanoTime();
			this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perNano);
			this.last = now;
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return 0;
			}
			return (long) Math.ceil((1 - this.tokens) / this.perNano);
		}

	}

}
