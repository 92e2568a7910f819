package dev.onboardingsync.intake;

/**
 * Cells written to a CSV file an operator opens in a spreadsheet: one that starts with
 * {@code = + - @}, a tab or a carriage return is prefixed with {@code '} so it is shown as text,
 * never run as a formula (OWASP's CSV injection advice). The CSV reader removes the prefix again,
 * so a file of rejected rows, once fixed, can be fed back as it is.
 */
public final class CsvCells {

	private CsvCells() {
	}

	public static String escape(String cell) {
		if (cell == null || cell.isEmpty()) {
			return cell;
		}
		char first = cell.charAt(0);
		return (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r')
				? "'" + cell : cell;
	}

	/** Undoes {@link #escape}: the cell as it was before it was written. */
	public static String unescape(String cell) {
		if (cell == null || cell.length() < 2 || cell.charAt(0) != '\'') {
			return cell;
		}
		String rest = cell.substring(1);
		return escape(rest).equals(cell) ? rest : cell;
	}

}
