package dev.onboardingsync.customerapi;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;

/**
 * Which {@link CustomerApiException} an answer of the platform, or the lack of one, is: pure rules,
 * no I/O (issue 11; each row is a case of {@code FailureClassifierTests}). The rules, from
 * CUSTOMER-API.md's failure table ({@code docs/customer-api-client.md}):
 * <table>
 * <tr><th>answer</th><th>failure</th></tr>
 * <tr><td>HTTP 429</td><td>{@link RateLimitedException}, its {@code Retry-After} (seconds or a date; 1 s if none)</td></tr>
 * <tr><td>HTTP 401, 403</td><td>{@link AuthenticationFailedException}</td></tr>
 * <tr><td>HTTP 502, 503, 504</td><td>{@link TransientApiException}: the gateway applied nothing</td></tr>
 * <tr><td>another HTTP 5xx</td><td>unexpected: ambiguous for a create, transient for a read</td></tr>
 * <tr><td>HTTP 3xx, 404, 405</td><td>{@link EndpointNotFoundException}: not routed, so not applied (a wrong base URL)</td></tr>
 * <tr><td>another status outside 2xx</td><td>{@link TransientApiException}: not a business answer, not applied</td></tr>
 * <tr><td>2xx, a body that is not the envelope or has no {@code code}</td><td>unexpected</td></tr>
 * <tr><td>2xx, a business {@code code} other than {@code "0"}</td><td>by {@link CustomerApiProperties.ErrorCodes}: already
 * exists, not found, rejected, authentication failed, rate limited, busy (transient); any other code unexpected</td></tr>
 * <tr><td>no connection (refused, unknown host, connect or pool timeout)</td><td>{@link TransientApiException}: never sent</td></tr>
 * <tr><td>a connection lost or timed out after sending</td><td>unexpected</td></tr>
 * </table>
 */
final class FailureClassifier {

	static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

	private static final Set<Integer> GATEWAY_ERRORS = Set.of(502, 503, 504);

	private final CustomerApiProperties.ErrorCodes codes;

	private final String baseUrl;

	/** @param baseUrl named in the failure of a call that could not reach the platform */
	FailureClassifier(CustomerApiProperties.ErrorCodes codes, String baseUrl) {
		this.codes = codes;
		this.baseUrl = baseUrl;
	}

	/**
	 * @param retryAfter the {@code Retry-After} header, or {@code null}
	 * @param location the {@code Location} header, or {@code null}
	 * @return the failure an HTTP status outside 2xx is, or {@code null} for a 2xx, whose body decides
	 */
	CustomerApiException ofStatus(Endpoint endpoint, String trace, int status, String retryAfter, String location) {
		if (status == 429) {
			return new RateLimitedException(endpoint, trace, "HTTP 429", null, parseRetryAfter(retryAfter));
		}
		if (status == 401 || status == 403) {
			return new AuthenticationFailedException(endpoint, trace, "HTTP " + status, null);
		}
		if (GATEWAY_ERRORS.contains(status)) {
			return new TransientApiException(endpoint, trace, "HTTP " + status, null, "Platform unavailable", null);
		}
		if (status >= 500) {
			return unexpected(endpoint, trace, "HTTP " + status, null);
		}
		if (status == 404 || status == 405 || (status >= 300 && status < 400)) {
			return new EndpointNotFoundException(endpoint, trace, status, location);
		}
		if (status < 200 || status >= 300) {
			return new TransientApiException(endpoint, trace, "HTTP " + status, null, "Unexpected HTTP status", null);
		}
		return null;
	}

	/** The failure a business code other than {@code "0"} is. */
	CustomerApiException ofCode(Endpoint endpoint, String trace, String code, String msg) {
		if (this.codes.alreadyExists().contains(code)) {
			return new CustomerAlreadyExistsException(endpoint, trace, code, msg);
		}
		if (this.codes.notFound().contains(code)) {
			return new CustomerNotFoundException(endpoint, trace, code, msg);
		}
		if (this.codes.rejected().contains(code)) {
			return new CustomerRejectedException(endpoint, trace, code, msg);
		}
		if (this.codes.authenticationFailed().contains(code)) {
			return new AuthenticationFailedException(endpoint, trace, code, msg);
		}
		if (this.codes.rateLimited().contains(code)) {
			return new RateLimitedException(endpoint, trace, code, msg, null);
		}
		if (this.codes.busy().contains(code)) {
			return new TransientApiException(endpoint, trace, code, msg, "Platform busy", null);
		}
		return unexpected(endpoint, trace, code, msg, "Unknown code", null);
	}

	/** The failure of a call that got no complete answer: {@code failure} is what the HTTP client threw. */
	CustomerApiException ofIo(Endpoint endpoint, String trace, Throwable failure) {
		Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
		if (neverSent(cause)) {
			return new TransientApiException(endpoint, trace, null, null, "Could not reach the platform at " + this.baseUrl
					+ " (" + cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? ": " + cause.getMessage() : "")
					+ ")", failure);
		}
		return unexpected(endpoint, trace, "no complete answer (" + cause.getClass().getSimpleName() + ")", failure);
	}

	// Failures before a connection was established: the request never reached the server.
	private static boolean neverSent(Throwable cause) {
		return cause instanceof ConnectException || cause instanceof ConnectTimeoutException
				|| cause instanceof UnknownHostException || cause instanceof ConnectionRequestTimeoutException;
	}

	/** An answer that cannot be read as a clear one ({@code what} says why). */
	static CustomerApiException unexpected(Endpoint endpoint, String trace, String what, Throwable cause) {
		return unexpected(endpoint, trace, null, null, "Unexpected answer: " + what, cause);
	}

	// A read may simply be tried again, but a create may have been applied.
	private static CustomerApiException unexpected(Endpoint endpoint, String trace, String code, String msg,
			String description, Throwable cause) {
		if (endpoint.mutating()) {
			return new AmbiguousResultException(endpoint, trace, code, msg, description, cause);
		}
		return new TransientApiException(endpoint, trace, code, msg, description, cause);
	}

	/** A {@code Retry-After} header: seconds or an HTTP date; 1 s when absent or unreadable, never negative. */
	static Duration parseRetryAfter(String value) {
		if (value == null || value.isBlank()) {
			return DEFAULT_RETRY_AFTER;
		}
		String trimmed = value.trim();
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
		}
		catch (NumberFormatException notSeconds) {
			try {
				Duration untilDate = Duration.between(ZonedDateTime.now(),
						ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME));
				return untilDate.isNegative() ? Duration.ZERO : untilDate;
			}
			catch (DateTimeParseException notDate) {
				return DEFAULT_RETRY_AFTER;
			}
		}
	}

}
