package dev.onboardingsync.run;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;


import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per company: a PostgreSQL session advisory lock, held for as long as the run
 * lasts by a connection of its own, outside the pool (a pooled session would outlive the run with
 * the lock if unlocking failed) and with TCP keep-alive (an idle session dropped by the network
 * would lose it). If the process dies, PostgreSQL ends the session and frees the lock, which is how
 * the next run knows that an execution still marked STARTED has no owner.
 */
class RunLock implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RunLock.class);

	private final Connection connection;

	private final String key;

	private RunLock(Connection connection, String key) {
		this.connection = connection;
		this.key = key;
	}

	/** The lock for the company, or {@code null} when another run holds it. */
	static RunLock tryAcquire(Connector connector, String companyId) throws SQLException {
		String key = "onboarding-sync:" + companyId;
		Connection connection = connector.connect();
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
			statement.setString(1, key);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				if (result.getBoolean(1)) {
					return new RunLock(connection, key);
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
		connection.close();
		return null;
	}

	/** Whether the lock's session is still there (if it was dropped, so was the lock). */
	boolean isHeld() {
		try {
			return this.connection.isValid(5);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/** Ends the lock's session, which frees the lock. */
	@Override
	public void close() {
		try {
			this.connection.close();
		}
		catch (SQLException ex) {
			logger.warn("Could not close the run lock's session ({}); PostgreSQL frees the lock when the session ends",
					ex.getMessage());
		}
	}

	/** Opens a connection that belongs to the lock alone. */
	@FunctionalInterface
	interface Connector {

		Connection connect() throws SQLException;

		/** A connection straight from the driver, with TCP keep-alive, for the given database. */
		static Connector direct(String url, String username, String password) {
			return () -> {
				Properties properties = new Properties();
				if (username != null) {
					properties.setProperty("user", username);
				}
				if (password != null) {
					properties.setProperty("password", password);
				}
				properties.setProperty("tcpKeepAlive", "true");
				properties.setProperty("ApplicationName", "onboarding-sync run lock");
				// As on every connection of the job: no row values in the driver's errors (application.yml).
				properties.setProperty("logServerErrorDetail", "false");
				return DriverManager.getConnection(url, properties);
			};
		}

	}

}
