package dev.onboardingsync.intake;

import java.util.List;
import java.util.Map;

/**
 * One row of the input as read: where it was ({@code lineNumber}: the line a CSV record starts on,
 * or the ordinal of a table row), its values by field, and every cell as read, in the input's
 * column order, for the error file. {@code problem} is set when the row cannot be read as a
 * prospect at all (a wrong number of cells). {@code sourceKey} is a table row's key (its
 * {@code intake.table.key-column} as text), {@code null} for a file's.
 */
public record InputRow(long lineNumber, Map<ProspectField, String> values, List<String> raw, String problem,
		String sourceKey) {

	/** A row of a file: no key. */
	public InputRow(long lineNumber, Map<ProspectField, String> values, List<String> raw, String problem) {
		this(lineNumber, values, raw, problem, null);
	}

	public InputRow {
		values = Map.copyOf(values);
		raw = List.copyOf(raw);
	}

	/**
	 * The field's value: free text exactly as written ({@code null} when empty), any other field
	 * trimmed ({@code null} when blank).
	 */
	public String value(ProspectField field) {
		String value = this.values.get(field);
		if (field.freeText()) {
			return (value == null || value.isEmpty()) ? null : value;
		}
		return (value == null || value.isBlank()) ? null : value.trim();
	}

}
