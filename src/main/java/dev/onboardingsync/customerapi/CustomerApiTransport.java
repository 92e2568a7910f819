package dev.onboardingsync.customerapi;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.util.EnumMap;
import java.util.Map;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;

/**
 * The wire under {@link CustomerApiClient}: a pool of {@link CustomerApiProperties#maxConcurrency()}
 * Apache HttpClient 5 connections, built by Spring Boot's
 * {@link ClientHttpRequestFactoryBuilder#httpComponents()}, that posts a JSON body with the
 * platform's headers and hands back the answer as it came, whatever its status. What an answer
 * means is {@link FailureClassifier}'s to say. Thread-safe.
 */
final class CustomerApiTransport implements AutoCloseable {

	private static final ContentType JSON = ContentType.create("application/json", (Charset) null);

	private final CustomerApiProperties properties;

	private final CloseableHttpClient httpClient;

	// Each endpoint's URI, resolved once against the base URL as Spring's RestClient resolves a path.
	private final Map<Endpoint, URI> uris = new EnumMap<>(Endpoint.class);

	CustomerApiTransport(CustomerApiProperties properties) {
		this.properties = properties;
		// The pool's HttpClient itself, not Spring's RestClient around it: for a body of bytes and an
		// answer read whole, RestClient added to every call a URI template's expansion, an observation's
		// context, header maps copied twice and message converters: a fifth of the API threads' CPU in
		// a JFR profile of the onboard step (issue 13). Nor Boot's auto-configured RestClient.Builder:
		// the client is the same outside Spring (tests, benchmarks, the sandbox command), and
		// CustomerApiMetrics already times each call by endpoint and outcome.
		this.httpClient = (CloseableHttpClient) requestFactory(properties).getHttpClient();
		// Without a base URL (an operator's command that never calls) there is nothing to resolve.
		if (properties.baseUrl() != null) {
			// The base URL is a URI already (CustomerApiProperties parses it), so its path is sent as written,
			// a character outside ASCII encoded once as UTF-8 (toASCIIString). Not Spring's
			// DefaultUriBuilderFactory: it encodes the base URL as a template, its '%' too ("/a%20b" sent as
			// "/a%2520b").
			String base = properties.baseUri().toASCIIString().replaceAll("/+$", "");
			for (Endpoint endpoint : Endpoint.values()) {
				this.uris.put(endpoint, URI.create(base + endpoint.path()));
			}
		}
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
	 * was lost (its cause is what Apache HttpClient threw)
	 * @throws IllegalStateException if no {@code customer-api.base-url} was given
	 */
	Answer post(Endpoint endpoint, String trace, byte[] body) {
		URI uri = this.uris.get(endpoint);
		if (uri == null) {
			throw new IllegalStateException("customer-api.base-url is not set: no call to the platform can be made");
		}
		HttpPost request = new HttpPost(uri);
		request.setHeader("trace", trace);
		request.setHeader("companyId", this.properties.companyId());
		request.setHeader("version", this.properties.version());
		if (endpoint.tokenRequired()) {
			request.setHeader("token", this.properties.token());
		}
		request.setEntity(new ByteArrayEntity(body, JSON));
		try {
			return this.httpClient.execute(request, (answer) -> new Answer(answer.getCode(),
					header(answer, HttpHeaders.RETRY_AFTER), header(answer, HttpHeaders.LOCATION),
					(answer.getEntity() != null) ? EntityUtils.toByteArray(answer.getEntity()) : new byte[0]));
		}
		catch (IOException ex) {
			// As Spring's RestClient reports it: FailureClassifier reads the cause.
			throw new ResourceAccessException("I/O error on POST request for \"" + uri + "\": " + ex.getMessage(), ex);
		}
	}

	private static String header(ClassicHttpResponse answer, String name) {
		Header header = answer.getFirstHeader(name);
		return (header != null) ? header.getValue() : null;
	}

	/** Closes the pool's connections and its idle-connection evictor. */
	@Override
	public void close() throws IOException {
		this.httpClient.close();
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
