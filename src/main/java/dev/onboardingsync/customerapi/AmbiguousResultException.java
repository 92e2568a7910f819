package dev.onboardingsync.customerapi;

/**
 * A state-changing request was sent and its result is unknown: a read timeout, a reset or closed
 * connection, a 500, an unknown code or an unparseable body. The platform may have applied it.
 * Settle it by a check; never by a blind second create.
 */
public final class AmbiguousResultException extends CustomerApiException {

	public AmbiguousResultException(Endpoint endpoint, String trace, String code, String platformMessage,
			String description, Throwable cause) {
		super(endpoint, trace, code, platformMessage, description, cause);
	}

	@Override
	String outcome() {
		return "ambiguous";
	}

}
