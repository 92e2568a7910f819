package dev.onboardingsync.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the driver says of a server error that carries a detail, as a unique violation's
 * "Key (phone)=(13800138000) already exists" does: whether the job's connections keep such row values
 * out of their errors ({@code logServerErrorDetail=false}, issue 11).
 */
public final class ServerErrorDetail {

	/** The detail the server sends with the error. */
	public static final String DETAIL = "Key (phone)=(13800138000) already exists.";

	private ServerErrorDetail() {
	}

	/** The message of the error the connection raises for an error with {@link #DETAIL}; works read-only too. */
	public static String errorMessage(Connection connection) {
		try (connection; Statement statement = connection.createStatement()) {
			statement.execute("DO $$ BEGIN RAISE unique_violation USING MESSAGE = 'duplicate key', DETAIL = '"
					+ DETAIL.replace("'", "''") + "'; END $$");
			throw new IllegalStateException("the server raised no error");
		}
		catch (SQLException ex) {
			return ex.toString();
		}
	}

}
