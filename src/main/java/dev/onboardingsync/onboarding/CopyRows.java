package dev.onboardingsync.onboarding;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

import org.postgresql.PGConnection;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows for PostgreSQL's {@code COPY ... FROM STDIN} in its text format, sent through pgjdbc's
 * {@code CopyManager} on the connection of the caller's transaction. Text format, as PostgreSQL's
 * documentation describes it ({@code COPY}, "Text Format"): a row per line, columns separated by a
 * tab, {@code \N} for {@code NULL}, and a backslash, newline, carriage return or tab within a value
 * written as {@code \\}, {@code \n}, {@code \r}, {@code \t}. Written here because pgjdbc offers only
 * the stream, not a writer of its rows. COPY parses a row once and needs no statement per chunk
 * built of one array per column (issue 13: staging near {@code COPY}).
 */
final class CopyRows {

	private final StringBuilder text = new StringBuilder(64 * 1024);

	private boolean firstInRow = true;

	private int rows;

	/** The next column's value of the current row: its {@link String#valueOf} text, or {@code NULL}. */
	CopyRows add(Object value) {
		if (!this.firstInRow) {
			this.text.append('\t');
		}
		this.firstInRow = false;
		if (value == null) {
			this.text.append("\\N");
			return this;
		}
		String string = value.toString();
		for (int i = 0; i < string.length(); i++) {
			char ch = string.charAt(i);
			switch (ch) {
				case '\\' -> this.text.append("\\\\");
				case '\n' -> this.text.append("\\n");
				case '\r' -> this.text.append("\\r");
				case '\t' -> this.text.append("\\t");
				default -> this.text.append(ch);
			}
		}
		return this;
	}

	/** Ends the current row. */
	void endRow() {
		this.text.append('\n');
		this.firstInRow = true;
		this.rows++;
	}

	int size() {
		return this.rows;
	}

	/** The rows in text format, as {@code COPY} reads them. */
	String text() {
		return this.text.toString();
	}

	/**
	 * Copies the rows by {@code copySql} ({@code COPY table (columns) FROM STDIN}) on the connection
	 * the template's transaction holds.
	 * @return the rows PostgreSQL copied
	 */
	long copy(JdbcTemplate jdbc, String copySql) {
		byte[] bytes = text().getBytes(StandardCharsets.UTF_8);
		Long copied = jdbc.execute((ConnectionCallback<Long>) (connection) -> {
			try {
				return connection.unwrap(PGConnection.class)
					.getCopyAPI()
					.copyIn(copySql, new ByteArrayInputStream(bytes));
			}
			catch (IOException ex) {
				throw new SQLException("COPY failed: " + ex.getMessage(), ex);
			}
		});
		return (copied != null) ? copied : 0;
	}

}
