package dev.onboardingsync.customerapi;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.web.client.ResourceAccessException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of {@link FailureClassifier}'s table, for a read ({@code page}) and for the create,
 * whose unclear answers are ambiguous rather than transient.
 */
class FailureClassifierTests {

	private final FailureClassifier classifier = new FailureClassifier(CustomerApiProperties.ErrorCodes.defaults(),
			"https://api.example.com");

	static Stream<Arguments> statuses() {
		return Stream.of(Arguments.of(429, RateLimitedException.class, RateLimitedException.class),
				Arguments.of(401, AuthenticationFailedException.class, AuthenticationFailedException.class),
				Arguments.of(403, AuthenticationFailedException.class, AuthenticationFailedException.class),
				Arguments.of(502, TransientApiException.class, TransientApiException.class),
				Arguments.of(503, TransientApiException.class, TransientApiException.class),
				Arguments.of(504, TransientApiException.class, TransientApiException.class),
				Arguments.of(500, TransientApiException.class, AmbiguousResultException.class),
				Arguments.of(507, TransientApiException.class, AmbiguousResultException.class),
				Arguments.of(404, EndpointNotFoundException.class, EndpointNotFoundException.class),
				Arguments.of(405, EndpointNotFoundException.class, EndpointNotFoundException.class),
				Arguments.of(301, EndpointNotFoundException.class, EndpointNotFoundException.class),
				Arguments.of(302, EndpointNotFoundException.class, EndpointNotFoundException.class),
				Arguments.of(400, TransientApiException.class, TransientApiException.class),
				Arguments.of(100, TransientApiException.class, TransientApiException.class));
	}

	@ParameterizedTest
	@MethodSource("statuses")
	void anHttpStatusOutside2xxIsAFailure(int status, Class<?> forARead, Class<?> forACreate) {
		assertThat(this.classifier.ofStatus(Endpoint.PAGE, "t", status, null, null)).isExactlyInstanceOf(forARead)
			.hasMessageContaining("HTTP " + status);
		assertThat(this.classifier.ofStatus(Endpoint.CREATE_ACCOUNT, "t", status, null, null)).isExactlyInstanceOf(forACreate);
	}

	@Test
	void a2xxIsDecidedByItsBody() {
		assertThat(this.classifier.ofStatus(Endpoint.CREATE_ACCOUNT, "t", 200, null, null)).isNull();
		assertThat(this.classifier.ofStatus(Endpoint.CREATE_ACCOUNT, "t", 204, null, null)).isNull();
	}

	@Test
	void aRedirectNamesWhereItLeads() {
		assertThat(this.classifier.ofStatus(Endpoint.PAGE, "t", 301, null, "https://api.example.com/openapi-b/x"))
			.hasMessageContaining("it redirects to https://api.example.com/openapi-b/x");
	}

	@Test
	void http429CarriesItsRetryAfter() {
		assertThat(((RateLimitedException) this.classifier.ofStatus(Endpoint.PAGE, "t", 429, "7", null)).retryAfter())
			.contains(Duration.ofSeconds(7));
	}

	static Stream<Arguments> codes() {
		return Stream.of(Arguments.of("A0409", CustomerAlreadyExistsException.class, CustomerAlreadyExistsException.class),
				Arguments.of("A0404", CustomerNotFoundException.class, CustomerNotFoundException.class),
				Arguments.of("A0400", CustomerRejectedException.class, CustomerRejectedException.class),
				Arguments.of("A0401", AuthenticationFailedException.class, AuthenticationFailedException.class),
				Arguments.of("A0429", RateLimitedException.class, RateLimitedException.class),
				Arguments.of("B0001", TransientApiException.class, TransientApiException.class),
				Arguments.of("Z9999", TransientApiException.class, AmbiguousResultException.class));
	}

	@ParameterizedTest
	@MethodSource("codes")
	void aBusinessCodeIsTheFailureItsSettingNames(String code, Class<?> forARead, Class<?> forACreate) {
		assertThat(this.classifier.ofCode(Endpoint.PAGE, "t", code, "msg")).isExactlyInstanceOf(forARead)
			.satisfies((failure) -> assertThat(failure.code()).isEqualTo(code))
			.satisfies((failure) -> assertThat(failure.trace()).isEqualTo("t"));
		assertThat(this.classifier.ofCode(Endpoint.CREATE_ACCOUNT, "t", code, "msg")).isExactlyInstanceOf(forACreate);
	}

	@Test
	void theCodesComeFromTheSettings() {
		FailureClassifier platform = new FailureClassifier(new CustomerApiProperties.ErrorCodes(Set.of("E1"),
				Set.of("E2"), Set.of("E3"), Set.of("E4"), Set.of("E5"),
				Set.of("E6", "E7")), "https://api.example.com");
		assertThat(platform.ofCode(Endpoint.CREATE_ACCOUNT, "t", "E4", null)).isInstanceOf(CustomerAlreadyExistsException.class);
		assertThat(platform.ofCode(Endpoint.CREATE_ACCOUNT, "t", "E7", null)).isExactlyInstanceOf(TransientApiException.class);
		assertThat(platform.ofCode(Endpoint.CREATE_ACCOUNT, "t", "A0409", null)).isInstanceOf(AmbiguousResultException.class);
	}

	static Stream<Arguments> ioFailures() {
		return Stream.of(Arguments.of(new ConnectException("Connection refused"), true),
				Arguments.of(new UnknownHostException("api.example.com"), true),
				Arguments.of(new ConnectTimeoutException("connect timed out"), true),
				Arguments.of(new ConnectionRequestTimeoutException("pool"), true),
				Arguments.of(new SocketTimeoutException("Read timed out"), false),
				Arguments.of(new NoHttpResponseException("failed to respond"), false),
				Arguments.of(new IOException("Connection reset"), false));
	}

	@ParameterizedTest
	@MethodSource("ioFailures")
	void aCallWithoutACompleteAnswerIsTransientIfNeverSentElseUnclear(IOException cause, boolean neverSent) {
		ResourceAccessException failure = new ResourceAccessException("I/O error", cause);
		CustomerApiException read = this.classifier.ofIo(Endpoint.PAGE, "t", failure);
		CustomerApiException create = this.classifier.ofIo(Endpoint.CREATE_ACCOUNT, "t", failure);
		assertThat(read).isExactlyInstanceOf(TransientApiException.class);
		if (neverSent) {
			assertThat(create).isExactlyInstanceOf(TransientApiException.class)
				.hasMessageContaining("Could not reach the platform at https://api.example.com");
		}
		else {
			assertThat(create).isExactlyInstanceOf(AmbiguousResultException.class)
				.hasMessageContaining("no complete answer (" + cause.getClass().getSimpleName() + ")");
		}
	}

	@Test
	void readsRetryAfterInSeconds() {
		assertThat(FailureClassifier.parseRetryAfter("7")).isEqualTo(Duration.ofSeconds(7));
		assertThat(FailureClassifier.parseRetryAfter("-3")).isEqualTo(Duration.ZERO);
	}

	@Test
	void readsRetryAfterAsHttpDate() {
		// given
		String inOneMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(1));

		// when
		Duration wait = FailureClassifier.parseRetryAfter(inOneMinute);

		// then
		assertThat(wait).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60));
	}

	@Test
	void waitsOneSecondWhenRetryAfterIsMissingOrUnreadable() {
		assertThat(FailureClassifier.parseRetryAfter(null)).isEqualTo(Duration.ofSeconds(1));
		assertThat(FailureClassifier.parseRetryAfter("soon")).isEqualTo(Duration.ofSeconds(1));
	}

}
