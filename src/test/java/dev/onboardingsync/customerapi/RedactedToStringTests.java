package dev.onboardingsync.customerapi;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's records print no secret and no whole phone or email (their toString, masked). */
class RedactedToStringTests {

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
