package dev.onboardingsync.run;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per company: a PostgreSQL session advisory lock, held by a connection of its
 * own for as long as the run lasts. If the process dies, PostgreSQL ends the session and frees the
 * lock, which is how the next run knows that an execution still marked STARTED has no owner.
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
	static RunLock tryAcquire(DataSource dataSource, String companyId) throws SQLException {
		String key = "onboarding-sync:" + companyId;
		Connection connection = dataSource.getConnection();
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

	@Override
	public void close() {
		try (Connection held = this.connection;
				PreparedStatement statement = held.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
			statement.setString(1, this.key);
			statement.execute();
		}
		catch (SQLException ex) {
			// Closing the session frees the lock in any case.
			logger.warn("Could not release the run lock cleanly: {}", ex.getMessage());
		}
	}

}
