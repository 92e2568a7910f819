package dev.onboardingsync.customerapi;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.onboardingsync.sandbox.FaultRates;
import dev.onboardingsync.sandbox.Faults;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxSettings;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The client against the sandbox over real HTTP: every endpoint and every failure type.
 */
class CustomerApiClientIntegrationTests {

	private static final AtomicInteger numbers = new AtomicInteger();

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
	void createsAccountAndReturnsItsCustomerNo() {
		// given
		CreateAccountRequest request = prospect("tsc-create");

		// when
		String customerNo = this.client.createAccount(request);

		// then
		assertThat(customerNo).matches("\\d+");
		assertThat(this.sandbox.accountsWithThirdServerCode("tsc-create")).isEqualTo(1);
		assertThat(this.client.checkCustomerExist(CheckCustomerExistRequest.byCustomerNo(customerNo))).isTrue();
	}

	@Test
	void secondCreateWithSameThirdServerCodeMakesNoSecondAccount() {
		// given
		this.client.createAccount(prospect("tsc-twice"));

		// when
		Throwable second = catchThrowableOfType(CustomerAlreadyExistsException.class,
				() -> this.client.createAccount(prospect("tsc-twice")));

		// then
		assertThat(second).isNotNull();
		assertThat(((CustomerAlreadyExistsException) second).code()).isEqualTo("A0409");
		assertThat(this.sandbox.accountsWithThirdServerCode("tsc-twice")).isEqualTo(1);
	}

	@Test
	void concurrentCreatesWithOneThirdServerCodeMakeExactlyOneAccount() throws Exception {
		// given
		int threads = 16;
		CountDownLatch start = new CountDownLatch(1);
		List<Callable<String>> creates = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			CreateAccountRequest request = prospect("tsc-race");
			creates.add(() -> {
				start.await();
				try {
					return this.client.createAccount(request);
				}
				catch (CustomerAlreadyExistsException ex) {
					return "exists";
				}
			});
		}
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<String>> results = new ArrayList<>();
			creates.forEach((create) -> results.add(executor.submit(create)));

			// when
			start.countDown();
			List<String> outcomes = new ArrayList<>();
			for (Future<String> result : results) {
				outcomes.add(result.get());
			}

			// then
			assertThat(outcomes).filteredOn((outcome) -> !outcome.equals("exists")).hasSize(1);
			assertThat(outcomes).filteredOn("exists"::equals).hasSize(threads - 1);
			assertThat(this.sandbox.accountsWithThirdServerCode("tsc-race")).isEqualTo(1);
			assertThat(this.sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void checksExistenceByPhoneEmailAndCustomerNo() {
		// given
		CreateAccountRequest request = prospect("tsc-check");
		String customerNo = this.client.createAccount(request);

		// when / then
		assertThat(this.client.checkCustomerExist(CheckCustomerExistRequest.byPhone("+86", request.phone()))).isTrue();
		assertThat(this.client.checkCustomerExist(CheckCustomerExistRequest.byPhone("+86", "+86 " + request.phone())))
			.isTrue();
		assertThat(this.client.checkCustomerExist(CheckCustomerExistRequest.byEmail(null, request.email().toUpperCase())))
			.isTrue();
		assertThat(this.client.checkCustomerExist(CheckCustomerExistRequest.byCustomerNo(customerNo))).isTrue();
		assertThat(this.client.checkCustomerExist(CheckCustomerExistRequest.byPhone("+86", newPhone()))).isFalse();
		assertThat(this.client.checkCustomerExist(CheckCustomerExistRequest.byEmail(null, "nobody@example.org")))
			.isFalse();
	}

	@Test
	void rejectsInvalidProspectWithThePlatformsMessage() {
		// given
		CreateAccountRequest request = withCountry(prospect("tsc-invalid"), "XX");

		// when
		CustomerRejectedException rejected = catchThrowableOfType(CustomerRejectedException.class,
				() -> this.client.createAccount(request));

		// then
		assertThat(rejected.code()).isEqualTo("A0400");
		assertThat(rejected.platformMessage()).contains("country");
		assertThat(this.sandbox.accountsWithThirdServerCode("tsc-invalid")).isZero();
	}

	@Test
	void pagesNewestFirstWithTotalCountedAtQueryTime() {
		// given
		int seeded = this.sandbox.settings().seed().customers();

		// when
		CustomerPage first = this.client.page(CustomerPageRequest.all(1, 20));
		CustomerPage last = this.client.page(CustomerPageRequest.all(seeded / 20, 20));
		CustomerPage pastTheEnd = this.client.page(CustomerPageRequest.all(seeded / 20 + 1, 20));
		String created = this.client.createAccount(prospect("tsc-page"));
		CustomerPage afterCreate = this.client.page(CustomerPageRequest.all(1, 20));

		// then
		assertThat(first.total()).isEqualTo(seeded);
		assertThat(first.records()).hasSize(20);
		assertThat(first.records()).isSortedAccordingTo((left, right) -> (left.createTime().equals(right.createTime()))
				? Long.compare(right.id(), left.id()) : Long.compare(right.createTime(), left.createTime()));
		assertThat(last.records()).hasSize(20);
		assertThat(last.records().get(19).id()).isEqualTo(this.sandbox.customers().get(0).id());
		assertThat(pastTheEnd.records()).isEmpty();
		assertThat(afterCreate.total()).isEqualTo(seeded + 1);
		assertThat(afterCreate.records().get(0).customerNo()).isEqualTo(created);
		assertThat(afterCreate.records().get(1).customerNo()).isEqualTo(first.records().get(0).customerNo());
	}

	@Test
	void filtersPageByCustomerNo() {
		// given
		String customerNo = this.client.createAccount(prospect("tsc-filter"));

		// when
		CustomerPage page = this.client.page(new CustomerPageRequest(customerNo, 20, 1));

		// then
		assertThat(page.total()).isEqualTo(1);
		assertThat(page.records()).extracting(CustomerRecord::customerNo).containsExactly(customerNo);
	}

	@Test
	void refusesPagesLargerThanTheLimit() {
		assertThatThrownBy(() -> this.client.page(CustomerPageRequest.all(1, 201)))
			.isInstanceOf(CustomerRejectedException.class)
			.hasMessageContaining("size");
	}

	@Test
	void readsDetailWithThirdServerCode() {
		// given
		CreateAccountRequest request = prospect("tsc-detail");
		String customerNo = this.client.createAccount(request);

		// when
		CustomerDetail detail = this.client.detail(CustomerDetailRequest.baseInfo(null, customerNo));

		// then
		assertThat(detail.customerNo()).isEqualTo(customerNo);
		assertThat(detail.thirdServerCode()).isEqualTo("tsc-detail");
		assertThat(detail.phone()).isEqualTo(request.phone());
		assertThat(detail.country()).isEqualTo("CN");
	}

	@Test
	void detailOfUnknownCustomerIsNotFound() {
		assertThatThrownBy(() -> this.client.detail(CustomerDetailRequest.baseInfo(null, "99999999")))
			.isInstanceOf(CustomerNotFoundException.class)
			.extracting("code")
			.isEqualTo("A0404");
	}

	@Test
	void listsCustomerGroups() {
		// when
		List<CustomerGroup> groups = this.client.groupList(CustomerGroupListRequest.all());

		// then
		assertThat(groups).extracting(CustomerGroup::id).containsExactly(1L, 2L, 3L);
		assertThat(groups.get(0).name()).isEqualTo("Default");
	}

	@Test
	void wrongTokenFailsAuthenticationButCheckNeedsNoToken() throws IOException {
		// given
		try (CustomerApiClient wrongToken = CustomerApiClient.create(withToken(this.sandbox.baseUrl(), "stale"))) {

			// when / then
			assertThat(wrongToken.checkCustomerExist(CheckCustomerExistRequest.byPhone("+86", newPhone()))).isFalse();
			assertThatThrownBy(() -> wrongToken.page(CustomerPageRequest.all(1, 20)))
				.isInstanceOf(AuthenticationFailedException.class)
				.extracting("code")
				.isEqualTo("A0401");
		}
	}

	@Test
	void rateLimitCarriesTheRetryAfterThePlatformAskedFor() {
		// given: one request per second, and the first one spends it
		this.sandbox.faults(Faults.none().withRequestsPerSecond(1));
		this.client.groupList(CustomerGroupListRequest.all());

		// when
		RateLimitedException limited = catchThrowableOfType(RateLimitedException.class,
				() -> this.client.createAccount(prospect("tsc-429")));

		// then
		assertThat(limited.code()).isEqualTo("HTTP 429");
		assertThat(limited.retryAfter()).contains(Duration.ofSeconds(1));
		assertThat(this.sandbox.accountsWithThirdServerCode("tsc-429")).isZero();
		assertThat(this.sandbox.state().faultsInjected()).containsEntry("RATE_LIMITED", 1L);
	}

	@Test
	void tooManyRequestsCodeIsRateLimitedWithoutAWait() {
		// given
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withTooManyRequests(1)));

		// when
		RateLimitedException limited = catchThrowableOfType(RateLimitedException.class,
				() -> this.client.createAccount(prospect("tsc-a0429")));

		// then
		assertThat(limited.code()).isEqualTo("A0429");
		assertThat(limited.retryAfter()).isEmpty();
		assertThat(this.sandbox.accountsWithThirdServerCode("tsc-a0429")).isZero();
	}

	@Test
	void busyPlatformIsTransientAndCreatesNothing() {
		// given
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withBusy(1)));

		// when
		TransientApiException busy = catchThrowableOfType(TransientApiException.class,
				() -> this.client.createAccount(prospect("tsc-busy")));

		// then
		assertThat(busy).isNotInstanceOf(RateLimitedException.class);
		assertThat(busy.code()).isEqualTo("B0001");
		assertThat(this.sandbox.accountsWithThirdServerCode("tsc-busy")).isZero();
	}

	@Test
	void gatewayErrorIsTransientEvenForCreate() {
		// given
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withServerError(1)));

		// when / then
		assertThatThrownBy(() -> this.client.createAccount(prospect("tsc-503")))
			.isExactlyInstanceOf(TransientApiException.class)
			.extracting("code")
			.isEqualTo("HTTP 503");
	}

	@Test
	void internalServerErrorIsAmbiguousForCreateAndTransientForReads() {
		// given
		this.sandbox.faults(Faults.none().withServerErrorStatus(500).withAll(FaultRates.none().withServerError(1)));

		// when / then
		assertThatThrownBy(() -> this.client.createAccount(prospect("tsc-500")))
			.isInstanceOf(AmbiguousResultException.class);
		assertThatThrownBy(() -> this.client.page(CustomerPageRequest.all(1, 20)))
			.isExactlyInstanceOf(TransientApiException.class);
	}

	@Test
	void lostResponseOnCreateIsAmbiguousAndSettledByACheck() {
		// given
		CreateAccountRequest request = prospect("tsc-lost");
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withLostResponse(1)));

		// when
		AmbiguousResultException ambiguous = catchThrowableOfType(AmbiguousResultException.class,
				() -> this.client.createAccount(request));
		this.sandbox.faults(Faults.none());

		// then: the platform committed it; a check finds it and a second create cannot duplicate it
		assertThat(ambiguous.trace()).isNotBlank();
		assertThat(this.sandbox.accountsWithThirdServerCode("tsc-lost")).isEqualTo(1);
		assertThat(this.client.checkCustomerExist(CheckCustomerExistRequest.byPhone("+86", request.phone()))).isTrue();
		assertThatThrownBy(() -> this.client.createAccount(request)).isInstanceOf(CustomerAlreadyExistsException.class);
		assertThat(this.sandbox.accountsWithThirdServerCode("tsc-lost")).isEqualTo(1);
	}

	@Test
	void readTimeoutIsAmbiguousForCreateAndTransientForReads() {
		// given: the sandbox does the work, then stays silent past the client's 500 ms read timeout
		this.sandbox.faults(Faults.none().withTimeoutHold(Duration.ofSeconds(5)).withAll(FaultRates.none().withTimeout(1)));

		// when / then
		assertThatThrownBy(() -> this.client.createAccount(prospect("tsc-timeout")))
			.isInstanceOf(AmbiguousResultException.class)
			.hasMessageContaining("SocketTimeoutException");
		assertThatThrownBy(() -> this.client.page(CustomerPageRequest.all(1, 20)))
			.isExactlyInstanceOf(TransientApiException.class);
		assertThat(this.sandbox.accountsWithThirdServerCode("tsc-timeout")).isEqualTo(1);
	}

	@Test
	void aLostAnswerAndATimeoutAfterThePlatformsLatencyAreAmbiguousAndTheCreateApplied() {
		// given: a platform that answers after 100 ms, and then loses every create's answer
		Faults slow = Faults.none().withLatency(Duration.ofMillis(100), Duration.ZERO).withTimeoutHold(Duration.ofSeconds(5));
		this.sandbox.faults(slow.with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withLostResponse(1)));

		// when / then: the create was applied, its answer lost
		assertThatThrownBy(() -> this.client.createAccount(prospect("tsc-late-lost")))
			.isInstanceOf(AmbiguousResultException.class);
		assertThat(this.sandbox.accountsWithThirdServerCode("tsc-late-lost")).isEqualTo(1);

		// and then stays silent past the client's 500 ms read timeout
		this.sandbox.faults(slow.with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withTimeout(1)));
		assertThatThrownBy(() -> this.client.createAccount(prospect("tsc-late-timeout")))
			.isInstanceOf(AmbiguousResultException.class)
			.hasMessageContaining("SocketTimeoutException");
		assertThat(this.sandbox.accountsWithThirdServerCode("tsc-late-timeout")).isEqualTo(1);
	}

	@Test
	void malformedBodyIsAmbiguousForCreateAndTransientForReads() {
		// given
		this.sandbox.faults(Faults.none().withAll(FaultRates.none().withMalformed(1)));

		// when / then
		assertThatThrownBy(() -> this.client.createAccount(prospect("tsc-malformed")))
			.isInstanceOf(AmbiguousResultException.class)
			.hasMessageContaining("unparseable body");
		assertThatThrownBy(() -> this.client.checkCustomerExist(CheckCustomerExistRequest.byCustomerNo("1")))
			.isExactlyInstanceOf(TransientApiException.class);
	}

	@Test
	void unreachablePlatformIsTransientEvenForCreate() throws IOException {
		// given: a port nobody listens on
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		try (CustomerApiClient unreachable = CustomerApiClient
			.create(TestSandbox.clientProperties(URI.create("http://127.0.0.1:" + closedPort)))) {

			// when / then: the request never left, so it cannot have been applied
			assertThatThrownBy(() -> unreachable.createAccount(prospect("tsc-unreachable")))
				.isExactlyInstanceOf(TransientApiException.class)
				.hasMessageContaining("Could not reach the platform at http://127.0.0.1:" + closedPort + " (");
		}
	}

	@Test
	void codesAreConfigurable() throws IOException {
		// given: a client that does not know B0001
		CustomerApiProperties defaults = TestSandbox.clientProperties(this.sandbox.baseUrl());
		CustomerApiProperties.ErrorCodes codes = defaults.errorCodes();
		CustomerApiProperties unknownBusy = new CustomerApiProperties(defaults.baseUrl(), defaults.companyId(),
				defaults.token(), defaults.version(), defaults.connectTimeout(), defaults.readTimeout(),
				defaults.maxConcurrency(), 0, new CustomerApiProperties.ErrorCodes(codes.rejected(),
						codes.authenticationFailed(), codes.notFound(), codes.alreadyExists(), codes.rateLimited(),
						Set.of("X9999")));
		this.sandbox.faults(Faults.none().withAll(FaultRates.none().withBusy(1)));
		try (CustomerApiClient strict = CustomerApiClient.create(unknownBusy)) {

			// when / then: an unknown code may mean a create was applied
			assertThatThrownBy(() -> strict.createAccount(prospect("tsc-unknown")))
				.isInstanceOf(AmbiguousResultException.class)
				.hasMessageContaining("Unknown code");
			assertThatThrownBy(() -> strict.groupList(CustomerGroupListRequest.all()))
				.isExactlyInstanceOf(TransientApiException.class);
		}
	}

	@Test
	void everyRequestCarriesANewTrace() {
		// given
		this.sandbox.faults(Faults.none().withAll(FaultRates.none().withBusy(1)));

		// when
		TransientApiException first = catchThrowableOfType(TransientApiException.class,
				() -> this.client.groupList(CustomerGroupListRequest.all()));
		TransientApiException second = catchThrowableOfType(TransientApiException.class,
				() -> this.client.groupList(CustomerGroupListRequest.all()));

		// then
		assertThat(first.trace()).isNotEqualTo(second.trace());
		assertThat(first.getMessage()).contains("trace=" + first.trace());
	}

	@Test
	void connectionPoolServesTheConfiguredConcurrency() throws Exception {
		// given: every answer takes a second, so 16 requests started together overlap; a sandbox of the
		// test's own, whose count of requests in flight no other test's held answer adds to
		int concurrency = 16;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(concurrency);
		try (Sandbox own = Sandbox.start(SandboxSettings.forTests()
			.withFaults(Faults.none().withLatency(Duration.ofSeconds(1), Duration.ZERO)));
				CustomerApiClient patient = CustomerApiClient.create(withReadTimeout(own.baseUrl(), Duration.ofSeconds(10)))) {
			List<Future<Boolean>> checks = new ArrayList<>();
			for (int i = 0; i < concurrency; i++) {
				checks.add(executor.submit(() -> {
					start.await();
					return patient.checkCustomerExist(CheckCustomerExistRequest.byCustomerNo("1"));
				}));
			}

			// when
			start.countDown();
			for (Future<Boolean> check : checks) {
				check.get();
			}

			// then: more than HttpClient's default of 5 per route were in flight at once
			assertThat(own.state().peakConcurrentRequests()).isEqualTo(concurrency);
		}
		finally {
			executor.shutdownNow();
		}
	}

	static CreateAccountRequest prospect(String thirdServerCode) {
		int n = numbers.incrementAndGet();
		return new CreateAccountRequest(newPhone(), "prospect" + n + "@example.org", "+86", "+86",
				"dc483e80a7a0bd9ef71d8cf973673924", "CN", 1, 1L, null, null, null, null, null, null, null,
				thirdServerCode, List.of(new TradeTypeCurrency("USDT", "1")));
	}

	// 166 is a mainland mobile prefix the sandbox's seed never uses.
	static String newPhone() {
		return "166" + String.format("%08d", numbers.incrementAndGet());
	}

	private static CreateAccountRequest withCountry(CreateAccountRequest request, String country) {
		return new CreateAccountRequest(request.phone(), request.email(), request.phoneArea(), request.emailArea(),
				request.pwd(), country, request.registerSource(), request.customerGroupId(), request.remark(),
				request.registerDevice(), request.utmSource(), request.utmMedium(), request.utmCampaign(),
				request.utmContent(), request.utmTerm(), request.thirdServerCode(), request.tradeTypeCurrencyList());
	}

	private static CustomerApiProperties withReadTimeout(URI baseUrl, Duration readTimeout) {
		CustomerApiProperties defaults = TestSandbox.clientProperties(baseUrl);
		return new CustomerApiProperties(defaults.baseUrl(), defaults.companyId(), defaults.token(), defaults.version(),
				defaults.connectTimeout(), readTimeout, defaults.maxConcurrency(), 0, defaults.errorCodes());
	}

	private static CustomerApiProperties withToken(URI baseUrl, String token) {
		CustomerApiProperties defaults = TestSandbox.clientProperties(baseUrl);
		return new CustomerApiProperties(defaults.baseUrl(), defaults.companyId(), token, defaults.version(),
				defaults.connectTimeout(), defaults.readTimeout(), defaults.maxConcurrency(), 0, defaults.errorCodes());
	}

}
