package dev.onboardingsync.run;

import java.time.Duration;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ItemProcessStatusTagTests {

	@Test
	void anItemThatFailedIsCountedBesideThoseThatSucceeded() {
		// given
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		registry.config().meterFilter(new ItemProcessStatusTag());

		// when: as Spring Batch 6 records a success, then a failure
		Timer.builder(ItemProcessStatusTag.METER).tag("error", "none").tag(ItemProcessStatusTag.STATUS, "SUCCESS")
			.register(registry)
			.record(Duration.ofMillis(1));
		Timer.builder(ItemProcessStatusTag.METER).tag("error", "none").register(registry).record(Duration.ofMillis(1));

		// then
		assertThat(registry.find(ItemProcessStatusTag.METER).tag(ItemProcessStatusTag.STATUS, "FAILURE").timer())
			.isNotNull()
			.satisfies((timer) -> assertThat(timer.count()).isOne());
	}

}
