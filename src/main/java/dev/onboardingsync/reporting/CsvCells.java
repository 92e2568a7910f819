package dev.onboardingsync.reporting;

/**
 * Cells written to a CSV file an operator opens in a spreadsheet: one that starts with
 * {@code = + - @}, a tab or a carriage return is prefixed with {@code '} so it is shown as text,
 * never run as a formula (OWASP's CSV injection advice). The intake reader removes the prefix
 * again, so a fixed file can be fed back as it is.
 */
final class CsvCells {

	private CsvCells() {
	}

	static String escape(String cell) {
		if (cell == null || cell.isEmpty()) {
			return cell;
		}
		char first = cell.charAt(0);
		return (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r')
				? "'" + cell : cell;
	}

}
