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
public final class ProspectInputs {

	public static final String TABLE = "table";

	private ProspectInputs() {
	}

	public static boolean isTable(String input) {
		return TABLE.equals(input);
	}

	public static ProspectReader reader(String input, IntakeProperties properties) {
		if (isTable(input)) {
			return new TableProspectReader(sourceDataSource(properties.table()), properties.table(),
					properties.columnNames());
		}
		return new CsvProspectReader(Path.of(input), properties.delimiter().charAt(0), properties.columnNames());
	}

	// A JDBC URL may carry a password as a parameter; it stays out of messages.
	private static String withoutSecrets(String url) {
		return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
	}

	private static SimpleDriverDataSource sourceDataSource(IntakeProperties.SourceTable table) {
		if (table.url() == null || table.url().isBlank()) {
			throw new BadInputException("input=table needs intake.table.url, the JDBC URL of the source database.");
		}
		SimpleDriverDataSource dataSource = new SimpleDriverDataSource();
		try {
			dataSource.setDriver(DriverManager.getDriver(table.url()));
		}
		catch (SQLException ex) {
			throw new BadInputException("intake.table.url " + withoutSecrets(table.url())
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
		dataSource.setConnectionProperties(readOnly);
		return dataSource;
	}

}
