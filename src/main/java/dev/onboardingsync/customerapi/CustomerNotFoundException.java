package dev.onboardingsync.customerapi;

/** The customer asked for does not exist ({@code A0404} by default): permanent for that item. */
public final class CustomerNotFoundException extends CustomerRejectedException {

	public CustomerNotFoundException(Endpoint endpoint, String trace, String code, String platformMessage) {
		super(endpoint, trace, code, platformMessage, "Customer not found");
	}

	@Override
	String outcome() {
		return "not_found";
	}

}
