package dev.onboardingsync.customerapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The response examples of the platform's own documentation (src/test/resources/seed-examples,
 * copied verbatim from shared/seeds), decoded by the client. The examples carry placeholder
 * codes ({@code "text"}, {@code ""}); a stub server answers them with {@code code "0"} so that
 * their {@code data} goes through the client's decoding.
 */
class SeedExamplesTests {

	private static final Map<Endpoint, String> EXAMPLES = Map.of(Endpoint.CHECK_CUSTOMER_EXIST,
			"check-customer-exist.json", Endpoint.CREATE_ACCOUNT, "create-account.json", Endpoint.PAGE, "page.json",
			Endpoint.DETAIL, "detail.json", Endpoint.GROUP_LIST, "group-list.json");

	private HttpServer server;

	private CustomerApiClient client;

	private boolean placeholderCodes;

	@BeforeEach
	void startStub() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/openapi-b/", (exchange) -> {
			Endpoint endpoint = Endpoint.fromBizType(exchange.getRequestURI().getPath().substring(11));
			ObjectNode example = (ObjectNode) example(endpoint);
			if (!this.placeholderCodes) {
				example.put("code", "0");
			}
			byte[] body = ApiJson.mapper().writeValueAsBytes(example);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
		URI baseUrl = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
		this.client = CustomerApiClient.create(new CustomerApiProperties(baseUrl.toString(), "1", "token", "0.0.1",
				Duration.ofSeconds(1), Duration.ofSeconds(2), 2, 0,
				CustomerApiProperties.ErrorCodes.defaults()));
	}

	@AfterEach
	void stopStub() throws IOException {
		this.client.close();
		this.server.stop(0);
	}

	@Test
	void recordsNameEveryFieldOfTheSeedExamples() {
		// given: a reader that fails on any field the records do not declare
		JsonMapper strict = ApiJson.mapper().rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

		// when / then
		for (Endpoint endpoint : Endpoint.values()) {
			JsonNode example = example(endpoint);
			strict.treeToValue(example, ApiEnvelope.class);
		}
		strict.treeToValue(example(Endpoint.PAGE).get("data"), CustomerPage.class);
		strict.treeToValue(example(Endpoint.DETAIL).get("data"), CustomerDetail.class);
		strict.treeToValue(example(Endpoint.GROUP_LIST).get("data"), CustomerGroup.class);
	}

	@Test
	void decodesCheckCustomerExist() {
		assertThat(this.client.checkCustomerExist(CheckCustomerExistRequest.byPhone("+86", "13800138000"))).isTrue();
	}

	@Test
	void decodesCreateAccount() {
		assertThat(this.client.createAccount(CustomerApiClientIntegrationTests.prospect("seed"))).isEqualTo("86021976");
	}

	@Test
	void decodesPage() {
		// when
		CustomerPage page = this.client.page(CustomerPageRequest.all(1, 20));

		// then
		assertThat(page.total()).isZero();
		assertThat(page.records()).singleElement().satisfies((record) -> {
			assertThat(record.customerNo()).isEmpty();
			assertThat(record.createTime()).isZero();
			assertThat(record.thirdUserId()).isEmpty();
		});
	}

	@Test
	void decodesDetail() {
		// when
		CustomerDetail detail = this.client.detail(CustomerDetailRequest.baseInfo(1L, "86000020"));

		// then
		assertThat(detail.thirdServerCode()).isEmpty();
		assertThat(detail.apiCheckSwitch()).isTrue();
		assertThat(detail.accountList().isObject()).isTrue();
	}

	@Test
	void decodesGroupListGivenAsOneObject() {
		assertThat(this.client.groupList(CustomerGroupListRequest.all())).singleElement()
			.satisfies((group) -> assertThat(group.assets()).isEqualTo("text"));
	}

	@Test
	void placeholderCodesAreNotSuccess() {
		// given: the examples as documented, "code": "text" or ""
		this.placeholderCodes = true;

		// when / then
		assertThatThrownBy(() -> this.client.page(CustomerPageRequest.all(1, 20)))
			.isExactlyInstanceOf(TransientApiException.class);
		assertThatThrownBy(() -> this.client.checkCustomerExist(CheckCustomerExistRequest.byCustomerNo("1")))
			.isExactlyInstanceOf(TransientApiException.class)
			.hasMessageContaining("code=text");
	}

	private static JsonNode example(Endpoint endpoint) {
		try (InputStream in = SeedExamplesTests.class.getResourceAsStream("/seed-examples/" + EXAMPLES.get(endpoint))) {
			return ApiJson.mapper().readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
