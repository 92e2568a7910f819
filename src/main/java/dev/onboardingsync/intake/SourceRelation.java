package dev.onboardingsync.intake;

import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The source of {@code input=table} as SQL: a table or view ({@code intake.table.name}, matched in
 * any case as PostgreSQL would not) or a query ({@code intake.table.query}), as a subquery named
 * {@code source}; its columns; and the checks that it can be paged exactly by its key. A failure
 * to read it is a {@link SourceFailures} exception that names it.
 */
final class SourceRelation {

	/** A part of a table name: {@code "Quoted ""Name"""} or {@code plain_name}. */
	static final String IDENTIFIER_PATTERN = "\"((?:[^\"]|\"\")+)\"|([A-Za-z_][A-Za-z0-9_$]*)";

	private static final Pattern IDENTIFIER = Pattern.compile(IDENTIFIER_PATTERN);

	private final DataSource dataSource;

	private final IntakeProperties.SourceTable table;

	private String from;

	SourceRelation(DataSource dataSource, IntakeProperties.SourceTable table) {
		this.dataSource = dataSource;
		this.table = table;
	}

	/**
	 * The source as a {@code FROM} item named {@code source}, resolved once: the key is exposed
	 * under its own name by a subquery, so paging works for a table and a query alike.
	 */
	String from() {
		if (this.from == null) {
			this.from = resolveFrom();
		}
		return this.from;
	}

	/**
	 * The largest key as text ({@code upper}, {@code null} for an empty source) and the key's type as
	 * {@code pg_typeof} names it ({@code type}, known for an empty source too). By {@code ORDER BY},
	 * as {@code max()} does not take every type ({@code uuid}).
	 */
	Map<String, Object> largestKey(String key) {
		try {
			// The type from a subquery of no row, whose NULL has the column's type: known when the source is
			// empty too, where a resumed run still bounds it by the largest key it had (a fresh user's try: an
			// emptied table's key compared as text, "bigint <= text", failed every resume, issue 13).
			return new JdbcTemplate(this.dataSource).queryForMap("SELECT (SELECT source." + quote(key) + "::text FROM "
					+ from() + " ORDER BY source." + quote(key) + " DESC NULLS LAST LIMIT 1) AS upper, pg_typeof((SELECT source."
					+ quote(key) + " FROM " + from() + " LIMIT 0))::text AS type");
		}
		catch (DataAccessException ex) {
			throw SourceFailures.of(ex, describe());
		}
	}

	private String resolveFrom() {
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

	/** The source's column names, as its result set labels them. */
	List<String> columns() {
		try {
			return new JdbcTemplate(this.dataSource).query("SELECT * FROM " + from() + " WHERE 1 = 0", (rs) -> {
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
	void checkKeyPagesExactly(String key) {
		Map<String, Object> counts;
		try {
			counts = new JdbcTemplate(this.dataSource).queryForMap("SELECT count(*) AS total, count(*) - count(DISTINCT"
					+ " source." + quote(key) + ") - count(*) FILTER (WHERE source." + quote(key) + " IS NULL) AS repeated,"
					+ " count(*) FILTER (WHERE source." + quote(key) + " IS NULL) AS nulls FROM " + from());
		}
		catch (DataAccessException ex) {
			throw SourceFailures.of(ex, describe());
		}
		long repeated = ((Number) counts.get("repeated")).longValue();
		long nulls = ((Number) counts.get("nulls")).longValue();
		if (repeated > 0 || nulls > 0) {
			throw new BadInputException("The key column '" + key + "' (intake.table.key-column) of the source "
					+ describe() + " cannot page it exactly: of its " + counts.get("total") + " rows, " + repeated
					+ ((repeated == 1) ? " repeats" : " repeat") + " another row's value and " + nulls
					+ ((nulls == 1) ? " has" : " have")
					+ " none (NULL), and paging by it would skip them. Name a column that is unique and never NULL,"
					+ " such as the primary key.");
		}
	}

	/** The source as an operator names it. */
	String describe() {
		return (this.table.query() != null && !this.table.query().isBlank()) ? "query (intake.table.query)"
				: "table " + this.table.name();
	}

	static List<String> quoted(List<String> identifiers) {
		return identifiers.stream().map(SourceRelation::quote).toList();
	}

	// Identifiers come from validated settings (letters, digits, underscores); quoting keeps reserved words working.
	static String quote(String identifier) {
		return '"' + identifier.replace("\"", "\"\"") + '"';
	}

}
