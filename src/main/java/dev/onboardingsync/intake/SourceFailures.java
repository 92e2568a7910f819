package dev.onboardingsync.intake;

import java.sql.SQLException;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * What a failure of the source database means for the run's exit code (issue 8): a database that
 * cannot be read now (unreachable, out of connections, restarting, a cancelled statement) is worth
 * retrying (exit code 1), a refused login, a missing grant or a database that does not exist is a
 * setting to fix ({@link SourceSettingsException}, exit code 3), and a table, column or query the
 * source does not have is bad input (exit code 2). SQL states: PostgreSQL's appendix A.
 */
final class SourceFailures {

	private SourceFailures() {
	}

	static RuntimeException of(DataAccessException ex, String source) {
		Throwable cause = ex.getMostSpecificCause();
		String state = (cause instanceof SQLException sql && sql.getSQLState() != null) ? sql.getSQLState() : "";
		// PostgreSQL's first line says what is wrong; the next ones (Position: 15, Hint) speak to a SQL console.
		String reason = (cause.getMessage() != null) ? cause.getMessage().lines().findFirst().orElse("").strip()
				: cause.getClass().getSimpleName();
		if (state.startsWith("28") || state.equals("08004")) {
			// 08004: the server refused the connection, as when it asks for a password none was given.
			return new SourceSettingsException("The source database refused intake.table.username and"
					+ " intake.table.password (" + reason + "): fix them.", ex);
		}
		if (state.equals("42501")) {
			return new SourceSettingsException("The source database's user (intake.table.username) may not read the "
					+ source + " (" + reason + "): grant it SELECT, or name a user that has it.", ex);
		}
		if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P") || state.equals("57014")
				|| state.equals("40001") || state.equals("40P01")
				|| (state.isEmpty() && ex instanceof CannotGetJdbcConnectionException)) {
			// Unreachable, out of connections or resources, shutting down or starting, a statement
			// cancelled, a serialization failure or a deadlock: all pass.
			return new SourceUnavailableException("The source database (intake.table.url) cannot be read now (" + reason
					+ "): the run ends with exit code 1; run the same command again once it answers.", ex);
		}
		if (state.equals("3D000")) {
			return new SourceSettingsException("The database of intake.table.url does not exist (" + reason
					+ "): fix the URL.", ex);
		}
		return new BadInputException("The source " + source + " cannot be read (" + reason + "): check"
				+ " intake.table.name or intake.table.query, and that the table and its columns exist (a name"
				+ " in double quotes is matched as written, any other in lower case).", ex);
	}

}
