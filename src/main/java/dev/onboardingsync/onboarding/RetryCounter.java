package dev.onboardingsync.onboarding;

import java.util.concurrent.atomic.LongAdder;

import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.Retryable;

/** Counts the retries of the steps it listens to, for the run's summary. */
public class RetryCounter implements RetryListener {

	private final LongAdder retries = new LongAdder();

	@Override
	public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable) {
		this.retries.increment();
	}

	public long retries() {
		return this.retries.sum();
	}

}
