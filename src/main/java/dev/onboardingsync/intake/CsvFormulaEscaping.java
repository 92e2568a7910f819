package dev.onboardingsync.intake;

/**
 * Cells written to a CSV file an operator opens in a spreadsheet: one that starts with
 * {@code = + - @}, a tab or a carriage return is prefixed with {@code '} so it is shown as text,
 * never run as a formula (OWASP's CSV injection advice), and so is one that starts with {@code '}
 * itself, so that reading the file back is exact for every value. Only a file this job wrote (a
 * rejected-rows file, known by its first two columns) is read back with {@link #unescape}: any other
 * input keeps its cells as written, a leading {@code '} included (issue 8).
 */
public final class CsvFormulaEscaping {

	/**
	 * The first column of a rejected-rows file, before the input's own columns: there, a row with
	 * more or fewer cells than the header keeps its cells as they were and these two in place.
	 */
	public static final String LINE_NUMBER = "line_number";

	/** The second column of a rejected-rows file: why the row was rejected. */
	public static final String REJECT_REASON = "reject_reason";

	private CsvFormulaEscaping() {
	}

	public static String escape(String cell) {
		if (cell == null || cell.isEmpty()) {
			return cell;
		}
		char first = cell.charAt(0);
		return (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
				|| first == '\'') ? "'" + cell : cell;
	}

	/** Undoes {@link #escape}: the cell as it was before it was written. */
	public static String unescape(String cell) {
		return (cell != null && !cell.isEmpty() && cell.charAt(0) == '\'') ? cell.substring(1) : cell;
	}

}
