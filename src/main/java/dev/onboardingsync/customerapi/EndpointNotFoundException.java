package dev.onboardingsync.customerapi;

/**
 * The gateway has no such endpoint ({@code HTTP 404} or {@code 405}) or sends the call elsewhere
 * ({@code HTTP 3xx}, redirects are not followed): the base URL does not lead to the platform's API,
 * for example with {@code /openapi-b} on it or {@code http} where the gateway wants {@code https}.
 * Not routed, so not applied; no retry can help until {@code customer-api.base-url} is fixed: the
 * run stops at once and is restartable (issue 9).
 */
public final class EndpointNotFoundException extends CustomerApiException {

	public EndpointNotFoundException(Endpoint endpoint, String trace, int status, String location) {
		super(endpoint, trace, "HTTP " + status, null, "The gateway has no " + endpoint.path()
				+ ((location != null) ? ", it redirects to " + location : ""), null);
	}

	@Override
	String outcome() {
		return "endpoint_not_found";
	}

}
