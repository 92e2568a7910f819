package dev.onboardingsync.chaos;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxSettings;
import dev.onboardingsync.testsupport.TestDatabase;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Everything a job process talks to, on this machine: a PostgreSQL that can be stopped and started,
 * and the sandbox (served from the test's JVM over real HTTP, so the test reads its state and turns
 * its faults on and off). Starts the job's JVMs with the settings an operator would give, each with
 * a log file of its own in the rig's directory.
 */
final class JobRig implements AutoCloseable {

	private final Path directory;

	private final RestartablePostgres postgres;

	private final Sandbox sandbox;

	private final JdbcTemplate jdbc;

	private final List<String> settings;

	private final AtomicInteger started = new AtomicInteger();

	private JobRig(Path directory, int seededCustomers, List<String> settings) {
		this.directory = directory;
		this.postgres = RestartablePostgres.create(directory.resolve("postgres"));
		this.sandbox = Sandbox.start(SandboxSettings.forTests()
			.withSeed(new SandboxSettings.Seed(seededCustomers, 3, 42, null, null)));
		this.jdbc = TestDatabase.jdbcTemplate(this.postgres.database());
		this.settings = List.copyOf(settings);
	}

	/**
	 * A new, empty directory for a rig under {@code target/process-tests/}, kept after the test for
	 * its logs (one per job process), reports and database.
	 */
	static Path directory(String name) {
		Path directory = Path.of("target", "process-tests", name).toAbsolutePath();
		try {
			if (Files.exists(directory)) {
				try (Stream<Path> paths = Files.walk(directory)) {
					paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
				}
			}
			return Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A rig with the sandbox seeded with customers, and the job's settings ({@code --name=value})
	 * beyond those that point it at the rig.
	 */
	static JobRig create(Path directory, int seededCustomers, String... settings) {
		return new JobRig(directory, seededCustomers, List.of(settings));
	}

	Sandbox sandbox() {
		return this.sandbox;
	}

	RestartablePostgres postgres() {
		return this.postgres;
	}

	/** The job's database, as the job's role sees it. */
	JdbcTemplate jdbc() {
		return this.jdbc;
	}

	/** Starts the job's command in a JVM of its own: the arguments, then the rig's settings. */
	JobProcess start(String... arguments) {
		TestDatabase.Connection database = this.postgres.database();
		List<String> command = new ArrayList<>(List.of(arguments));
		command.addAll(List.of("--spring.datasource.url=" + database.jdbcUrl(),
				"--spring.datasource.username=" + database.username(), "--customer-api.base-url=" + this.sandbox.baseUrl(),
				"--customer-api.company-id=1", "--onboarding.report-directory=" + this.directory.resolve("reports")));
		command.addAll(this.settings);
		Path log = this.directory.resolve("logs").resolve("job-" + this.started.incrementAndGet() + ".log");
		// Secrets from the environment, as the README and the manifests give them.
		return JobProcess.start(log, command, Map.of("SPRING_DATASOURCE_PASSWORD", database.password(),
				"CUSTOMER_API_TOKEN", this.sandbox.settings().token()));
	}

	/** Runs the command to its end: its exit code. */
	int run(Duration timeout, String... arguments) {
		return start(arguments).awaitExit(timeout);
	}

	/** How many job JVMs the rig started. */
	int processesStarted() {
		return this.started.get();
	}

	/** A count from the job's database. */
	long count(String sql, Object... arguments) {
		Long count = this.jdbc.queryForObject(sql, Long.class, arguments);
		return (count != null) ? count : 0;
	}

	/** A count from the job's database, for polling: 0 while the database is away or not yet migrated. */
	long poll(String sql, Object... arguments) {
		try {
			return count(sql, arguments);
		}
		catch (DataAccessException ex) {
			return 0;
		}
	}

	/** The newest job execution's id, 0 before the first: what a process started now comes after. */
	long lastJobExecutionId() {
		return poll("SELECT coalesce(max(job_execution_id), 0) FROM batch_job_execution");
	}

	/**
	 * Whether a step is running now in a job execution newer than the given one: one a process
	 * started after that point is running, not one a killed process left marked running.
	 */
	boolean stepRunning(String stepName, long after) {
		return poll("""
				SELECT count(*) FROM batch_step_execution WHERE step_name = ? AND status = 'STARTED'
				  AND end_time IS NULL AND job_execution_id > ?""", stepName, after) > 0;
	}

	/**
	 * Waits until the condition holds or the job ends, polling every few milliseconds.
	 * @return whether the condition holds (false: the job ended first)
	 */
	static boolean awaitWhileAlive(JobProcess job, Duration timeout, BooleanSupplier condition) {
		await().atMost(timeout).pollInterval(Duration.ofMillis(5)).until(() -> !job.isAlive() || condition.getAsBoolean());
		return condition.getAsBoolean();
	}

	@Override
	public void close() {
		this.sandbox.close();
		this.postgres.close();
	}

}
