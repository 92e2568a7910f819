package dev.onboardingsync.intake;

import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

/**
 * Reads prospects from a table, view or query on the source database, in pages ordered by a
 * unique key ({@code WHERE key > last ORDER BY key LIMIT n}): a restart resumes after the last
 * committed key. Columns are mapped to fields as for a CSV file; the row's ordinal is its line
 * number. A source without the required columns is a {@link BadInputException}.
 */
class TableProspectReader implements ProspectReader {

	/** A part of a table name: {@code "Quoted ""Name"""} or {@code plain_name}. */
	static final String IDENTIFIER_PATTERN = "\"((?:[^\"]|\"\")+)\"|([A-Za-z_][A-Za-z0-9_$]*)";

	private static final Pattern IDENTIFIER = Pattern.compile(IDENTIFIER_PATTERN);

	private final DataSource dataSource;

	private final IntakeProperties.SourceTable table;

	private final Map<ProspectField, String> columnNames;

	private JdbcPagingItemReader<InputRow> delegate;

	private List<String> columns;

	public TableProspectReader(DataSource dataSource, IntakeProperties.SourceTable table,
			Map<ProspectField, String> columnNames) {
		this.dataSource = dataSource;
		this.table = table;
		this.columnNames = columnNames;
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
		Map<ProspectField, Integer> positions = new EnumMap<>(ProspectField.class);
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
		String key = resolve(available, this.table.keyColumn());
		if (key == null) {
			throw new BadInputException("The source " + describe() + " has no key column '" + this.table.keyColumn()
					+ "' (intake.table.key-column); it has " + available + ": name a unique, non-null column to page by.");
		}
		checkKeyPagesExactly(from, key);
		try {
			this.delegate = new JdbcPagingItemReaderBuilder<InputRow>().name("tableProspectReader")
				.dataSource(this.dataSource)
				.selectClause("SELECT " + String.join(", ", quoted(this.columns)) + ", paging_key")
				.fromClause("(SELECT source.*, source." + quote(key) + " AS paging_key FROM " + from + ") AS paged")
				.sortKeys(Map.of("paging_key", Order.ASCENDING))
				.pageSize(this.table.pageSize())
				.rowMapper((rs, rowNum) -> {
					List<String> raw = new ArrayList<>(this.columns.size());
					for (int i = 1; i <= this.columns.size(); i++) {
						String value = rs.getString(i);
						raw.add((value != null) ? value : "");
					}
					Map<ProspectField, String> values = new EnumMap<>(ProspectField.class);
					positions.forEach((field, position) -> values.put(field, raw.get(position)));
					// Numbered in read(), where the reader's count is that of this very row.
					return new InputRow(0, values, raw, null);
				})
				.build();
		}
		catch (Exception ex) {
			throw new ItemStreamException("Could not prepare the reader of " + describe(), ex);
		}
		this.delegate.open(executionContext);
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
			return "(" + this.table.query() + ") AS source";
		}
		if (this.table.name() == null) {
			throw new BadInputException("input=table needs intake.table.name (a table or view) or intake.table.query.");
		}
		return String.join(".", quoted(identifiers(this.table.name()))) + " AS source";
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
					+ " repeat a value of another row and " + nulls + " have none (NULL), and paging by it would skip"
					+ " them. Name a column that is unique and never NULL, such as the primary key.");
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
		InputRow row = this.delegate.read();
		return (row != null) ? new InputRow(this.delegate.getCurrentItemCount(), row.values(), row.raw(), null) : null;
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
