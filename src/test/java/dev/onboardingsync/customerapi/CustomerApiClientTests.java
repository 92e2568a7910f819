package dev.onboardingsync.customerapi;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerApiClientTests {

	@Test
	void readsRetryAfterInSeconds() {
		assertThat(CustomerApiClient.parseRetryAfter("7")).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void readsRetryAfterAsHttpDate() {
		// given
		String inOneMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(1));

		// when
		Duration wait = CustomerApiClient.parseRetryAfter(inOneMinute);

		// then
		assertThat(wait).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60));
	}

	@Test
	void waitsOneSecondWhenRetryAfterIsMissingOrUnreadable() {
		assertThat(CustomerApiClient.parseRetryAfter(null)).isEqualTo(Duration.ofSeconds(1));
		assertThat(CustomerApiClient.parseRetryAfter("soon")).isEqualTo(Duration.ofSeconds(1));
	}

}
