package dev.onboardingsync.customerapi;

import java.time.Duration;
import java.util.List;

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

	@Test
	void requestsNeverPrintPasswordsOrWholePhones() {
		// given
		CreateAccountRequest request = new CreateAccountRequest("13800138000", "jane@example.org", "+86", "+86",
				"dc483e80a7a0bd9ef71d8cf973673924", "CN", 1, 1L, null, null, null, null, null, null, null, "tsc-1",
				List.of());

		// when
		String printed = request.toString();

		// then
		assertThat(printed).doesNotContain("dc483e80a7a0bd9ef71d8cf973673924", "13800138000", "jane@")
			.contains("tsc-1", "138******00", "j***@example.org");
	}

	@Test
	void propertiesNeverPrintTheToken() {
		// given
		CustomerApiProperties properties = new CustomerApiProperties("http://localhost", "1",
				"s3cr3t-token", "0.0.1", Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 0,
				CustomerApiProperties.ErrorCodes.defaults());

		// then
		assertThat(properties.toString()).doesNotContain("s3cr3t-token").contains("token=***");
	}

}
