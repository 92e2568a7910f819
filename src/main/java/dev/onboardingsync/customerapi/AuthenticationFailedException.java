package dev.onboardingsync.customerapi;

/**
 * The platform did not accept the token or company ({@code A0401}, HTTP 401 or 403). No request
 * can succeed until the configuration is fixed: the run stops at once and is restartable.
 */
public final class AuthenticationFailedException extends CustomerApiException {

	public AuthenticationFailedException(Endpoint endpoint, String trace, String code, String platformMessage) {
		super(endpoint, trace, code, platformMessage,
				"the platform refused the token or the company", null);
	}

	@Override
	String outcome() {
		return "authentication_failed";
	}

}
