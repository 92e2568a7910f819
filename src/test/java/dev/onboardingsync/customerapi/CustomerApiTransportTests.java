package dev.onboardingsync.customerapi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.hc.client5.http.config.Configurable;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.client.ResourceAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The transport's settings, against the JDK's own HTTP server: the pool sized to the concurrency,
 * the timeouts, and nothing sent that the job did not ask for (no automatic resend, no redirect
 * followed, no cookie sent back).
 */
class CustomerApiTransportTests {

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private HttpServer server;

	private volatile Answering answering;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", (exchange) -> {
			this.requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
					exchange.getRequestHeaders()));
			exchange.getRequestBody().readAllBytes();
			this.answering.answer(exchange);
		});
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
	}

	@Test
	void poolsMaxConcurrencyConnectionsInAllAndToTheOneHost() throws IOException {
		// given
		try (CloseableHttpClient client = httpClient(CustomerApiTransport.requestFactory(properties(7)))) {

			// when: HttpClient 5 has no getter for its connection manager
			PoolingHttpClientConnectionManager pool = (PoolingHttpClientConnectionManager) ReflectionTestUtils
				.getField(client, "connManager");

			// then
			assertThat(pool.getMaxTotal()).isEqualTo(7);
			assertThat(pool.getDefaultMaxPerRoute()).isEqualTo(7);
		}
	}

	@Test
	void waitsForAConnectionAndForAnAnswerAsLongAsTheReadTimeout() throws IOException {
		// given
		try (CloseableHttpClient client = httpClient(CustomerApiTransport.requestFactory(properties(4)))) {

			// when
			RequestConfig config = ((Configurable) client).getConfig();

			// then
			assertThat(config.getConnectionRequestTimeout()).isEqualTo(Timeout.ofMilliseconds(1500));
			assertThat(config.getResponseTimeout()).isEqualTo(Timeout.ofMilliseconds(1500));
		}
	}

	@Test
	void neverResendsARequestWhoseConnectionWasLost() throws IOException {
		// given: the server reads the request, then closes the connection without an answer
		this.answering = HttpExchange::close;

		// when: a create, then a GET, which HttpClient's default retry strategy would send twice
		try (CustomerApiTransport transport = new CustomerApiTransport(properties(4))) {
			assertThatExceptionOfType(ResourceAccessException.class)
				.isThrownBy(() -> transport.post(Endpoint.CREATE_ACCOUNT, "t-1", "{}".getBytes()));
		}
		HttpComponentsClientHttpRequestFactory factory = CustomerApiTransport.requestFactory(properties(4));
		try (CloseableHttpClient client = httpClient(factory)) {
			assertThatExceptionOfType(IOException.class)
				.isThrownBy(() -> factory.createRequest(URI.create(baseUrl() + "/probe"), HttpMethod.GET).execute());
		}

		// then: each arrived exactly once
		assertThat(this.requests).extracting(Request::method).containsExactly("POST", "GET");
	}

	@Test
	void answersARedirectWithoutFollowingIt() throws IOException {
		// given
		this.answering = (exchange) -> {
			exchange.getResponseHeaders().set("Location", baseUrl() + "/elsewhere");
			exchange.sendResponseHeaders(302, -1);
			exchange.close();
		};

		// when
		CustomerApiTransport.Answer answer;
		try (CustomerApiTransport transport = new CustomerApiTransport(properties(4))) {
			answer = transport.post(Endpoint.PAGE, "t-1", "{}".getBytes());
		}

		// then: the classifier sees the 302 (a wrong base URL) and where it pointed
		assertThat(answer.status()).isEqualTo(302);
		assertThat(answer.location()).isEqualTo(baseUrl() + "/elsewhere");
		assertThat(this.requests).extracting(Request::path).containsExactly(Endpoint.PAGE.path());
	}

	@Test
	void sendsNoCookieBack() throws IOException {
		// given
		this.answering = (exchange) -> {
			exchange.getResponseHeaders().set("Set-Cookie", "session=abc; Path=/");
			answerOk(exchange);
		};

		// when
		try (CustomerApiTransport transport = new CustomerApiTransport(properties(4))) {
			transport.post(Endpoint.PAGE, "t-1", "{}".getBytes());
			transport.post(Endpoint.PAGE, "t-2", "{}".getBytes());
		}

		// then
		assertThat(this.requests).hasSize(2)
			.allSatisfy((request) -> assertThat(request.headers()).doesNotContainKey("Cookie"));
	}

	@Test
	void postsTheBodyWithThePlatformsHeadersAndTheTokenWhereNeeded() throws IOException {
		// given
		this.answering = CustomerApiTransportTests::answerOk;

		// when
		CustomerApiTransport.Answer answer;
		try (CustomerApiTransport transport = new CustomerApiTransport(properties(4))) {
			answer = transport.post(Endpoint.CREATE_ACCOUNT, "t-create", "{}".getBytes());
			transport.post(Endpoint.CHECK_CUSTOMER_EXIST, "t-check", "{}".getBytes());
		}

		// then
		assertThat(answer.status()).isEqualTo(200);
		assertThat(new String(answer.body())).isEqualTo("{\"code\":\"0\"}");
		Request create = this.requests.get(0);
		assertThat(create.method()).isEqualTo("POST");
		assertThat(create.path()).isEqualTo(Endpoint.CREATE_ACCOUNT.path());
		assertThat(create.headers().getFirst("trace")).isEqualTo("t-create");
		assertThat(create.headers().getFirst("companyId")).isEqualTo("1");
		assertThat(create.headers().getFirst("version")).isEqualTo("0.0.1");
		assertThat(create.headers().getFirst("token")).isEqualTo("secret");
		assertThat(create.headers().getFirst("Content-Type")).isEqualTo("application/json");
		assertThat(this.requests.get(1).headers()).doesNotContainKey("token");
	}

	@Test
	void postsToTheEndpointUnderTheBaseUrlsOwnPath() throws IOException {
		// given: a gateway that serves the platform under a path of its own, written with or without a final slash
		this.answering = CustomerApiTransportTests::answerOk;

		// when: the scheme in capitals too, which URLs do not tell apart (RFC 3986, 3.1)
		for (String baseUrl : List.of(baseUrl() + "/gateway", baseUrl().replace("http:", "HTTP:") + "/gateway/")) {
			try (CustomerApiTransport transport = new CustomerApiTransport(new CustomerApiProperties(baseUrl, "1", "secret",
					"0.0.1", Duration.ofSeconds(1), Duration.ofMillis(1500), 4, 0,
					CustomerApiProperties.ErrorCodes.defaults()))) {
				transport.post(Endpoint.PAGE, "t-page", "{}".getBytes());
			}
		}

		// then: the endpoint's path follows the base URL's, as Spring's RestClient resolved it before
		assertThat(this.requests).extracting(Request::path)
			.containsExactly("/gateway" + Endpoint.PAGE.path(), "/gateway" + Endpoint.PAGE.path());
	}

	@Test
	void keepsTheBaseUrlsPathAsWrittenWithItsPercentEncoding() throws IOException {
		// given: a gateway path with a character percent-encoded, and one outside ASCII (a fresh user's try, issue 13)
		this.answering = CustomerApiTransportTests::answerOk;

		// when
		try (CustomerApiTransport transport = new CustomerApiTransport(new CustomerApiProperties(
				baseUrl() + "/api%20gw/zürich", "1", "secret", "0.0.1", Duration.ofSeconds(1), Duration.ofMillis(1500), 4, 0,
				CustomerApiProperties.ErrorCodes.defaults()))) {
			transport.post(Endpoint.PAGE, "t-page", "{}".getBytes());
		}

		// then: the server decodes the path it was sent once; encoded twice, it would read "/api%20gw"
		assertThat(this.requests).extracting(Request::path).containsExactly("/api gw/zürich" + Endpoint.PAGE.path());
	}

	private static void answerOk(HttpExchange exchange) throws IOException {
		byte[] body = "{\"code\":\"0\"}".getBytes();
		exchange.sendResponseHeaders(200, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

	private String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	private CustomerApiProperties properties(int maxConcurrency) {
		return new CustomerApiProperties(baseUrl(), "1", "secret", "0.0.1", Duration.ofSeconds(1),
				Duration.ofMillis(1500), maxConcurrency, 0, CustomerApiProperties.ErrorCodes.defaults());
	}

	private static CloseableHttpClient httpClient(HttpComponentsClientHttpRequestFactory factory) {
		return (CloseableHttpClient) factory.getHttpClient();
	}

	@FunctionalInterface
	private interface Answering {

		void answer(HttpExchange exchange) throws IOException;

	}

	private record Request(String method, String path, Headers headers) {
	}

}
