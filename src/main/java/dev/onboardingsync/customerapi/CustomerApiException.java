package dev.onboardingsync.customerapi;

import dev.onboardingsync.system.Masking;

/**
 * A call to the Customer API that did not succeed. The subtypes are what the job's
 * fault-tolerance policy acts on; every one carries the request's {@code trace}, which an
 * operator quotes to the platform. The exception's message is masked for logs; the platform's
 * own message is kept as sent in {@link #platformMessage()}.
 */
public abstract sealed class CustomerApiException extends RuntimeException
		permits CustomerAlreadyExistsException, CustomerRejectedException, AuthenticationFailedException,
		EndpointNotFoundException, TransientApiException, AmbiguousResultException {

	private final Endpoint endpoint;

	private final String trace;

	private final String code;

	private final String platformMessage;

	protected CustomerApiException(Endpoint endpoint, String trace, String code, String platformMessage,
			String description, Throwable cause) {
		super(describe(endpoint, trace, code, platformMessage, description), cause);
		this.endpoint = endpoint;
		this.trace = trace;
		this.code = code;
		this.platformMessage = platformMessage;
	}

	private static String describe(Endpoint endpoint, String trace, String code, String platformMessage,
			String description) {
		StringBuilder message = new StringBuilder(description).append(" [endpoint=").append(endpoint.shortName());
		if (code != null) {
			message.append(", code=").append(code);
		}
		if (platformMessage != null && !platformMessage.isBlank()) {
			message.append(", msg=").append(Masking.maskText(platformMessage));
		}
		return message.append(", trace=").append(trace).append(']').toString();
	}

	public Endpoint endpoint() {
		return this.endpoint;
	}

	public String trace() {
		return this.trace;
	}

	/** The platform's business code, or {@code null} when the failure was below the envelope. */
	public String code() {
		return this.code;
	}

	public String platformMessage() {
		return this.platformMessage;
	}

	/** The outcome tag of the {@code customer.api.requests} metric. */
	abstract String outcome();

}
