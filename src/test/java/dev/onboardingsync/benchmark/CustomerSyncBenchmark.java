package dev.onboardingsync.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.onboardingsync.customerapi.CreateAccountRequest;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerApiProperties;
import dev.onboardingsync.customerapi.CustomerPageRequest;
import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.sandbox.Faults;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxSettings;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full sync's pages per second against its limit min(R, C / L) (R the requests/s budget, C the
 * calls in flight, L the latency) and against a bare client that fetches the same pages as
 * concurrently and discards them, measured in one run over 100,000 customers at L = 20 ms; then
 * an unchanged re-sync (rows written) and an incremental sync of a day's 1,000 new customers (its
 * calls). The sync's time is its step's, from Spring Batch's metadata, so the process's start is
 * not counted. Not part of the test suite; run it with the command in BENCHMARKS.md (issue 12).
 */
@Tag("benchmark")
class CustomerSyncBenchmark {

	private static final int CUSTOMERS = 100_000;

	private static final int PAGE_SIZE = 200;

	private static final int IN_FLIGHT = 64;

	private static final Duration LATENCY = Duration.ofMillis(20);

	private static final int BUDGET = 50;

	@TempDir
	private Path reports;

	@Test
	void syncPagesPerSecondAgainstTheLimitAndABareClient() throws Exception {
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.forTests()
			.withSeed(new SandboxSettings.Seed(CUSTOMERS, 3, 1, null, null))
			.withFaults(Faults.none().withLatency(LATENCY, Duration.ZERO)))) {
			JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
			assertThat(TestApplication.run(this.reports, "runs", "list")).isZero();
			long pages = (CUSTOMERS + PAGE_SIZE - 1) / PAGE_SIZE;
			double limit = IN_FLIGHT / (LATENCY.toMillis() / 1000.0);

			double bare = bareClient(sandbox, pages, 0);
			double bareUnderBudget = bareClient(sandbox, pages, BUDGET);
			TestDatabase.truncate(jdbc);
			Sync first = sync(sandbox, jdbc, "full");
			Sync again = sync(sandbox, jdbc, "full");
			TestDatabase.truncate(jdbc);
			// A budget below what this machine can serve (the bare client's rate), so that it is the limit.
			TestDatabase.truncate(jdbc);
			Sync budget = sync(sandbox, jdbc, "full", "--customer-api.max-requests-per-second=" + BUDGET);
			createADaysCustomers(sandbox, 1_000);
			Sync incremental = sync(sandbox, jdbc, "incremental");

			System.out.printf("%nsync of %,d customers, pages of %d, L = %d ms, C = %d%n", CUSTOMERS, PAGE_SIZE,
					LATENCY.toMillis(), IN_FLIGHT);
			System.out.printf("bare client: %d pages in %.2f s: %.0f pages/s; limit C/L %.0f pages/s%n", pages,
					pages / bare, bare, limit);
			System.out.printf("full sync: %d pages in %.2f s: %.0f pages/s, %.2f of C/L, %.2f of the bare client;"
					+ " %d rows written%n", first.pages, first.seconds, first.pagesPerSecond(),
					first.pagesPerSecond() / limit, first.pagesPerSecond() / bare, first.written);
			System.out.printf("unchanged re-sync: %d pages in %.2f s, %.2f of the first sync's time; %d rows written%n",
					again.pages, again.seconds, again.seconds / first.seconds, again.written);
			System.out.printf("bare client, R = %d/s: %.0f pages/s, %.2f of R%n", BUDGET, bareUnderBudget,
					bareUnderBudget / BUDGET);
			System.out.printf("full sync, R = %d/s: %d pages in %.2f s: %.0f pages/s, %.2f of R, %.2f of the bare client"
					+ " under R%n", BUDGET, budget.pages, budget.seconds, budget.pagesPerSecond(),
					budget.pagesPerSecond() / BUDGET, budget.pagesPerSecond() / bareUnderBudget);
			System.out.printf("incremental sync of 1,000 new customers: %d page calls (%d pages of new customers)"
					+ " in %.2f s; %d rows written%n", incremental.pages, 1_000 / PAGE_SIZE, incremental.seconds,
					incremental.written);
			assertThat(again.written).isZero();
		}
	}

	// The pages the job's client fetches as the sync does, 64 in flight, discarded; a budget of 0 is none.
	private double bareClient(Sandbox sandbox, long pages, double budget) throws Exception {
		CustomerApiProperties properties = new CustomerApiProperties(sandbox.baseUrl().toString(), "1", "sandbox-token",
				"0.0.1", Duration.ofSeconds(2), Duration.ofSeconds(10), IN_FLIGHT, budget,
				CustomerApiProperties.ErrorCodes.defaults());
		ExecutorService threads = Executors.newFixedThreadPool(IN_FLIGHT);
		try (CustomerApiClient client = CustomerApiClient.create(properties)) {
			long start = System.nanoTime();
			List<Future<?>> reads = new ArrayList<>();
			for (long page = 1; page <= pages; page++) {
				int current = (int) page;
				reads.add(threads.submit(() -> client.page(CustomerPageRequest.all(current, PAGE_SIZE))));
			}
			for (Future<?> read : reads) {
				read.get();
			}
			return pages / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			threads.shutdownNow();
		}
	}

	private Sync sync(Sandbox sandbox, JdbcTemplate jdbc, String mode, String... more) {
		long pagesBefore = sandbox.state().requests("page");
		List<String> arguments = new ArrayList<>(List.of("job=customerSyncJob",
				"--customer-api.base-url=" + sandbox.baseUrl(), "--customer-api.max-concurrency=" + IN_FLIGHT,
				"--customer-api.read-timeout=10s", "--onboarding.sync-page-size=" + PAGE_SIZE,
				"--onboarding.sync-pages-per-chunk=" + IN_FLIGHT, "--onboarding.sync-mode=" + mode,
				"--spring.datasource.hikari.maximum-pool-size=" + (IN_FLIGHT + 2), "--logging.level.root=WARN"));
		arguments.addAll(List.of(more));
		assertThat(TestApplication.run(this.reports, arguments.toArray(String[]::new))).isZero();
		double seconds = jdbc.queryForObject("""
				SELECT extract(epoch FROM end_time - start_time) FROM batch_step_execution
				WHERE step_name = 'syncCustomersStep' ORDER BY step_execution_id DESC LIMIT 1""", Double.class);
		long written = jdbc.queryForObject("""
				SELECT (summary->>'customersChanged')::bigint FROM reporting.run_summary
				ORDER BY job_execution_id DESC LIMIT 1""", Long.class);
		return new Sync(sandbox.state().requests("page") - pagesBefore, seconds, written);
	}

	private static void createADaysCustomers(Sandbox sandbox, int customers) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(16);
		try (CustomerApiClient client = CustomerApiClient.create(
				new CustomerApiProperties(sandbox.baseUrl().toString(), "1", "sandbox-token", "0.0.1",
						Duration.ofSeconds(2), Duration.ofSeconds(10), 16, 0, CustomerApiProperties.ErrorCodes.defaults()))) {
			List<Future<?>> creates = new ArrayList<>();
			for (int i = 0; i < customers; i++) {
				int number = i;
				creates.add(threads.submit(() -> client.createAccount(new CreateAccountRequest(
						String.format("137%08d", number), null, "+86", null, "dc483e80a7a0bd9ef71d8cf973673924", "CN", 1,
						1L, null, null, null, null, null, null, null, "bench-" + number,
						List.of(new TradeTypeCurrency("USDT", "1"))))));
			}
			for (Future<?> create : creates) {
				create.get();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	private record Sync(long pages, double seconds, long written) {

		double pagesPerSecond() {
			return this.pages / this.seconds;
		}

	}

}
