package dev.onboardingsync.intake;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The columns {@code input=table} reads from its source: those mapped to fields, then the key
 * column, kept with the row's cells so that a rejected row can be found in the source by its key.
 * A column is found by its exact name (a quoted, mixed-case one like {@code "externalId"} too),
 * else by its name in any case when only one column has it.
 *
 * @param names the columns to read, in order
 * @param positions each mapped field's column, 0-based in {@code names}
 * @param key the key column's name as the source has it
 */
record SourceColumns(List<String> names, Map<ProspectField, Integer> positions, String key) {

	/**
	 * @param keyColumn the key column ({@code intake.table.key-column})
	 * @param columnNames each field's column name ({@code intake.columns})
	 * @throws BadInputException if the source lacks the key column or a required one
	 */
	static SourceColumns of(SourceRelation source, String keyColumn, Map<ProspectField, String> columnNames) {
		List<String> available = source.columns();
		String key = resolve(available, keyColumn);
		if (key == null) {
			throw new BadInputException("The source " + source.describe() + " has no key column '" + keyColumn
					+ "' (intake.table.key-column); it has " + available + ": name a unique, non-null column to page by.");
		}
		Map<ProspectField, Integer> positions = new EnumMap<>(ProspectField.class);
		List<String> names = new ArrayList<>();
		List<String> missing = new ArrayList<>();
		for (Map.Entry<ProspectField, String> column : columnNames.entrySet()) {
			String name = resolve(available, column.getValue());
			if (name != null) {
				positions.put(column.getKey(), names.size());
				names.add(name);
			}
			else if (column.getKey().required()) {
				missing.add("'" + column.getValue() + "' (" + column.getKey().propertyName() + ")");
			}
		}
		if (!missing.isEmpty()) {
			throw new BadInputException("The source " + source.describe() + " lacks the required column(s) "
					+ String.join(", ", missing) + "; it has " + available
					+ ". Map yours with intake.columns.<field>=<column>, by their exact names.");
		}
		if (!names.contains(key)) {
			names.add(key);
		}
		return new SourceColumns(List.copyOf(names), positions, key);
	}

	private static String resolve(List<String> available, String name) {
		if (available.contains(name)) {
			return name;
		}
		List<String> alike = available.stream().filter((column) -> column.equalsIgnoreCase(name)).toList();
		return (alike.size() == 1) ? alike.get(0) : null;
	}

}
