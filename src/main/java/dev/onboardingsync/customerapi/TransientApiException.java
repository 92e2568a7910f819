package dev.onboardingsync.customerapi;

/**
 * A failure that was not applied and may pass: the platform busy ({@code B0001}), a gateway
 * error, a connection that never reached the server, or any failure of a read. Retry with backoff;
 * it never becomes a final outcome.
 */
public sealed class TransientApiException extends CustomerApiException permits RateLimitedException {

	public TransientApiException(Endpoint endpoint, String trace, String code, String platformMessage,
			String description, Throwable cause) {
		super(endpoint, trace, code, platformMessage, description, cause);
	}

	@Override
	String outcome() {
		return "transient";
	}

}
