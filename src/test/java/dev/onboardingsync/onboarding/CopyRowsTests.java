package dev.onboardingsync.onboarding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CopyRowsTests {

	@Test
	void writesRowsInCopysTextFormatWithNullsAndEscapes() {
		// given
		CopyRows rows = new CopyRows();

		// when: a row of a number, a NULL and text with every character COPY's text format escapes
		rows.add(7L).add(null).add("a\tb\nc\rd\\e \\N");
		rows.endRow();
		rows.add("").add("x").add(-1);
		rows.endRow();

		// then
		assertThat(rows.size()).isEqualTo(2);
		assertThat(rows.text()).isEqualTo("7\t\\N\ta\\tb\\nc\\rd\\\\e \\\\N\n\tx\t-1\n");
	}

}
