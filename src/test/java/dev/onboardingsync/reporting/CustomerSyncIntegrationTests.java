package dev.onboardingsync.reporting;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.onboardingsync.customerapi.CreateAccountRequest;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.sandbox.Faults;

import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxCustomer;
import dev.onboardingsync.sandbox.SandboxSettings;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sync against the sandbox over HTTP and the test PostgreSQL: its counts are the rows it wrote,
 * whatever the JDBC driver reports of batches (issue 8); it is complete while customers are created
 * as it pages, its pages fetched concurrently; and it marks the customers the platform no longer
 * lists (issue 12).
 */
class CustomerSyncIntegrationTests {

	private static final Duration LATENCY = Duration.ofMillis(10);

	@TempDir
	private Path reports;

	@Test
	void countsTheCustomersItWroteWithBatchedInsertsRewritten() {
		// given: the driver's common speed-up, which answers batches with "success, no count"
		Sandbox sandbox = TestSandbox.reset();
		TestDatabase.Connection database = TestDatabase.connection();
		TestDatabase.Connection rewritten = new TestDatabase.Connection(
				database.jdbcUrl() + "?reWriteBatchedInserts=true", database.username(), database.password());
		assertThat(TestApplication.run(rewritten, this.reports, "runs", "list")).isZero();
		JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
		TestDatabase.truncate(jdbc);

		// when: a first sync, and a second with one customer changed since
		int first = TestApplication.run(rewritten, this.reports, "job=customerSyncJob");
		jdbc.update("UPDATE reporting.customer SET remark = 'edited here' WHERE customer_no = ?",
				sandbox.customers().get(0).customerNo());
		int second = TestApplication.run(rewritten, this.reports, "job=customerSyncJob");

		// then
		assertThat(first).isZero();
		assertThat(second).isZero();
		assertThat(jdbc.queryForList("""
				SELECT (summary->>'customersSynced') || ' ' || (summary->>'customersChanged') FROM reporting.run_summary
				ORDER BY job_execution_id""", String.class))
			.containsExactly(sandbox.customers().size() + " " + sandbox.customers().size(),
					sandbox.customers().size() + " 1");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM reporting.customer", Long.class))
			.isEqualTo(sandbox.customers().size());
	}

	@Test
	void anUnchangedResyncNeitherWritesNorLocksARowAndCopiesTextAsGiven() throws Exception {
		// given: a customer whose remark holds what COPY's text format escapes, and a first sync
		Sandbox sandbox = TestSandbox.reset();
		JdbcTemplate jdbc = migratedAndEmpty();
		String remark = "tab\there, back\\slash, new\nline, \\N, \r, 中文";
		String customerNo;
		try (CustomerApiClient client = CustomerApiClient.create(TestSandbox.clientProperties(sandbox.baseUrl()))) {
			customerNo = client.createAccount(new CreateAccountRequest("13912345678", null, "+86", null,
					"dc483e80a7a0bd9ef71d8cf973673924", "CN", 1, 1L, remark, null, null, null, null, null, null,
					"escape-1", List.of(new TradeTypeCurrency("USDT", "1"))));
		}
		assertThat(TestApplication.run(this.reports, "job=customerSyncJob")).isZero();
		List<String> rowsBefore = jdbc.queryForList(ROW_VERSIONS, String.class);

		// when: nothing changed on the platform
		assertThat(TestApplication.run(this.reports, "job=customerSyncJob")).isZero();

		// then: no row written, and none locked (a lock sets xmax, and is WAL-logged: issue 13)
		assertThat(jdbc.queryForList(ROW_VERSIONS, String.class)).isEqualTo(rowsBefore).hasSize(sandbox.customers().size());
		assertThat(jdbc.queryForObject("SELECT count(*) FROM reporting.customer WHERE xmax <> '0'", Long.class)).isZero();
		assertThat(jdbc.queryForList("SELECT summary->>'customersChanged' FROM reporting.run_summary"
				+ " ORDER BY job_execution_id", String.class)).containsExactly(String.valueOf(sandbox.customers().size()), "0");
		// and the text as the platform gave it
		assertThat(jdbc.queryForObject("SELECT remark FROM reporting.customer WHERE customer_no = ?", String.class,
				customerNo)).isEqualTo(remark);
	}

	// Each row's version: where it is (ctid) and the transaction that wrote it (xmin).
	private static final String ROW_VERSIONS = "SELECT customer_no || ' ' || ctid || ' ' || xmin FROM reporting.customer"
			+ " ORDER BY customer_no";

	@Test
	void aSyncWhileCustomersAreCreatedHoldsEveryCustomerUpToThePointItStates() throws Exception {
		// given: 3,000 customers, pages of 20 read 16 at a time, each answer 10 to 30 ms late, so that
		// pages are cut out of order; and four clients creating customers as fast as the platform allows
		try (Sandbox platform = Sandbox.start(SandboxSettings.forTests()
			.withSeed(new SandboxSettings.Seed(3000, 3, 7, null, null))
			.withFaults(Faults.none().withLatency(LATENCY, LATENCY.multipliedBy(2))))) {
			JdbcTemplate jdbc = migratedAndEmpty();
			AtomicBoolean syncing = new AtomicBoolean(true);
			AtomicInteger created = new AtomicInteger();
			ExecutorService creators = Executors.newFixedThreadPool(4);
			List<Future<?>> creating = new ArrayList<>();
			int exitCode;
			try (CustomerApiClient client = CustomerApiClient.create(TestSandbox.clientProperties(platform.baseUrl()))) {
				for (int thread = 0; thread < 4; thread++) {
					int first = thread * 100_000;
					creating.add(creators.submit(() -> {
						for (int i = first; syncing.get(); i++) {
							client.createAccount(newCustomer(i));
							created.incrementAndGet();
						}
						return null;
					}));
				}

				// when
				exitCode = TestApplication.run(this.reports, "job=customerSyncJob",
						"--customer-api.base-url=" + platform.baseUrl(), "--customer-api.max-concurrency=16",
						"--onboarding.sync-page-size=20", "--onboarding.sync-pages-per-chunk=16");
				syncing.set(false);
				for (Future<?> each : creating) {
					each.get();
				}
			}
			finally {
				creators.shutdownNow();
			}

			// then: every customer at or older than the point the sync states is copied, and nothing else
			assertThat(exitCode).isZero();
			Map<String, Object> sync = jdbc.queryForMap("SELECT complete_up_to, passes FROM reporting.customer_sync");
			List<SandboxCustomer> all = platform.customers();
			SandboxCustomer upTo = all.stream()
				.filter((customer) -> customer.customerNo().equals(sync.get("complete_up_to")))
				.findFirst()
				.orElseThrow();
			Set<String> expected = all.stream()
				.filter((customer) -> CREATION_ORDER.compare(customer, upTo) <= 0)
				.map(SandboxCustomer::customerNo)
				.collect(Collectors.toSet());
			Set<String> copied = Set.copyOf(jdbc.queryForList("SELECT customer_no FROM reporting.customer", String.class));
			Set<String> onThePlatform = all.stream().map(SandboxCustomer::customerNo).collect(Collectors.toSet());
			assertThat(expected).hasSizeGreaterThan(3000 + 20);
			assertThat(difference(expected, copied)).as("customers missing from the copy").isEmpty();
			assertThat(difference(copied, onThePlatform)).as("customers the platform does not have").isEmpty();
			assertThat(created.get()).as("customers created while the sync ran").isPositive();
			assertThat(jdbc.queryForObject("SELECT count(*) FROM reporting.customer WHERE missing_since IS NOT NULL",
					Long.class)).isZero();
		}
	}

	@Test
	void aCustomerTheCompleteSyncDoesNotFindIsMarkedMissingAndOneFoundAgainUnmarked() {
		// given: a first sync of the shared sandbox
		Sandbox sandbox = TestSandbox.reset();
		JdbcTemplate jdbc = migratedAndEmpty();
		assertThat(TestApplication.run(this.reports, "job=customerSyncJob")).isZero();
		List<SandboxCustomer> customers = sandbox.customers();
		SandboxCustomer removed = customers.get(3);
		SandboxCustomer closed = customers.get(5);

		// when: one customer is deleted on the platform, another closed, a pass of a run given up left
		// behind, and the sync runs again
		jdbc.update("INSERT INTO reporting.customer_sync_pass (pass_id, company_id) VALUES (999999, '1')");
		jdbc.update("INSERT INTO reporting.customer_seen (pass_id, customer_nos) VALUES (999999, ARRAY[?])",
				removed.customerNo());
		assertThat(sandbox.removeCustomer(removed.customerNo())).isTrue();
		assertThat(sandbox.closeCustomer(closed.customerNo())).isPresent();
		assertThat(TestApplication.run(this.reports, "job=customerSyncJob")).isZero();

		// then: the deleted one is kept, marked missing, and counted; the closed one has its status
		assertThat(jdbc.queryForList("SELECT customer_no FROM reporting.customer WHERE missing_since IS NOT NULL",
				String.class)).containsExactly(removed.customerNo());
		assertThat(jdbc.queryForObject("SELECT status FROM reporting.customer WHERE customer_no = ?", Integer.class,
				closed.customerNo())).isEqualTo(SandboxCustomer.CLOSED);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM reporting.customer", Long.class))
			.isEqualTo(customers.size());
		assertThat(jdbc.queryForList("""
				SELECT (summary->>'customersMissing') || ' ' || (summary->>'customersNewlyMissing')
				FROM reporting.run_summary ORDER BY job_execution_id""", String.class)).containsExactly("0 0", "1 1");
		assertThat(jdbc.queryForList("SELECT missing || ' ' || newly_missing FROM reporting.customer_sync"
				+ " ORDER BY job_execution_id", String.class)).containsExactly("0 0", "1 1");
		// and nothing of a pass is left behind, the abandoned one's included
		assertThat(jdbc.queryForObject("SELECT count(*) FROM reporting.customer_seen", Long.class)).isZero();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM reporting.customer_sync_pass", Long.class)).isZero();

		// when: the platform lists it again (restored from its data), and a third sync runs
		sandbox.reset();
		assertThat(TestApplication.run(this.reports, "job=customerSyncJob")).isZero();

		// then
		assertThat(jdbc.queryForObject("SELECT count(*) FROM reporting.customer WHERE missing_since IS NOT NULL",
				Long.class)).isZero();
	}

	@Test
	void anIncrementalSyncReadsOnlyTheCustomersCreatedSinceAndAFullOneWhatItCannotSee() throws Exception {
		// given: incremental mode, whose first sync is full as none completed yet
		Sandbox sandbox = TestSandbox.reset();
		JdbcTemplate jdbc = migratedAndEmpty();
		String[] incremental = { "job=customerSyncJob", "--onboarding.sync-mode=incremental",
				"--onboarding.sync-page-size=20", "--onboarding.sync-overlap=0s" };
		assertThat(TestApplication.run(this.reports, incremental)).isZero();
		List<SandboxCustomer> before = sandbox.customers();
		try (CustomerApiClient client = CustomerApiClient.create(TestSandbox.clientProperties(sandbox.baseUrl()))) {
			for (int i = 0; i < 45; i++) {
				client.createAccount(newCustomer(900_000 + i));
			}
		}
		SandboxCustomer closed = before.get(5);
		SandboxCustomer removed = before.get(3);
		sandbox.closeCustomer(closed.customerNo());
		sandbox.removeCustomer(removed.customerNo());
		long pagesBefore = sandbox.state().requests("page");

		// when
		assertThat(TestApplication.run(this.reports, incremental)).isZero();

		// then: the 45 new customers, in 3 pages of 20 (the third reaches back past the last point), and
		// the first page read again to check that none was removed meanwhile
		assertThat(sandbox.state().requests("page") - pagesBefore).isEqualTo(3 + 1);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM reporting.customer", Long.class))
			.isEqualTo(before.size() + 45);
		// and neither the change to an older customer nor the deletion, which paging by creation cannot see
		assertThat(jdbc.queryForObject("SELECT status FROM reporting.customer WHERE customer_no = ?", Integer.class,
				closed.customerNo())).isEqualTo(SandboxCustomer.ACTIVE);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM reporting.customer WHERE missing_since IS NOT NULL",
				Long.class)).isZero();

		// when: the last full sync is older than onboarding.sync-full-every
		assertThat(TestApplication.run(this.reports, "job=customerSyncJob", "--onboarding.sync-mode=incremental",
				"--onboarding.sync-full-every=0s")).isZero();

		// then: a full sync, which sees both
		assertThat(jdbc.queryForList("SELECT kind FROM reporting.customer_sync ORDER BY job_execution_id", String.class))
			.containsExactly("FULL", "INCREMENTAL", "FULL");
		assertThat(jdbc.queryForObject("SELECT status FROM reporting.customer WHERE customer_no = ?", Integer.class,
				closed.customerNo())).isEqualTo(SandboxCustomer.CLOSED);
		assertThat(jdbc.queryForList("SELECT customer_no FROM reporting.customer WHERE missing_since IS NOT NULL",
				String.class)).containsExactly(removed.customerNo());
	}

	@Test
	void theGroupsOfEveryTradeTypeAreKeptByTradeType() {
		// given: the sandbox's groups, two of trade type 1 and one of trade type 5
		Sandbox sandbox = TestSandbox.reset();
		JdbcTemplate jdbc = migratedAndEmpty();

		// when
		int exitCode = TestApplication.run(this.reports, "job=customerSyncJob", "--onboarding.sync-trade-types=1,5");

		// then: one groupList call per trade type, each group under its own
		assertThat(exitCode).isZero();
		assertThat(sandbox.state().requests("group-list")).isEqualTo(2);
		assertThat(jdbc.queryForList("SELECT trade_type || ':' || id || ' ' || name FROM reporting.customer_group"
				+ " ORDER BY trade_type, id", String.class)).containsExactly("1:1 Default", "1:2 VIP", "5:3 Institutional");
	}

	@Test
	void theDetailsOfNewAndChangedCustomersLandInReportingForTheConfiguredTypes() {
		// given
		Sandbox sandbox = TestSandbox.reset();
		JdbcTemplate jdbc = migratedAndEmpty();
		String[] sync = { "job=customerSyncJob", "--onboarding.sync-detail-types=kyc,tradeAccount" };
		int customers = sandbox.customers().size();

		// when: a first sync
		assertThat(TestApplication.run(this.reports, sync)).isZero();

		// then: both types of every customer, whole, with the columns reports filter on
		assertThat(sandbox.state().requests("detail")).isEqualTo(2L * customers);
		assertThat(jdbc.queryForList("SELECT type || ' ' || count(*) FROM reporting.customer_detail GROUP BY type"
				+ " ORDER BY type", String.class)).containsExactly("kyc " + customers, "tradeAccount " + customers);
		SandboxCustomer closed = sandbox.customers().get(7);
		assertThat(jdbc.queryForMap("SELECT kyc_status, activate_status, third_server_code IS NOT DISTINCT FROM ?"
				+ " AS same_code, detail->>'customerNo' AS customer_no FROM reporting.customer_detail"
				+ " WHERE customer_no = ? AND type = 'kyc'", closed.thirdServerCode(), closed.customerNo()))
			.containsEntry("kyc_status", 2)
			.containsEntry("activate_status", 1)
			.containsEntry("same_code", true)
			.containsEntry("customer_no", closed.customerNo());

		// when: nothing changed, then one customer closed
		assertThat(TestApplication.run(this.reports, sync)).isZero();
		long unchanged = sandbox.state().requests("detail");
		sandbox.closeCustomer(closed.customerNo());
		assertThat(TestApplication.run(this.reports, sync)).isZero();

		// then: no call for unchanged customers; the closed one's details fetched again, and changed
		assertThat(unchanged).isEqualTo(2L * customers);
		assertThat(sandbox.state().requests("detail")).isEqualTo(2L * customers + 2);
		assertThat(jdbc.queryForMap("SELECT kyc_status, activate_status, status FROM reporting.customer_detail"
				+ " WHERE customer_no = ? AND type = 'kyc'", closed.customerNo()))
			.containsEntry("kyc_status", 3)
			.containsEntry("activate_status", 0)
			.containsEntry("status", SandboxCustomer.CLOSED);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM reporting.customer WHERE detail_due", Long.class)).isZero();
	}

	private static final Comparator<SandboxCustomer> CREATION_ORDER = Comparator
		.comparingLong(SandboxCustomer::createTime)
		.thenComparingLong(SandboxCustomer::id);

	// The job's schemas as Flyway leaves them (the first command migrates them), with no rows.
	private JdbcTemplate migratedAndEmpty() {
		assertThat(TestApplication.run(this.reports, "runs", "list")).isZero();
		JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
		TestDatabase.truncate(jdbc);
		return jdbc;
	}

	private static Set<String> difference(Set<String> left, Set<String> right) {
		Set<String> difference = new TreeSet<>(left);
		difference.removeAll(right);
		return difference;
	}

	private static CreateAccountRequest newCustomer(int number) {
		return new CreateAccountRequest(String.format("139%08d", number), null, "+86", null,
				"dc483e80a7a0bd9ef71d8cf973673924", "CN", 1, 1L, null, null, null, null, null, null, null,
				"churn-" + number, List.of(new TradeTypeCurrency("USDT", "1")));
	}

}
