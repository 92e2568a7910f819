package dev.onboardingsync.intake;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Reads prospects from a table, view or query on the source database, in pages ordered by a
 * unique key ({@code WHERE key > last ORDER BY key LIMIT n}): a restart resumes after the last
 * committed key. A run reads the rows with a key up to the largest one when its pre-read began
 * ({@link #upperKey()}, kept with the execution), so a table that gains rows while it is read is
 * read to a fixed end, and rows added with a larger key wait for the next run. Columns are mapped
 * to fields as for a CSV file; the row's ordinal in key order is its line number. A source without
 * the required columns is a {@link BadInputException}. The source as SQL is
 * {@link SourceRelation}'s, the columns read {@link SourceColumns}'.
 */
class TableProspectReader implements ProspectReader {

	// The key under a name of the reader's own, so that a source column of any name can stand beside it;
	// and as PostgreSQL writes it as text, the same form the end of staging compares (forEachKey).
	private static final String PAGING_KEY = "onboarding_sync_paging_key";

	private static final String SOURCE_KEY = "onboarding_sync_source_key";

	private final DataSource dataSource;

	private final IntakeProperties.SourceTable table;

	private final SourceRelation source;

	private final Map<ProspectField, String> columnNames;

	private JdbcPagingItemReader<InputRow> delegate;

	private List<String> columns;

	private String upperKey;

	private String bounded;

	private Map<String, Object> bound;

	// The key column, quoted.
	private String quotedKey;

	private String keyType;

	private Map<ProspectField, Integer> positions;

	/**
	 * @param upperKey the largest key to read, as text (from {@link #upperKey()} of the run's
	 * pre-read), or {@code null} to read up to the largest key when opened
	 */
	public TableProspectReader(DataSource dataSource, IntakeProperties.SourceTable table,
			Map<ProspectField, String> columnNames, String upperKey) {
		this.dataSource = dataSource;
		this.table = table;
		this.source = new SourceRelation(dataSource, table);
		this.columnNames = columnNames;
		this.upperKey = upperKey;
	}

	@Override
	public String upperKey() {
		return this.upperKey;
	}

	/** The mapped columns, in the order they are read. */
	@Override
	public List<String> header() {
		return this.columns;
	}

	@Override
	public void open(ExecutionContext executionContext) {
		SourceColumns mapped = SourceColumns.of(this.source, this.table.keyColumn(), this.columnNames);
		this.columns = mapped.names();
		this.positions = mapped.positions();
		String key = mapped.key();
		this.source.checkKeyPagesExactly(key);
		bound(key);
		try {
			this.delegate = new JdbcPagingItemReaderBuilder<InputRow>().name("tableProspectReader")
				.dataSource(this.dataSource)
				.selectClause("SELECT " + String.join(", ", SourceRelation.quoted(this.columns)) + ", " + SOURCE_KEY + ", "
						+ PAGING_KEY)
				.fromClause("(SELECT source.*, source." + SourceRelation.quote(key) + "::text AS " + SOURCE_KEY + ", source."
						+ SourceRelation.quote(key) + " AS " + PAGING_KEY + " FROM " + this.source.from() + " WHERE "
						+ this.bounded + ") AS paged")
				.parameterValues(this.bound)
				.sortKeys(Map.of(PAGING_KEY, Order.ASCENDING))
				.pageSize(this.table.pageSize())
				// Numbered in read(), where the reader's count is that of this very row.
				.rowMapper((rs, rowNum) -> new InputRow(0, mapped(rs), cells(rs), null, rs.getString(this.columns.size() + 1)))
				.build();
		}
		catch (Exception ex) {
			throw new ItemStreamException("Could not prepare the reader of " + this.source.describe(), ex);
		}
		this.delegate.open(executionContext);
	}

	// The rows read end at the upper key, cast back to the key's own type so that it compares as the
	// key does (numbers as numbers, text by its collation). pg_typeof names char(n) and bit(n) without
	// their length, which would cut the key to one character: compared as text and bit varying. An
	// empty source reads nothing, also up to the key a resumed run kept.
	private void bound(String key) {
		Map<String, Object> largest = this.source.largestKey(key);
		if (this.upperKey == null) {
			this.upperKey = (String) largest.get("upper");
		}
		String type = switch (String.valueOf(largest.get("type"))) {
			case "character" -> "text";
			case "bit" -> "bit varying";
			default -> (String) largest.get("type");
		};
		this.quotedKey = SourceRelation.quote(key);
		this.keyType = type;
		this.bound = new HashMap<>();
		this.bound.put("upperKey", this.upperKey);
		this.bounded = (this.upperKey != null) ? "source." + this.quotedKey + " <= CAST(:upperKey AS " + type + ")"
				: "1 = 0";
	}

	@Override
	public void forEachKey(Consumer<String> action) {
		if (this.upperKey == null) {
			return;
		}
		try {
			new JdbcTemplate(this.dataSource).query((connection) -> {
				var statement = connection.prepareStatement("SELECT source." + this.quotedKey + "::text FROM "
						+ this.source.from() + " WHERE " + this.bounded.replace(":upperKey", "?"));
				statement.setString(1, this.upperKey);
				statement.setFetchSize(10_000);
				return statement;
			}, (rs) -> {
				action.accept(rs.getString(1));
			});
		}
		catch (DataAccessException ex) {
			throw SourceFailures.of(ex, this.source.describe());
		}
	}

	@Override
	public List<InputRow> rowsWithKeys(List<String> keys, long firstLine) {
		List<InputRow> rows = new ArrayList<>();
		try {
			new NamedParameterJdbcTemplate(this.dataSource).query("SELECT "
					+ String.join(", ", SourceRelation.quoted(this.columns)) + ", source." + this.quotedKey + "::text FROM "
					+ this.source.from() + " WHERE source." + this.quotedKey + " IN (SELECT CAST(unnest(CAST(:keys AS"
					+ " text[])) AS " + this.keyType + ")) ORDER BY source." + this.quotedKey, Map.of("keys", keys.toArray(String[]::new)), (rs) -> {
						rows.add(new InputRow(firstLine + rows.size(), mapped(rs), cells(rs), null,
								rs.getString(this.columns.size() + 1)));
					});
		}
		catch (DataAccessException ex) {
			throw SourceFailures.of(ex, this.source.describe());
		}
		return rows;
	}

	private List<String> cells(ResultSet rs) throws SQLException {
		List<String> raw = new ArrayList<>(this.columns.size());
		for (int i = 1; i <= this.columns.size(); i++) {
			String value = rs.getString(i);
			raw.add((value != null) ? value : "");
		}
		return raw;
	}

	private Map<ProspectField, String> mapped(ResultSet rs) throws SQLException {
		List<String> raw = cells(rs);
		Map<ProspectField, String> values = new EnumMap<>(ProspectField.class);
		this.positions.forEach((field, position) -> values.put(field, raw.get(position)));
		return values;
	}

	/** The row, numbered by its ordinal in key order: the same on a restart. */
	@Override
	public InputRow read() throws Exception {
		InputRow row;
		try {
			row = this.delegate.read();
		}
		catch (DataAccessException ex) {
			throw SourceFailures.of(ex, this.source.describe());
		}
		return (row != null)
				? new InputRow(this.delegate.getCurrentItemCount(), row.values(), row.raw(), null, row.sourceKey()) : null;
	}

	@Override
	public void update(ExecutionContext executionContext) {
		this.delegate.update(executionContext);
	}

	@Override
	public void close() {
		if (this.delegate != null) {
			this.delegate.close();
		}
	}

}
