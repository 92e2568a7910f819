package dev.onboardingsync.intake;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The reader of a run's input: {@code input=table} reads the configured source table, any other
 * value is the path of a CSV file.
 */
public final class InputReaders {

	public static final String TABLE = "table";

	private InputReaders() {
	}

	public static boolean isTable(String input) {
		return TABLE.equals(input);
	}

	/** The input as an operator names it: the file's path, or the source table or query. */
	public static String describe(String input, IntakeProperties properties) {
		if (!isTable(input)) {
			return input;
		}
		IntakeProperties.SourceTable table = properties.table();
		return (table.query() != null && !table.query().isBlank()) ? "table query (intake.table.query)"
				: "table " + table.name();
	}

	/** A reader of the whole input, for a table up to its largest key now (the run's pre-read). */
	public static ProspectReader reader(String input, IntakeProperties properties) {
		return reader(input, properties, null);
	}

	/**
	 * A reader of the input; for a table, of its rows with a key up to {@code upperKey} (the text
	 * of a key column value, see {@link ProspectReader#upperKey()}), or up to its largest key now
	 * when {@code null}.
	 */
	public static ProspectReader reader(String input, IntakeProperties properties, String upperKey) {
		if (isTable(input)) {
			return new TableProspectReader(sourceDataSource(properties.table()), properties.table(),
					properties.columnNames(), upperKey);
		}
		return new CsvProspectReader(Path.of(input), properties.delimiter().charAt(0), properties.columnNames());
	}

	// A JDBC URL may carry a password as a parameter; it stays out of messages.
	private static String withoutSecrets(String url) {
		return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
	}

	static SimpleDriverDataSource sourceDataSource(IntakeProperties.SourceTable table) {
		if (table.url() == null || table.url().isBlank()) {
			throw new SourceSettingsException("input=table needs intake.table.url, the JDBC URL of the source database"
					+ " (jdbc:postgresql://host:5432/database).");
		}
		if (!table.url().startsWith("jdbc:postgresql:")) {
			throw new SourceSettingsException("intake.table.url " + withoutSecrets(table.url()) + " is not a PostgreSQL"
					+ " JDBC URL: use jdbc:postgresql://host:5432/database.");
		}
		if ((table.username() == null || table.username().isBlank()) && !table.url().matches("(?i).*[?&]user=.*")) {
			// Without one, the driver would log in as the operating system's user: never what was meant.
			throw new SourceSettingsException("input=table needs intake.table.username (and intake.table.password),"
					+ " the source database's user.");
		}
		if ((table.name() == null || table.name().isBlank()) && (table.query() == null || table.query().isBlank())) {
			throw new SourceSettingsException("input=table needs intake.table.name (a table or view, such as"
					+ " crm.prospects) or intake.table.query.");
		}
		SimpleDriverDataSource dataSource = new SimpleDriverDataSource();
		try {
			dataSource.setDriver(DriverManager.getDriver(table.url()));
		}
		catch (SQLException ex) {
			throw new SourceSettingsException("intake.table.url " + withoutSecrets(table.url())
					+ " names no database this job can reach: use a jdbc:postgresql:// URL.", ex);
		}
		dataSource.setUrl(table.url());
		dataSource.setUsername(table.username());
		dataSource.setPassword(table.password());
		// The source is only read: every statement runs read-only, so a query that carries a second,
		// writing statement fails instead of changing the source (issue 8).
		Properties readOnly = new Properties();
		readOnly.setProperty("readOnly", "true");
		readOnly.setProperty("readOnlyMode", "always");
		// As on every connection of the job: no row values in the driver's errors (application.yml).
		readOnly.setProperty("logServerErrorDetail", "false");
		dataSource.setConnectionProperties(readOnly);
		return dataSource;
	}

}
