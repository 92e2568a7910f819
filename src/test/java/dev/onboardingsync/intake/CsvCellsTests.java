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
		assertThat(CsvCells.escape("")).isEmpty();
	}

	@Test
	void roundTripIsExactForEveryValueThoseStartingWithAnApostropheIncluded() {
		for (String value : new String[] { "'quoted'", "'=1+2 typed by a person", "''", "'", "plain", "=SUM(A1)",
				"'+86", "  spaces  " }) {
			assertThat(CsvCells.unescape(CsvCells.escape(value))).isEqualTo(value);
		}
		assertThat(CsvCells.escape("'quoted'")).isEqualTo("''quoted'");
	}

}
