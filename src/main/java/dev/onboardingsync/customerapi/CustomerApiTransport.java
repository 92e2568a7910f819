package dev.onboardingsync.customerapi;

import java.io.IOException;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The wire under {@link CustomerApiClient}: a pool of {@link CustomerApiProperties#maxConcurrency()}
 * Apache HttpClient 5 connections, built by Spring Boot's
 * {@link ClientHttpRequestFactoryBuilder#httpComponents()}, that posts a JSON body with the
 * platform's headers and hands back the answer as it came, whatever its status. What an answer
 * means is {@link FailureClassifier}'s to say. Thread-safe.
 */
final class CustomerApiTransport implements AutoCloseable {

	private final CustomerApiProperties properties;

	private final HttpComponentsClientHttpRequestFactory requestFactory;

	private final RestClient restClient;

	CustomerApiTransport(CustomerApiProperties properties) {
		this.properties = properties;
		this.requestFactory = requestFactory(properties);
		// Not Boot's auto-configured RestClient.Builder: the client is the same outside Spring (tests,
		// benchmarks, the sandbox command), and its http.client.requests observation would time every
		// call a second time, looking its meters up in the registry on each: the per-call cost that
		// CustomerApiMetrics removed, for what customer.api.requests already says by endpoint and outcome.
		RestClient.Builder builder = RestClient.builder().requestFactory(this.requestFactory);
		// Without a base URL (an operator's command that never calls) a call fails on its relative URI.
		if (properties.baseUrl() != null) {
			builder.baseUrl(properties.baseUrl());
		}
		this.restClient = builder.build();
	}

	/**
	 * The pooled request factory. Connect timeout {@link CustomerApiProperties#connectTimeout()};
	 * socket, response and pool-wait timeouts {@link CustomerApiProperties#readTimeout()}; no
	 * automatic retry, redirect or cookie. Boot's builder also has HttpClient read the JVM's proxy
	 * and TLS system properties ({@code https.proxyHost}, {@code javax.net.ssl.*}); the job sets none.
	 */
	static HttpComponentsClientHttpRequestFactory requestFactory(CustomerApiProperties properties) {
		int connections = properties.maxConcurrency();
		Timeout readTimeout = Timeout.of(properties.readTimeout());
		// Boot sets the connect timeout and, as the socket timeout, the read timeout on the pool's
		// connections; a 3xx is the classifier's sign of a wrong base URL, so it is never followed.
		HttpClientSettings settings = HttpClientSettings.defaults()
			.withTimeouts(properties.connectTimeout(), properties.readTimeout())
			.withRedirects(HttpRedirects.DONT_FOLLOW);
		return ClientHttpRequestFactoryBuilder.httpComponents()
			// Apache HttpClient 5 pools 5 connections per route by default, which would silently cap
			// concurrency against the one host.
			.withConnectionManagerCustomizer((pool) -> pool.setMaxConnTotal(connections)
				.setMaxConnPerRoute(connections))
			// A pooled connection the server closed while idle would fail on reuse after the request
			// was written, which for a create reads as ambiguous: check idle connections first.
			.withConnectionConfigCustomizer((connection) -> connection
				.setValidateAfterInactivity(TimeValue.ofSeconds(1)))
			// A call waits for a pooled connection no longer than for an answer; past it the call fails
			// as never sent (transient), where an answer that is late makes a create ambiguous.
			.withDefaultRequestConfigCustomizer((request) -> request.setConnectionRequestTimeout(readTimeout)
				.setResponseTimeout(readTimeout))
			// Boot's settings cannot say these. Automatic retries are off because a blind resend of a
			// create is exactly what must never happen; the platform sets no cookie to send back; a
			// connection idle for 30 s is closed rather than kept for a server that may have dropped it.
			.withHttpClientCustomizer((client) -> client.disableAutomaticRetries()
				.disableCookieManagement()
				.evictIdleConnections(TimeValue.ofSeconds(30)))
			.build(settings);
	}

	/**
	 * Posts the body to the endpoint with the {@code trace}, {@code companyId} and {@code version}
	 * headers, and the {@code token} if the endpoint needs it.
	 * @param body the request as JSON
	 * @return the answer, of any HTTP status
	 * @throws ResourceAccessException if no answer came: not connected, timed out, or the connection
	 * was lost
	 */
	Answer post(Endpoint endpoint, String trace, byte[] body) {
		return this.restClient.post()
			.uri(endpoint.path())
			.headers((headers) -> addHeaders(headers, endpoint, trace))
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange((request, answer) -> new Answer(answer.getStatusCode().value(),
					answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER),
					answer.getHeaders().getFirst(HttpHeaders.LOCATION), answer.getBody().readAllBytes()));
	}

	private void addHeaders(HttpHeaders headers, Endpoint endpoint, String trace) {
		headers.set("trace", trace);
		headers.set("companyId", this.properties.companyId());
		headers.set("version", this.properties.version());
		if (endpoint.tokenRequired()) {
			headers.set("token", this.properties.token());
		}
	}

	/** Closes the pool's connections and its idle-connection evictor. */
	@Override
	public void close() throws IOException {
		((CloseableHttpClient) this.requestFactory.getHttpClient()).close();
	}

	/**
	 * An HTTP answer as it came.
	 * @param status the HTTP status code
	 * @param retryAfter the {@code Retry-After} header, or {@code null}
	 * @param location the {@code Location} header, or {@code null}
	 * @param body the body, empty if none
	 */
	record Answer(int status, String retryAfter, String location, byte[] body) {
	}

}
