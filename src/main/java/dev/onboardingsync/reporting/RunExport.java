package dev.onboardingsync.reporting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import dev.onboardingsync.intake.CsvFormulaEscaping;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A run's rows as CSV, from the ledger alone (the input may be gone, and in Kubernetes the report
 * directory dies with the pod): its rejected rows, in the layout of the rejected-rows file that
 * can be fixed and fed back, or every row's outcome (issue 9). Cells are escaped against formula
 * injection ({@link CsvFormulaEscaping}). Rows are streamed from a cursor, a page of
 * {@value #FETCH_SIZE} at a time, so that the heap does not grow with the run (issue 13: pgjdbc
 * reads a whole result into memory unless it fetches in a transaction with a fetch size).
 */
public class RunExport {

	/** The columns of {@link #writeOutcomes}, in order. */
	static final List<String> OUTCOME_COLUMNS = List.of("line_number", "source_id", "third_server_code", "outcome",
			"reason", "customer_no", "duplicate_of");

	/** Rows fetched at a time from the cursor. */
	static final int FETCH_SIZE = 1000;

	private final NamedParameterJdbcTemplate jdbc;

	private final NamedParameterJdbcTemplate cursor;

	private final TransactionTemplate transaction;

	public RunExport(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
		JdbcTemplate fetching = new JdbcTemplate(jdbc.getJdbcTemplate().getDataSource());
		fetching.setExceptionTranslator(jdbc.getJdbcTemplate().getExceptionTranslator());
		fetching.setFetchSize(FETCH_SIZE);
		this.cursor = new NamedParameterJdbcTemplate(fetching);
		// pgjdbc fetches by pages only with autocommit off: a transaction of its own, or the caller's.
		this.transaction = new TransactionTemplate(new DataSourceTransactionManager(fetching.getDataSource()));
		this.transaction.setReadOnly(true);
	}

	/**
	 * Every rejected row: its {@code line_number} and {@code reject_reason}, then all its cells as
	 * read, as many as it had, under the input's header kept with the run (issue 8). Fed back as
	 * input, the first two columns are left out, so a row of the wrong width is rejected again until
	 * it is fixed. Rows whose cells were cleared ({@code onboarding.rejected-rows-retention}) have
	 * none.
	 * @param delimiter the input's delimiter, so that the file can be fed back as it is
	 */
	public void writeRejected(long runId, char delimiter, Writer out) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("runId", runId);
		List<String> header = new ArrayList<>(List.of(CsvFormulaEscaping.LINE_NUMBER, CsvFormulaEscaping.REJECT_REASON));
		this.jdbc.query("SELECT input_header FROM onboarding.run WHERE run_id = :runId AND input_header IS NOT NULL",
				parameters, (rs) -> {
					header.addAll(List.of((String[]) rs.getArray(1).getArray()));
				});
		print(delimiter, out, header, """
				SELECT line_number, reason, raw FROM onboarding.input_row
				WHERE run_id = :runId AND outcome = 'REJECTED' ORDER BY line_number""", parameters, (rs) -> {
					List<String> cells = new ArrayList<>(List.of(Long.toString(rs.getLong(1)), rs.getString(2)));
					cells.addAll(List.of((String[]) rs.getArray(3).getArray()));
					return cells;
				});
	}

	/** Every row of the run with its outcome: {@link #OUTCOME_COLUMNS}, by line. */
	public void writeOutcomes(long runId, char delimiter, Writer out) {
		print(delimiter, out, OUTCOME_COLUMNS, """
				SELECT line_number, source_id, third_server_code, outcome, reason, customer_no, duplicate_of
				FROM onboarding.input_row WHERE run_id = :runId ORDER BY line_number""",
				new MapSqlParameterSource("runId", runId), (rs) -> {
					List<String> cells = new ArrayList<>();
					for (int i = 1; i <= OUTCOME_COLUMNS.size(); i++) {
						String value = rs.getString(i);
						cells.add((value != null) ? value : "");
					}
					return cells;
				});
	}

	@FunctionalInterface
	private interface Cells {

		List<String> of(java.sql.ResultSet rs) throws java.sql.SQLException;

	}

	private void print(char delimiter, Writer out, List<String> header, String sql, MapSqlParameterSource parameters,
			Cells cells) {
		try {
			CSVPrinter printer = CSVFormat.RFC4180.builder().setDelimiter(delimiter).get().print(out);
			printer.printRecord(header.stream().map(CsvFormulaEscaping::escape).toList());
			this.transaction.executeWithoutResult((status) -> this.cursor.query(sql, parameters, (rs) -> {
				try {
					printer.printRecord(cells.of(rs).stream().map(CsvFormulaEscaping::escape).toList());
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}));
			printer.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
