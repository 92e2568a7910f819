package dev.onboardingsync.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MaskingTests {

	@Test
	void masksPhoneKeepingItsEnds() {
		assertThat(Masking.maskPhone("13800138000")).isEqualTo("138******00");
		assertThat(Masking.maskPhone("12345")).isEqualTo("*****");
		assertThat(Masking.maskPhone(null)).isNull();
	}

	@Test
	void masksEmailKeepingFirstCharacterAndDomain() {
		assertThat(Masking.maskEmail("john.doe@example.com")).isEqualTo("j***@example.com");
		assertThat(Masking.maskEmail("not-an-email")).isEqualTo("************");
	}

	@Test
	void masksPhonesAndEmailsInsideFreeText() {
		// when
		String masked = Masking.maskText("phone 13800138000 or +86 138-0013-8000 and mail Jane@Example.org exist");

		// then
		assertThat(masked).doesNotContain("13800138000", "0013", "Jane@").contains("J***@Example.org");
		assertThat(masked).startsWith("phone 138******00 or ");
	}


}
