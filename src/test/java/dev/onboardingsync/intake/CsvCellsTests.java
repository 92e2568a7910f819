package dev.onboardingsync.intake;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CsvCellsTests {

	@Test
	void escapesCellsASpreadsheetWouldRunAsFormulas() {
		for (String formula : new String[] { "=1+1", "+86 138", "-2", "@SUM(A1)", "\tx", "\rx" }) {
			assertThat(CsvCells.escape(formula)).isEqualTo("'" + formula);
			assertThat(CsvCells.unescape(CsvCells.escape(formula))).isEqualTo(formula);
		}
	}

	@Test
	void leavesOtherCellsAlone() {
		assertThat(CsvCells.escape("13800138000")).isEqualTo("13800138000");
		assertThat(CsvCells.unescape("'quoted'")).isEqualTo("'quoted'");
		assertThat(CsvCells.escape("")).isEmpty();
	}

}
