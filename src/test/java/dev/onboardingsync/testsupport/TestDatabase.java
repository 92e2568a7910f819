package dev.onboardingsync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The real PostgreSQL of the test JVM, started once and stopped with the JVM: a Testcontainers
 * PostgreSQL when a Docker engine answers, otherwise an embedded PostgreSQL (zonky: real
 * binaries from a Maven artifact). {@code -Dtest.database=embedded} or {@code =testcontainers}
 * (or the environment variable {@code TEST_DATABASE}) skips the detection.
 * <p>
 * The job connects as production does (README, k8s/base/configmap.yaml): as {@value #USER}, a role
 * that is no superuser and is named like the job's schema, owning its database and keeping
 * PostgreSQL's default {@code search_path} ({@code "$user", public}). That is what made the
 * second run look for Flyway's history in the wrong schema (issue 7, fault 4).
 */
public final class TestDatabase {

	private static final Logger logger = LoggerFactory.getLogger(TestDatabase.class);

	private static final String POSTGRES_IMAGE = "postgres:17-alpine";

	/** The job's role and database, as the README's examples name them. */
	public static final String USER = "onboarding";

	private static final String PASSWORD = "onboarding-test";

	private static Connection superuser;

	private static Connection connection;

	private TestDatabase() {
	}

	/** Where the database is; starts it on first use. */
	public static synchronized Connection connection() {
		if (connection == null) {
			superuser = start();
			connection = createDatabase(USER);
		}
		return connection;
	}

	/**
	 * A new, empty database owned by the job's role, as an operator creates one for the job
	 * ({@code CREATE DATABASE ... OWNER onboarding}).
	 * @param name the database's name, a plain lower-case identifier
	 */
	public static synchronized Connection createDatabase(String name) {
		if (superuser == null) {
			connection();
		}
		return createDatabase(superuser, name);
	}

	/**
	 * A new, empty database owned by the job's role (created if missing: a login role that is no
	 * superuser and may create nothing outside its database) on the server of the superuser's
	 * connection.
	 * @param name the database's name, a plain lower-case identifier
	 */
	public static Connection createDatabase(Connection superuser, String name) {
		if (!name.matches("[a-z_][a-z0-9_]*")) {
			throw new IllegalArgumentException("Not a plain identifier: " + name);
		}
		JdbcTemplate admin = jdbcTemplate(superuser);
		if (admin.queryForObject("SELECT count(*) FROM pg_roles WHERE rolname = ?", Integer.class, USER) == 0) {
			admin.execute("CREATE ROLE " + USER + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + PASSWORD + "'");
		}
		admin.execute("CREATE DATABASE " + name + " OWNER " + USER);
		String url = superuser.jdbcUrl().replaceFirst("/[^/?]+(\\?.*)?$", "/" + name);
		return new Connection(url, USER, PASSWORD);
	}

	private static Connection start() {
		String choice = System.getProperty("test.database", System.getenv().getOrDefault("TEST_DATABASE", "auto"))
			.toLowerCase(Locale.ROOT);
		boolean docker = switch (choice) {
			case "testcontainers" -> true;
			case "embedded" -> false;
			default -> dockerAvailable();
		};
		return docker ? startContainer() : startEmbedded();
	}

	// Asking Testcontainers on a machine with no engine logs a page of errors: look for the usual
	// signs of an engine first (the default socket, DOCKER_HOST, a Testcontainers configuration).
	private static boolean dockerAvailable() {
		boolean engineHinted = Files.exists(Path.of("/var/run/docker.sock")) || System.getenv("DOCKER_HOST") != null
				|| Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
		if (!engineHinted) {
			return false;
		}
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	@SuppressWarnings("resource")
	private static Connection startContainer() {
		PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE);
		container.start();
		Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "test-database-stop"));
		logger.info("Test database: Testcontainers {} at {}", POSTGRES_IMAGE, container.getJdbcUrl());
		return new Connection("jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/"
				+ container.getDatabaseName(), container.getUsername(), container.getPassword());
	}

	private static Connection startEmbedded() {
		try {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (IOException ex) {
					logger.warn("Could not stop the embedded test database", ex);
				}
			}, "test-database-stop"));
			String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
			logger.info("Test database: embedded PostgreSQL at {}", url);
			return new Connection(url, "postgres", "postgres");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded test PostgreSQL", ex);
		}
	}

	/** Empties the ledger, the reporting copy and Spring Batch's metadata: a clean slate for a run. */
	public static void truncate(JdbcTemplate jdbc) {
		jdbc.execute("""
				TRUNCATE onboarding.input_row, onboarding.run_claim, onboarding.prospect, onboarding.run,
				    reporting.customer, reporting.customer_group, reporting.run_summary, reporting.customer_sync,
				    reporting.customer_seen, reporting.customer_sync_pass, reporting.customer_detail,
				    batch_step_execution_context, batch_job_execution_context, batch_step_execution,
				    batch_job_execution_params, batch_job_execution, batch_job_instance""");
	}

	/** A JdbcTemplate on the test database, for tests that run the application themselves. */
	public static JdbcTemplate jdbcTemplate() {
		return jdbcTemplate(connection());
	}

	/**
	 * A JdbcTemplate on the job's database as the server's superuser, for what the job's role may
	 * not do: reading the WAL with {@code pg_walinspect} (CustomerSyncBenchmark).
	 */
	public static synchronized JdbcTemplate superuserJdbcTemplate() {
		Connection job = connection();
		return jdbcTemplate(new Connection(job.jdbcUrl(), superuser.username(), superuser.password()));
	}

	/** A JdbcTemplate on one database of the test PostgreSQL. */
	public static JdbcTemplate jdbcTemplate(Connection database) {
		return new JdbcTemplate(new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password()));
	}

	public record Connection(String jdbcUrl, String username, String password) {
	}

	/** Points {@code spring.datasource.*} of a Spring test at the test database. */
	public static final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			Connection database = connection();
			TestPropertyValues
				.of("spring.datasource.url=" + database.jdbcUrl(), "spring.datasource.username=" + database.username(),
						"spring.datasource.password=" + database.password())
				.applyTo(context.getEnvironment());
		}

	}

}
