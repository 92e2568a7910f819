package dev.onboardingsync.customerapi;

/**
 * The platform refused the request for good ({@code A0400} invalid parameter by default): sending
 * it again cannot succeed. {@link #platformMessage()} says why, usually naming the field.
 */
public sealed class CustomerRejectedException extends CustomerApiException permits CustomerNotFoundException {

	public CustomerRejectedException(Endpoint endpoint, String trace, String code, String platformMessage) {
		this(endpoint, trace, code, platformMessage, "Rejected by the platform");
	}

	CustomerRejectedException(Endpoint endpoint, String trace, String code, String platformMessage,
			String description) {
		super(endpoint, trace, code, platformMessage, description, null);
	}

	@Override
	String outcome() {
		return "rejected";
	}

}
