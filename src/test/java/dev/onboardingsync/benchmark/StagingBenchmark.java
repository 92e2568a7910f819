package dev.onboardingsync.benchmark;

import java.io.Reader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxSettings;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Staging against PostgreSQL's {@code COPY} of the same file into a plain table of the same
 * database, in the same repeat (issue 13: at least 0.1 of it); and the heap of a whole run of
 * 100,000 and of 1,000,000 rows in a JVM of its own under {@code -Xmx256m}
 * ({@link #heapOfAWholeRunDoesNotGrowWithTheInput}).
 * Staging's time is Spring Batch's: {@code stageProspectsStep} and {@code checkStagedRowsStep}, from
 * their step executions, so the process's start is not counted. The input is new prospects (each
 * staged {@code PENDING}, its prospect written), 1 % rejected and 1 % duplicates; the platform is
 * out of reach with no retry, so the run fails at its first call, once staging is done. Each
 * repeat has a new database. Not part of the test suite: {@code bin/benchmark StagingBenchmark}.
 */
@Tag("benchmark")
class StagingBenchmark {

	/** Rows of the staging measure: {@code -Dbenchmark.staging.rows}, 1,000,000 by default. */
	private static final int ROWS = Integer.getInteger("benchmark.staging.rows", 1_000_000);

	/** Rows per staging chunk: {@code -Dbenchmark.staging.chunk}, the default 500 by default. */
	private static final int CHUNK = Integer.getInteger("benchmark.staging.chunk", 500);

	private static final int REJECTED_EVERY = 100;

	private static final int DUPLICATE_EVERY = 50;

	/** Rows of the smaller and the larger whole run of the heap measure. */
	private static final int SMALL_RUN = Integer.getInteger("benchmark.heap.small", 100_000);

	private static final int LARGE_RUN = Integer.getInteger("benchmark.heap.large", 1_000_000);

	@TempDir
	private Path directory;

	/**
	 * The heap of a whole run (stage, check, onboard, sync, confirm, reconcile, report with its
	 * rejected-rows file) of 100,000 and of 1,000,000 rows, each in a JVM of its own under
	 * {@code -Xmx256m} with the JVM's default collector; the peak is what a collection left in use,
	 * from the GC log. To keep a million-row run honest and bounded in time, 10 % of the rows are
	 * rejected (their cells kept, all in the rejected-rows file), 1 % are duplicates, one in a
	 * thousand is new (created in the sandbox, no latency), and the rest were onboarded by an earlier
	 * run (settled prospects written into the ledger beforehand): {@code ALREADY_ONBOARDED}.
	 */
	@Test
	void heapOfAWholeRunDoesNotGrowWithTheInput() throws Exception {
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.forTests())) {
			List<Double> ratios = new ArrayList<>();
			List<String> peaks = new ArrayList<>();
			for (int repeat = 1; repeat <= BenchmarkResults.REPEATS; repeat++) {
				JobJvm.Result small = wholeRun(sandbox, SMALL_RUN, repeat);
				JobJvm.Result large = wholeRun(sandbox, LARGE_RUN, repeat);
				System.out.printf(Locale.ROOT, "repeat %d: heap peak %d MB for %,d rows, %d MB for %,d rows%n", repeat,
						small.peakAfterCollectionMb(), SMALL_RUN, large.peakAfterCollectionMb(), LARGE_RUN);
				ratios.add((double) large.peakAfterCollectionMb() / small.peakAfterCollectionMb());
				peaks.add(small.peakAfterCollectionMb() + " and " + large.peakAfterCollectionMb() + " MB");
			}
			BenchmarkResults.record(String.format(Locale.ROOT, "heap peak after GC, %,d rows to %,d", LARGE_RUN, SMALL_RUN),
					"whole run, -Xmx256m, both completed; peaks " + String.join(", ", peaks), ratios,
					BenchmarkResults.Goal.atMost(1.2));
		}
	}

	private JobJvm.Result wholeRun(Sandbox sandbox, int rows, int repeat) throws Exception {
		Path run = this.directory.resolve("heap-" + rows + "-" + repeat);
		Files.createDirectories(run);
		String prefix = "H" + repeat + "x" + rows;
		Path input = StagingInput.write(run.resolve("prospects.csv"), prefix, rows, 10, 97);
		TestDatabase.Connection database = TestDatabase.createDatabase("heap_" + rows + "_" + repeat + "_"
				+ ProcessHandle.current().pid());
		assertThat(TestApplication.run(database, run.resolve("reports"), "runs", "list")).isZero();
		JdbcTemplate jdbc = TestDatabase.jdbcTemplate(database);
		jdbc.update("""
				INSERT INTO onboarding.prospect (company_id, mode, third_server_code, source_id, status, customer_no,
				    phone_area, phone, country, register_source, customer_group_id, run_id)
				SELECT '1', 'LIVE', 'os-' || ? || '-' || i, ? || '-' || i, 'CREATED', 'C-' || i, '+86', '1', 'CN', 2, 1, 0
				FROM generate_series(1, ?) AS i WHERE i % 1000 <> 1""", prefix, prefix, rows);
		JobJvm.Result result = JobJvm.run(run, "256m",
				List.of("input=" + input, "--spring.datasource.url=" + database.jdbcUrl(),
						"--spring.datasource.username=" + database.username(),
						"--customer-api.base-url=" + sandbox.baseUrl(), "--customer-api.company-id=1",
						"--onboarding.report-directory=" + run.resolve("reports")),
				Map.of("SPRING_DATASOURCE_PASSWORD", database.password(), "CUSTOMER_API_TOKEN",
						sandbox.settings().token()),
				Duration.ofMinutes(30));
		assertThat(result.exitCode()).as("exit code of the run of %d rows (log in %s)", rows, run).isZero();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row", Long.class)).isEqualTo(rows);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row WHERE outcome = 'REJECTED'", Long.class))
			.isEqualTo(rows / 10);
		try (var files = Files.list(run.resolve("reports"))) {
			Path rejected = files.filter((file) -> file.toString().endsWith("-rejected.csv")).findFirst().orElseThrow();
			try (var lines = Files.lines(rejected)) {
				assertThat(lines.count()).isEqualTo(rows / 10 + 1);
			}
		}
		System.out.printf(Locale.ROOT, "whole run of %,d rows: exit 0, %s%n", rows, result);
		return result;
	}

	@Test
	void stagingAgainstCopyOfTheSameFile() throws Exception {
		Path input = StagingInput.write(this.directory.resolve("prospects.csv"), "S", ROWS, REJECTED_EVERY,
				DUPLICATE_EVERY);
		List<Double> ratios = new ArrayList<>();
		List<Double> rates = new ArrayList<>();
		for (int repeat = 1; repeat <= BenchmarkResults.REPEATS; repeat++) {
			TestDatabase.Connection database = TestDatabase.createDatabase("staging_" + repeat + "_" + ProcessHandle.current().pid());
			double copy = copy(database, input);
			double staging = stage(database, input);
			System.out.printf(Locale.ROOT, "repeat %d: COPY %,.0f rows/s, staging %,.0f rows/s: %.3f of COPY%n", repeat,
					copy, staging, staging / copy);
			ratios.add(staging / copy);
			rates.add(staging);
		}
		String setting = String.format(Locale.ROOT, "%,d new prospects (1 %% rejected, 1 %% duplicates), chunks of %d; staging %s rows/s",
				ROWS, CHUNK, String.join(", ", rates.stream().map((rate) -> String.format(Locale.ROOT, "%,.0f", rate)).toList()));
		BenchmarkResults.record("staging, rows/s to COPY of the same file", setting, ratios,
				BenchmarkResults.Goal.atLeast(0.1));
	}

	// COPY of the file as it is into a table of text columns with no index, from this JVM: rows per second.
	private static double copy(TestDatabase.Connection database, Path input) throws Exception {
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
				database.password()); Reader in = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
			// A schema of its own: the job's Flyway finds public empty, as on a new database.
			connection.createStatement().execute("CREATE SCHEMA baseline");
			connection.createStatement().execute("CREATE TABLE baseline.copy_baseline ("
					+ StagingInput.HEADER.replace(",", " text, ") + " text)");
			long start = System.nanoTime();
			long rows = connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("COPY baseline.copy_baseline FROM STDIN (FORMAT csv, HEADER true)", in);
			double seconds = (System.nanoTime() - start) / 1e9;
			assertThat(rows).isEqualTo(ROWS);
			return rows / seconds;
		}
	}

	// The job on the file, in this JVM, against a platform out of reach: rows staged per second of its
	// staging steps, once they completed and the run failed at its first call.
	private double stage(TestDatabase.Connection database, Path input) throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		int exitCode = TestApplication.run(database, this.directory.resolve("reports"), "input=" + input,
				"--customer-api.base-url=http://127.0.0.1:" + closedPort, "--onboarding.retry.max-retries=0",
				"--logging.level.root=WARN", "--logging.level.dev.onboardingsync=ERROR",
				"--onboarding.stage-chunk-size=" + CHUNK);
		assertThat(exitCode).isEqualTo(1);
		JdbcTemplate jdbc = TestDatabase.jdbcTemplate(database);
		Map<String, Object> outcomes = jdbc.queryForMap("""
				SELECT count(*) AS rows, count(*) FILTER (WHERE outcome = 'REJECTED') AS rejected,
				    count(*) FILTER (WHERE outcome = 'DUPLICATE') AS duplicates,
				    count(*) FILTER (WHERE outcome = 'PENDING') AS pending FROM onboarding.input_row""");
		assertThat(outcomes).containsEntry("rows", (long) ROWS)
			.containsEntry("rejected", (long) (ROWS / REJECTED_EVERY))
			.containsEntry("pending", jdbc.queryForObject("SELECT count(*) FROM onboarding.prospect", Long.class));
		Double seconds = jdbc.queryForObject("""
				SELECT sum(extract(epoch FROM end_time - start_time)) FROM batch_step_execution
				WHERE step_name IN ('stageProspectsStep', 'checkStagedRowsStep') AND status = 'COMPLETED'""",
				Double.class);
		System.out.printf(Locale.ROOT, "staged %s in %.2f s%n", outcomes, seconds);
		return ROWS / seconds;
	}

}
