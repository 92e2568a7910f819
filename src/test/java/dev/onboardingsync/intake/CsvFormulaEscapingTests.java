package dev.onboardingsync.intake;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CsvFormulaEscapingTests {

	@Test
	void escapesCellsASpreadsheetWouldRunAsFormulas() {
		for (String formula : new String[] { "=1+1", "+86 138", "-2", "@SUM(A1)", "\tx", "\rx" }) {
			assertThat(CsvFormulaEscaping.escape(formula)).isEqualTo("'" + formula);
			assertThat(CsvFormulaEscaping.unescape(CsvFormulaEscaping.escape(formula))).isEqualTo(formula);
		}
	}

	@Test
	void leavesOtherCellsAlone() {
		assertThat(CsvFormulaEscaping.escape("13800138000")).isEqualTo("13800138000");
		assertThat(CsvFormulaEscaping.escape("")).isEmpty();
	}

	@Test
	void roundTripIsExactForEveryValueThoseStartingWithAnApostropheIncluded() {
		for (String value : new String[] { "'quoted'", "'=1+2 typed by a person", "''", "'", "plain", "=SUM(A1)",
				"'+86", "  spaces  " }) {
			assertThat(CsvFormulaEscaping.unescape(CsvFormulaEscaping.escape(value))).isEqualTo(value);
		}
		assertThat(CsvFormulaEscaping.escape("'quoted'")).isEqualTo("''quoted'");
	}

}
