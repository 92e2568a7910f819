package dev.onboardingsync.intake;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The header row of a CSV input file, as the job reads it: its column names, where each field's
 * column is (by its exact name, else its only name in any case), and whether the file is a
 * rejected-rows file this job wrote, whose first two columns ({@code line_number},
 * {@code reject_reason}) belong to the file and not to its rows.
 *
 * @param names the column names, without a rejected-rows file's own two and its trailing columns
 * of no name; a column of no name is {@code null} or empty
 * @param positions each mapped field's column, 0-based in {@code names}
 * @param ownFile whether the file is a rejected-rows file this job wrote
 */
record CsvHeader(List<String> names, Map<ProspectField, Integer> positions, boolean ownFile) {

	/**
	 * Reads the header as the parser found it.
	 * @param parsed the header row's cells
	 * @param delimiter the file's delimiter, named in hints
	 * @param lineOffset lines before the header (a {@code sep=} line)
	 * @param columnNames each field's column name ({@code intake.columns})
	 * @throws BadInputException if the header holds a NUL byte, names no column, lacks a required
	 * column, or names one column twice in different cases
	 */
	static CsvHeader of(Path file, List<String> parsed, char delimiter, int lineOffset,
			Map<ProspectField, String> columnNames) {
		if (parsed.stream().anyMatch((name) -> name != null && name.indexOf('\0') >= 0)) {
			throw new BadInputException("The input file " + file.toAbsolutePath() + " has NUL bytes in its header:"
					+ " it is most likely UTF-16 text without a byte order mark. Save it as UTF-8 (in a spreadsheet:"
					+ " \"CSV UTF-8\"; or iconv -f UTF-16LE -t UTF-8 in.csv > out.csv) and run again.");
		}
		if (parsed.stream().allMatch((name) -> name == null || name.isBlank())) {
			throw new BadInputException("The input file " + file.toAbsolutePath() + " has no header row: it holds"
					+ " only blank lines" + ((lineOffset > 0) ? " after its sep= line" : "") + ", or its first line"
					+ " that is not empty names no column. It needs a header row naming the columns, then one row per"
					+ " prospect.");
		}
		boolean ownFile = parsed.size() >= 2 && CsvFormulaEscaping.LINE_NUMBER.equals(parsed.get(0))
				&& CsvFormulaEscaping.REJECT_REASON.equals(parsed.get(1));
		List<String> names = parsed;
		if (ownFile) {
			// line_number and reject_reason belong to the file, not to its rows: fed back, they are left
			// out, so a row rejected again is written with one pair of them, and can go round again.
			// A spreadsheet that saved it again may have added columns of no name after the last one, and
			// empty cells to fill every row to them: those are left out too.
			List<String> own = new ArrayList<>(parsed.subList(2, parsed.size()));
			while (!own.isEmpty() && (own.get(own.size() - 1) == null || own.get(own.size() - 1).isEmpty())) {
				own.remove(own.size() - 1);
			}
			names = own.stream().map(CsvFormulaEscaping::unescape).toList();
		}
		return new CsvHeader(names, positions(file, names, delimiter, columnNames), ownFile);
	}

	/** How many columns the header has. */
	int size() {
		return this.names.size();
	}

	/** A column as a message names it: its 1-based number, and its name when it has one. */
	String columnName(int index) {
		String name = (index < this.names.size()) ? this.names.get(index) : null;
		return (index + 1) + ((name != null && !name.isEmpty()) ? " ('" + name + "')" : "");
	}

	private static Map<ProspectField, Integer> positions(Path file, List<String> header, char delimiter,
			Map<ProspectField, String> columnNames) {
		Map<ProspectField, Integer> found = new EnumMap<>(ProspectField.class);
		List<String> missing = new ArrayList<>();
		for (Map.Entry<ProspectField, String> column : columnNames.entrySet()) {
			int position = indexOfIgnoringCase(file, header, column.getValue());
			if (position >= 0) {
				found.put(column.getKey(), position);
			}
			else if (column.getKey().required()) {
				missing.add("'" + column.getValue() + "' (" + column.getKey().propertyName() + ")");
			}
		}
		if (!missing.isEmpty()) {
			throw new BadInputException(file + ": the header lacks the required column(s) "
					+ String.join(", ", missing) + "; it has " + header.stream().map((name) -> "'" + printable(name) + "'")
						.collect(Collectors.joining(", "))
					+ ". Rename the columns, or map yours with intake.columns.<field>=<your column>."
					+ otherDelimiterHint(header, delimiter));
		}
		return found;
	}

	// The column of that exact name, else the one column with that name in any case; two of them in
	// any case and none exact cannot be told apart.
	private static int indexOfIgnoringCase(Path file, List<String> header, String name) {
		List<Integer> alike = new ArrayList<>();
		for (int i = 0; i < header.size(); i++) {
			if (header.get(i) != null && header.get(i).trim().equals(name)) {
				return i;
			}
			if (header.get(i) != null && header.get(i).trim().equalsIgnoreCase(name)) {
				alike.add(i);
			}
		}
		if (alike.size() > 1) {
			throw new BadInputException(file + ": the header has " + alike.size() + " columns named '" + name
					+ "' in different cases (columns " + alike.stream().map((i) -> Integer.toString(i + 1))
						.collect(Collectors.joining(", "))
					+ "): rename one, or map the one to use by its exact name with intake.columns.<field>.");
		}
		return alike.isEmpty() ? -1 : alike.get(0);
	}

	// Control characters (a NUL, an escape) shown as \\u0000 rather than written raw into the log.
	private static String printable(String name) {
		if (name == null) {
			return "";
		}
		StringBuilder shown = new StringBuilder();
		name.codePoints().forEach((c) -> shown.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
				: new String(Character.toChars(c))));
		return shown.toString();
	}

	// A header read as one cell that holds another separator: the file is most likely separated by it.
	private static String otherDelimiterHint(List<String> header, char delimiter) {
		if (header.size() != 1 || header.get(0) == null) {
			return "";
		}
		for (char candidate : new char[] { ';', '\t', ',', '|' }) {
			if (candidate != delimiter && header.get(0).indexOf(candidate) >= 0) {
				String shown = (candidate == '\t') ? "a tab" : "'" + candidate + "'";
				return " The header is one cell holding " + shown + ": if the file is separated by " + shown
						+ ", set intake.delimiter=" + ((candidate == '\t') ? "\\t (a tab character)" : candidate)
						+ " (or put the line sep=" + ((candidate == '\t') ? "<tab>" : candidate) + " first).";
			}
		}
		return "";
	}

}
