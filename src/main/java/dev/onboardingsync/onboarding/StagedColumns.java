package dev.onboardingsync.onboarding;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Rows of a chunk gathered column by column, for one statement that unnests them: each column
 * becomes one array parameter ({@code String[]}, {@code Long[]}, {@code Integer[]}: pgjdbc sends
 * them as PostgreSQL arrays), named as the column's values were added.
 */
final class StagedColumns {

	private final Map<String, List<Object>> columns = new LinkedHashMap<>();

	private int rows;

	/** A value of the current row; {@code null} stays {@code NULL}. */
	void add(String column, Object value) {
		this.columns.computeIfAbsent(column, (name) -> new ArrayList<>()).add(value);
	}

	/** Ends the current row: every column must have had one value. */
	void endRow() {
		this.rows++;
	}

	int size() {
		return this.rows;
	}

	/** One array per column, its element type that of its values (text when all are {@code null}). */
	MapSqlParameterSource parameters() {
		MapSqlParameterSource parameters = new MapSqlParameterSource();
		this.columns.forEach((name, values) -> {
			if (values.size() != this.rows) {
				throw new IllegalStateException(name + " has " + values.size() + " values for " + this.rows + " rows");
			}
			Class<?> type = values.stream().filter((value) -> value != null).findFirst().<Class<?>>map(Object::getClass)
				.orElse(String.class);
			parameters.addValue(name, values.toArray((Object[]) Array.newInstance(type, 0)));
		});
		return parameters;
	}

}
