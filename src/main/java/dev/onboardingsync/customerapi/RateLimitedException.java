package dev.onboardingsync.customerapi;

import java.time.Duration;
import java.util.Optional;

/**
 * Too many requests (HTTP 429 or {@code A0429}): nothing was applied. Carries the wait the platform
 * asked for in {@code Retry-After}, when it asked.
 */
public final class RateLimitedException extends TransientApiException {

	private final Duration retryAfter;

	public RateLimitedException(Endpoint endpoint, String trace, String code, String platformMessage,
			Duration retryAfter) {
		super(endpoint, trace, code, platformMessage,
				"Rate limited" + ((retryAfter != null) ? ", retry after " + retryAfter.toMillis() + " ms" : ""),
				null);
		this.retryAfter = retryAfter;
	}

	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

	@Override
	String outcome() {
		return "rate_limited";
	}

}
