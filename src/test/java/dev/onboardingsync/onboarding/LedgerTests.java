package dev.onboardingsync.onboarding;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerTests {

	// The ledger's statistics are made once the run has staged about a thousand rows: by the chunk
	// that holds line 1,024, and no other.
	@ParameterizedTest
	@CsvSource({ "2, 501, false", "502, 1001, false", "1002, 1501, true", "1025, 1524, false", "2002, 2501, false",
			"1, 1024, true", "1024, 1024, true", "1023, 1023, false", "1048000, 1048576, false" })
	void statisticsAreMadeWhenTheRunReachesLine1024(long firstLine, long lastLine, boolean analysed) {
		assertThat(Ledger.reachesAnalysedSize(firstLine, lastLine)).isEqualTo(analysed);
	}

}
