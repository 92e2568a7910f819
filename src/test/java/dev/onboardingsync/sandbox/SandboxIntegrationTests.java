package dev.onboardingsync.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.customerapi.CheckCustomerExistRequest;
import dev.onboardingsync.customerapi.CreateAccountRequest;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerApiProperties;
import dev.onboardingsync.customerapi.CustomerGroupListRequest;
import dev.onboardingsync.customerapi.Endpoint;
import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's own surface over HTTP: its state, its customers, reset, and the platform's
 * transport rules (routing, method, headers).
 */
class SandboxIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private Sandbox sandbox;

	private CustomerApiClient client;

	@BeforeEach
	void setUp() {
		this.sandbox = TestSandbox.reset();
		this.client = CustomerApiClient.create(TestSandbox.clientProperties(this.sandbox.baseUrl()));
	}

	@AfterEach
	void tearDown() throws IOException {
		this.client.close();
		this.sandbox.faults(Faults.none());
	}

	@Test
	void aDataFileKeepsTheCustomersFromOneStartToTheNext(@TempDir Path directory) throws Exception {
		// given: a sandbox that keeps its customers in a file, and one customer created there
		Path dataFile = directory.resolve("sandbox/customers.json");
		SandboxSettings settings = SandboxSettings.forTests().withSeed(new SandboxSettings.Seed(5, 3, 42, null, dataFile));
		String customerNo;
		try (Sandbox first = Sandbox.start(settings);
				CustomerApiClient toFirst = CustomerApiClient.create(TestSandbox.clientProperties(first.baseUrl()))) {
			customerNo = toFirst.createAccount(prospect("16600000077", "tsc-kept"));
		}

		// when: started again
		try (Sandbox second = Sandbox.start(settings)) {
			// then: the same customers, the one created among them
			assertThat(second.customers()).hasSize(6)
				.anySatisfy((customer) -> assertThat(customer.customerNo()).isEqualTo(customerNo));
			assertThat(second.accountsWithThirdServerCode("tsc-kept")).isOne();
		}
	}

	@Test
	void thePlatformsLatencyHoldsNoThread() throws Exception {
		// given: a sandbox with 2 threads, answering after 2 s
		SandboxSettings settings = new SandboxSettings("127.0.0.1", 0, "1", "sandbox-token", 2,
				new SandboxSettings.Seed(5, 3, 42, null, null), Faults.none().withLatency(Duration.ofSeconds(2), Duration.ZERO));
		try (Sandbox slow = Sandbox.start(settings);
				CustomerApiClient toSlow = CustomerApiClient.create(
						new CustomerApiProperties(slow.baseUrl().toString(), "1", "sandbox-token", "0.0.1",
								Duration.ofSeconds(2), Duration.ofSeconds(30), 16, 0,
								CustomerApiProperties.ErrorCodes.defaults()))) {
			ExecutorService callers = Executors.newFixedThreadPool(16);
			try {
				// when: 16 checks at once
				List<Future<Long>> calls = new ArrayList<>();
				for (int i = 0; i < 16; i++) {
					String phone = "1660000010" + (i % 10);
					calls.add(callers.submit(() -> {
						long start = System.nanoTime();
						toSlow.checkCustomerExist(CheckCustomerExistRequest.byPhone("+86", phone));
						return System.nanoTime() - start;
					}));
				}
				// then: each answered, none before the latency, and all 16 were in flight at once on 2 threads
				for (Future<Long> call : calls) {
					assertThat(Duration.ofNanos(call.get())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
				}
				assertThat(slow.state().peakConcurrentRequests()).isEqualTo(16);
				assertThat(slow.state().requests()).containsEntry("check", 16L);
			}
			finally {
				callers.shutdownNow();
			}
		}
	}

	@Test
	void stateCountsCustomersDuplicatesAndRequestsPerEndpoint() throws Exception {
		// given
		this.client.createAccount(prospect("16600000001", "tsc-state"));
		this.client.checkCustomerExist(CheckCustomerExistRequest.byPhone("+86", "16600000001"));
		this.client.checkCustomerExist(CheckCustomerExistRequest.byPhone("+86", "16600000002"));

		// when
		JsonNode state = getJson("/sandbox/state");

		// then
		assertThat(state.get("customers").asLong()).isEqualTo(101);
		assertThat(state.get("maxAccountsPerThirdServerCode").asLong()).isEqualTo(1);
		assertThat(state.get("maxAccountsPerPhone").asLong()).isEqualTo(1);
		assertThat(state.get("maxAccountsPerEmail").asLong()).isEqualTo(1);
		assertThat(state.get("requests").get("create").asLong()).isEqualTo(1);
		assertThat(state.get("requests").get("check").asLong()).isEqualTo(2);
		assertThat(state.get("requests").get("page").asLong()).isZero();
	}

	@Test
	void listsCustomersByThirdServerCode() throws Exception {
		// given
		String customerNo = this.client.createAccount(prospect("16600000003", "tsc-list"));

		// when
		JsonNode listed = getJson("/sandbox/customers?thirdServerCode=tsc-list");
		JsonNode firstTwo = getJson("/sandbox/customers?limit=2");

		// then
		assertThat(listed).hasSize(1);
		assertThat(listed.get(0).get("customerNo").asString()).isEqualTo(customerNo);
		assertThat(listed.get(0).get("phone").asString()).isEqualTo("16600000003");
		assertThat(firstTwo).hasSize(2);
	}

	@Test
	void resetReturnsToTheSeededCustomers() throws Exception {
		// given
		this.client.createAccount(prospect("16600000004", "tsc-reset"));

		// when
		HttpResponse<String> reset = this.http.send(
				HttpRequest.newBuilder(uri("/sandbox/reset")).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());

		// then
		assertThat(reset.statusCode()).isEqualTo(200);
		assertThat(this.sandbox.state().customers()).isEqualTo(100);
		assertThat(this.sandbox.accountsWithThirdServerCode("tsc-reset")).isZero();
	}

	@Test
	void sameRandomSeedMakesTheSameCustomers() {
		// given
		SandboxSettings settings = SandboxSettings.forTests().withSeed(new SandboxSettings.Seed(20, 3, 7, null, null));

		// when
		List<String> first;
		List<String> second;
		try (Sandbox one = Sandbox.start(settings); Sandbox two = Sandbox.start(settings)) {
			first = one.customers().stream().map(SandboxCustomer::phone).toList();
			second = two.customers().stream().map(SandboxCustomer::phone).toList();
		}

		// then
		assertThat(first).hasSize(20).doesNotHaveDuplicates().isEqualTo(second);
	}

	@Test
	void answersUnknownServiceWith404AndOtherMethodsWith405() throws Exception {
		// when
		HttpResponse<String> unknown = post("/openapi-b/customer.admin.NoSuchService.call", "{}", "1", "sandbox-token");
		HttpResponse<String> get = this.http.send(
				HttpRequest.newBuilder(uri(Endpoint.PAGE.path())).GET().build(), HttpResponse.BodyHandlers.ofString());

		// then
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(get.statusCode()).isEqualTo(405);
	}

	@Test
	void refusesUnknownCompanyAndMissingTrace() throws Exception {
		// when
		JsonNode wrongCompany = ApiJson.mapper()
			.readTree(post(Endpoint.PAGE.path(), "{}", "999", "sandbox-token").body());
		HttpResponse<String> noTrace = this.http.send(HttpRequest.newBuilder(uri(Endpoint.PAGE.path()))
			.header("companyId", "1")
			.header("version", "0.0.1")
			.header("token", "sandbox-token")
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build(), HttpResponse.BodyHandlers.ofString());

		// then
		assertThat(wrongCompany.get("code").asString()).isEqualTo("A0401");
		assertThat(ApiJson.mapper().readTree(noTrace.body()).get("code").asString()).isEqualTo("A0400");
	}

	@Test
	void injectsFaultsAtTheConfiguredRate() {
		// given: half of all group-list answers busy, with repeatable rolls
		this.sandbox.faults(new Faults(Duration.ZERO, Duration.ZERO, 0,
				Duration.ofSeconds(1), 503, 11L, Map.of("group-list", FaultRates.none().withBusy(0.5))));

		// when
		int failed = 0;
		for (int i = 0; i < 400; i++) {
			try {
				this.client.groupList(CustomerGroupListRequest.all());
			}
			catch (RuntimeException ex) {
				failed++;
			}
		}

		// then
		assertThat(failed).isBetween(150, 250);
		assertThat(this.sandbox.state().faultsInjected().get("BUSY")).isEqualTo(failed);
		assertThat(this.sandbox.state().requests("group-list")).isEqualTo(400);
	}

	private JsonNode getJson(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return ApiJson.mapper().readTree(response.body());
	}

	private HttpResponse<String> post(String path, String body, String companyId, String token)
			throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("trace", "test-trace")
			.header("companyId", companyId)
			.header("version", "0.0.1")
			.header("token", token)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return this.sandbox.baseUrl().resolve(path);
	}

	private static CreateAccountRequest prospect(String phone, String thirdServerCode) {
		return new CreateAccountRequest(phone, null, "+86", null, "dc483e80a7a0bd9ef71d8cf973673924", "CN", 1, 1L,
				null, null, null, null, null, null, null, thirdServerCode, List.of(new TradeTypeCurrency("USDT", "1")));
	}

}
