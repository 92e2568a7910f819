package dev.onboardingsync.intake;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * the required columns is a {@link BadInputException}.
 */
class TableProspectReader implements ProspectReader {

	/** A part of a table name: {@code "Quoted ""Name"""} or {@code plain_name}. */
	static final String IDENTIFIER_PATTERN = "\"((?:[^\"]|\"\")+)\"|([A-Za-z_][A-Za-z0-9_$]*)";

	private static final Pattern IDENTIFIER = Pattern.compile(IDENTIFIER_PATTERN);

	// The key under a name of the reader's own, so that a source column of any name can stand beside it;
	// and as PostgreSQL writes it as text, the same form the end of staging compares (forEachKey).
	private static final String PAGING_KEY = "onboarding_sync_paging_key";

	private static final String SOURCE_KEY = "onboarding_sync_source_key";

	private final DataSource dataSource;

	private final IntakeProperties.SourceTable table;

	private final Map<ProspectField, String> columnNames;

	private JdbcPagingItemReader<InputRow> delegate;

	private List<String> columns;

	private String upperKey;

	private String from;

	private String bounded;

	private Map<String, Object> bound;

	private String key;

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
		String from = from();
		List<String> available = availableColumns(from);
		String key = resolve(available, this.table.keyColumn());
		if (key == null) {
			throw new BadInputException("The source " + describe() + " has no key column '" + this.table.keyColumn()
					+ "' (intake.table.key-column); it has " + available + ": name a unique, non-null column to page by.");
		}
		Map<ProspectField, Integer> positions = new EnumMap<>(ProspectField.class);
		this.positions = positions;
		this.columns = new ArrayList<>();
		List<String> missing = new ArrayList<>();
		for (Map.Entry<ProspectField, String> column : this.columnNames.entrySet()) {
			String name = resolve(available, column.getValue());
			if (name != null) {
				positions.put(column.getKey(), this.columns.size());
				this.columns.add(name);
			}
			else if (column.getKey().required()) {
				missing.add("'" + column.getValue() + "' (" + column.getKey().propertyName() + ")");
			}
		}
		if (!missing.isEmpty()) {
			throw new BadInputException("The source " + describe() + " lacks the required column(s) "
					+ String.join(", ", missing) + "; it has " + available
					+ ". Map yours with intake.columns.<field>=<column>, by their exact names.");
		}
		if (!this.columns.contains(key)) {
			// Kept with the row's cells, so that a rejected row can be found in the source by its key.
			this.columns.add(key);
		}
		checkKeyPagesExactly(from, key);
		bound(from, key);
		try {
			this.delegate = new JdbcPagingItemReaderBuilder<InputRow>().name("tableProspectReader")
				.dataSource(this.dataSource)
				.selectClause("SELECT " + String.join(", ", quoted(this.columns)) + ", " + SOURCE_KEY + ", " + PAGING_KEY)
				.fromClause("(SELECT source.*, source." + quote(key) + "::text AS " + SOURCE_KEY + ", source." + quote(key)
						+ " AS " + PAGING_KEY + " FROM " + from + " WHERE " + this.bounded + ") AS paged")
				.parameterValues(this.bound)
				.sortKeys(Map.of(PAGING_KEY, Order.ASCENDING))
				.pageSize(this.table.pageSize())
				// Numbered in read(), where the reader's count is that of this very row.
				.rowMapper((rs, rowNum) -> new InputRow(0, mapped(rs), cells(rs), null, rs.getString(this.columns.size() + 1)))
				.build();
		}
		catch (Exception ex) {
			throw new ItemStreamException("Could not prepare the reader of " + describe(), ex);
		}
		this.delegate.open(executionContext);
	}

	// The rows read end at the upper key, cast back to the key's own type so that it compares as the
	// key does (numbers as numbers, text by its collation). pg_typeof names char(n) and bit(n) without
	// their length, which would cut the key to one character: compared as text and bit varying. The
	// largest key by ORDER BY, as max() does not take every type (uuid). An empty source reads nothing.
	private void bound(String from, String key) {
		Map<String, Object> largest;
		try {
			List<Map<String, Object>> top = new JdbcTemplate(this.dataSource).queryForList("SELECT source." + quote(key)
					+ "::text AS upper, pg_typeof(source." + quote(key) + ")::text AS type FROM " + from + " ORDER BY source."
					+ quote(key) + " DESC NULLS LAST LIMIT 1");
			largest = top.isEmpty() ? Map.of() : top.get(0);
		}
		catch (DataAccessException ex) {
			throw SourceFailures.of(ex, describe());
		}
		if (this.upperKey == null) {
			this.upperKey = (String) largest.get("upper");
		}
		String type = switch (String.valueOf(largest.get("type"))) {
			case "character" -> "text";
			case "bit" -> "bit varying";
			case "null" -> "text";
			default -> (String) largest.get("type");
		};
		this.from = from;
		this.key = key;
		this.keyType = type;
		this.bound = new HashMap<>();
		this.bound.put("upperKey", this.upperKey);
		this.bounded = (this.upperKey != null) ? "source." + quote(key) + " <= CAST(:upperKey AS " + type + ")" : "1 = 0";
	}

	@Override
	public void forEachKey(Consumer<String> action) {
		if (this.upperKey == null) {
			return;
		}
		try {
			new JdbcTemplate(this.dataSource).query((connection) -> {
				var statement = connection.prepareStatement("SELECT source." + quote(this.key) + "::text FROM " + this.from
						+ " WHERE " + this.bounded.replace(":upperKey", "?"));
				statement.setString(1, this.upperKey);
				statement.setFetchSize(10_000);
				return statement;
			}, (rs) -> {
				action.accept(rs.getString(1));
			});
		}
		catch (DataAccessException ex) {
			throw SourceFailures.of(ex, describe());
		}
	}

	@Override
	public List<InputRow> rowsWithKeys(List<String> keys, long firstLine) {
		List<InputRow> rows = new ArrayList<>();
		try {
			new NamedParameterJdbcTemplate(this.dataSource).query("SELECT " + String.join(", ", quoted(this.columns))
					+ ", source." + quote(this.key) + "::text FROM " + this.from + " WHERE source." + quote(this.key)
					+ " IN (SELECT CAST(unnest(CAST(:keys AS text[])) AS " + this.keyType + ")) ORDER BY source."
					+ quote(this.key), Map.of("keys", keys.toArray(String[]::new)), (rs) -> {
						rows.add(new InputRow(firstLine + rows.size(), mapped(rs), cells(rs), null,
								rs.getString(this.columns.size() + 1)));
					});
		}
		catch (DataAccessException ex) {
			throw SourceFailures.of(ex, describe());
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

	// A column by its exact name (a quoted, mixed-case one like "externalId" too), else by its name in
	// any case when only one column has it.
	private static String resolve(List<String> available, String name) {
		if (available.contains(name)) {
			return name;
		}
		List<String> alike = available.stream().filter((column) -> column.equalsIgnoreCase(name)).toList();
		return (alike.size() == 1) ? alike.get(0) : null;
	}

	// The key is exposed under its own name by a subquery, so paging works for a table and a query alike.
	private String from() {
		if (this.table.query() != null && !this.table.query().isBlank()) {
			// A query as written in a SQL console ends in ';', which cannot stand inside a subquery.
			// On a line of its own, the parenthesis is not swallowed by a -- comment ending the query.
			return "(" + this.table.query().strip().replaceAll("(;\\s*(--[^\\n]*)?\\s*)+$", "") + "\n) AS source";
		}
		return String.join(".", quoted(relation(identifiers(this.table.name())))) + " AS source";
	}

	// The table as PostgreSQL reads its name, else the one table or view whose name matches it in any
	// case (crm.Leads for crm."Leads"), as columns are matched; else as read, to fail naming it.
	private List<String> relation(List<String> parts) {
		String schema = (parts.size() > 1) ? parts.get(0) : null;
		String name = parts.get(parts.size() - 1);
		try {
			List<List<String>> alike = new JdbcTemplate(this.dataSource).query("""
					SELECT n.nspname, c.relname FROM pg_catalog.pg_class c
					JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
					WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND lower(c.relname) = lower(?)
					  AND (CAST(? AS text) IS NULL AND pg_catalog.pg_table_is_visible(c.oid) OR lower(n.nspname) = lower(?))""",
					(rs, row) -> List.of(rs.getString(1), rs.getString(2)), name, schema, schema);
			for (List<String> candidate : alike) {
				if (candidate.get(1).equals(name) && (schema == null || candidate.get(0).equals(schema))) {
					return parts;
				}
			}
			return (alike.size() == 1) ? ((schema != null) ? alike.get(0) : List.of(alike.get(0).get(1))) : parts;
		}
		catch (DataAccessException ex) {
			throw SourceFailures.of(ex, describe());
		}
	}

	// schema.table as PostgreSQL reads it: a quoted part as written, an unquoted one in lower case.
	static List<String> identifiers(String name) {
		List<String> parts = new ArrayList<>();
		Matcher part = IDENTIFIER.matcher(name);
		while (part.find()) {
			parts.add((part.group(1) != null) ? part.group(1).replace("\"\"", "\"") : part.group(2).toLowerCase(Locale.ROOT));
		}
		return parts;
	}

	private List<String> availableColumns(String from) {
		try {
			return new JdbcTemplate(this.dataSource).query("SELECT * FROM " + from + " WHERE 1 = 0", (rs) -> {
				ResultSetMetaData metaData = rs.getMetaData();
				List<String> names = new ArrayList<>();
				for (int i = 1; i <= metaData.getColumnCount(); i++) {
					names.add(metaData.getColumnLabel(i));
				}
				return names;
			});
		}
		catch (DataAccessException ex) {
			throw SourceFailures.of(ex, describe());
		}
	}

	// Keyset paging (key > last) skips every row that shares a page's last key, and every NULL key:
	// a key that repeats or is NULL would lose rows silently, so it is refused before anything is
	// staged (issue 8).
	private void checkKeyPagesExactly(String from, String key) {
		Map<String, Object> counts;
		try {
			counts = new JdbcTemplate(this.dataSource).queryForMap("SELECT count(*) AS total, count(*) - count(DISTINCT"
					+ " source." + quote(key) + ") - count(*) FILTER (WHERE source." + quote(key) + " IS NULL) AS repeated,"
					+ " count(*) FILTER (WHERE source." + quote(key) + " IS NULL) AS nulls FROM " + from);
		}
		catch (DataAccessException ex) {
			throw SourceFailures.of(ex, describe());
		}
		long repeated = ((Number) counts.get("repeated")).longValue();
		long nulls = ((Number) counts.get("nulls")).longValue();
		if (repeated > 0 || nulls > 0) {
			throw new BadInputException("The key column '" + key + "' (intake.table.key-column) of the source "
					+ describe() + " cannot page it exactly: of its " + counts.get("total") + " rows, " + repeated
					+ " repeat a value of another row and " + nulls + ((nulls == 1) ? " has" : " have")
					+ " none (NULL), and paging by it would skip them. Name a column that is unique and never NULL, such as the primary key.");
		}
	}

	private String describe() {
		return (this.table.query() != null && !this.table.query().isBlank()) ? "query (intake.table.query)"
				: "table " + this.table.name();
	}

	private static List<String> quoted(List<String> identifiers) {
		return identifiers.stream().map(TableProspectReader::quote).toList();
	}

	// Identifiers come from validated settings (letters, digits, underscores); quoting keeps reserved words working.
	private static String quote(String identifier) {
		return '"' + identifier.replace("\"", "\"\"") + '"';
	}

	/** The row, numbered by its ordinal in key order: the same on a restart. */
	@Override
	public InputRow read() throws Exception {
		InputRow row;
		try {
			row = this.delegate.read();
		}
		catch (DataAccessException ex) {
			throw SourceFailures.of(ex, describe());
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
