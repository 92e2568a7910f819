package dev.onboardingsync.customerapi;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerApiCallsTests {

	@Test
	void aTraceIsARandomVersion4UuidNewForEveryCall() {
		Set<String> traces = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			String trace = CustomerApiCalls.trace();
			UUID uuid = UUID.fromString(trace);
			assertThat(uuid.version()).isEqualTo(4);
			assertThat(uuid.variant()).isEqualTo(2);
			assertThat(uuid).hasToString(trace);
			traces.add(trace);
		}
		assertThat(traces).hasSize(10_000);
	}

}
