package dev.onboardingsync.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.onboardingsync.testsupport.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (zonky's embedded binaries) that a test can stop and start again on the
 * same port and data, as a failover or a restart does to the job's database. It holds one database,
 * {@code onboarding}, owned by the non-superuser role the job connects as in production.
 */
final class RestartablePostgres implements AutoCloseable {

	private final Path dataDirectory;

	private final int port;

	private final TestDatabase.Connection database;

	private EmbeddedPostgres server;

	private RestartablePostgres(Path dataDirectory, int port) {
		this.dataDirectory = dataDirectory;
		this.port = port;
		start();
		this.database = TestDatabase.createDatabase(
				new TestDatabase.Connection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres"),
				TestDatabase.USER);
	}

	/** A new server with its data in the directory (which must be empty or missing). */
	static RestartablePostgres create(Path dataDirectory) {
		return new RestartablePostgres(dataDirectory, freePort());
	}

	/** Where the job connects, as the role {@code onboarding}. */
	TestDatabase.Connection database() {
		return this.database;
	}

	/** Stops the server ({@code pg_ctl stop}, fast mode): every session ends, and nothing answers. */
	synchronized void stop() {
		try {
			this.server.close();
			this.server = null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not stop PostgreSQL", ex);
		}
	}

	/**
	 * An outage: stops the server now and starts it again, on the same port with the same data, once
	 * the outage's length has passed.
	 * @return done when the server is up again
	 */
	CompletableFuture<Void> stopFor(Duration outage) {
		stop();
		return CompletableFuture.runAsync(this::start,
				CompletableFuture.delayedExecutor(outage.toMillis(), TimeUnit.MILLISECONDS));
	}

	/** Starts it again, on the same port, with the same data. */
	synchronized void start() {
		try {
			this.server = EmbeddedPostgres.builder()
				.setDataDirectory(this.dataDirectory)
				.setCleanDataDirectory(false)
				.setPort(this.port)
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start PostgreSQL on port " + this.port, ex);
		}
	}

	@Override
	public synchronized void close() {
		if (this.server != null) {
			stop();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
