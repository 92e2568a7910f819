package dev.onboardingsync.run;

import java.sql.SQLException;
import java.util.regex.Pattern;

import dev.onboardingsync.system.Masking;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * The ledger's statements carry phones, emails and initial-password hashes as parameters, and the
 * PostgreSQL driver writes those values into its error messages ("Batch entry 0 INSERT ... was
 * aborted", "Failing row contains ..."), which Spring Batch logs and stores as the step's exit
 * message. This translator keeps the failure's kind (the Spring exception type and SQL state) and
 * replaces the driver's exception with one whose message is masked, so none of it reaches a log.
 */
class MaskingSqlExceptionTranslator implements SQLExceptionTranslator {

	private static final Pattern HASH = Pattern.compile("\\b[0-9a-fA-F]{32}\\b");

	private final SQLExceptionTranslator delegate = new SQLErrorCodeSQLExceptionTranslator();

	@Override
	public DataAccessException translate(String task, String sql, SQLException ex) {
		SQLException masked = new SQLException(mask(ex.getMessage()), ex.getSQLState(), ex.getErrorCode());
		for (SQLException next = ex.getNextException(); next != null; next = next.getNextException()) {
			masked.setNextException(new SQLException(mask(next.getMessage()), next.getSQLState(), next.getErrorCode()));
		}
		masked.setStackTrace(ex.getStackTrace());
		DataAccessException translated = this.delegate.translate(task, sql, masked);
		return (translated != null) ? translated : new UncategorizedSQLException(task, sql, masked);
	}

	static String mask(String message) {
		return (message != null) ? HASH.matcher(Masking.maskText(message)).replaceAll("***") : null;
	}

}
