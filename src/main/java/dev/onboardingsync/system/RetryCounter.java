package dev.onboardingsync.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.Retryable;

/** Counts the retries of the steps it listens to ({@code onboarding.retries}), for the run's summary. */
public class RetryCounter implements RetryListener {

	private final Counter retries;

	public RetryCounter(MeterRegistry meters) {
		this.retries = Counter.builder("onboarding.retries")
			.description("Calls retried after a transient or ambiguous failure")
			.register(meters);
	}

	@Override
	public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable) {
		this.retries.increment();
	}

	public long retries() {
		return (long) this.retries.count();
	}

}
