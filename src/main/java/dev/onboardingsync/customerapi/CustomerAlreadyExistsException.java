package dev.onboardingsync.customerapi;

/**
 * The platform refused a create because the phone, email or {@code thirdServerCode} is taken
 * ({@code A0409} by default). Not an error for the job: the customer exists, and nothing was created.
 */
public final class CustomerAlreadyExistsException extends CustomerApiException {

	public CustomerAlreadyExistsException(Endpoint endpoint, String trace, String code, String platformMessage) {
		super(endpoint, trace, code, platformMessage, "Customer already exists", null);
	}

	@Override
	String outcome() {
		return "already_exists";
	}

}
