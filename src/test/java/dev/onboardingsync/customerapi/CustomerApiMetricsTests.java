package dev.onboardingsync.customerapi;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The client's timers: the names, tags and descriptions that dashboards and alerts query, one timer
 * per endpoint and outcome kept rather than registered on every call, and the call counts the run
 * report shows.
 */
class CustomerApiMetricsTests {

	private final MockClock clock = new MockClock();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, this.clock);

	private final CustomerApiMetrics metrics = new CustomerApiMetrics(this.registry);

	@Test
	void timesARequestUnderItsEndpointAndOutcome() {
		// given
		Timer.Sample sample = this.metrics.start();
		this.clock.add(Duration.ofMillis(250));

		// when
		this.metrics.stop(sample, Endpoint.CREATE_ACCOUNT, CustomerApiMetrics.SUCCESS);

		// then
		Timer timer = this.registry.get("customer.api.requests")
			.tags("endpoint", "create", "outcome", "success")
			.timer();
		assertThat(timer.count()).isOne();
		assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
		assertThat(timer.getId().getDescription())
			.isEqualTo("Calls to the platform's Customer API, by endpoint and outcome");
	}

	@Test
	void registersAnOutcomesTimerOnlyOnceItHappens() {
		// when
		this.metrics.stop(this.metrics.start(), Endpoint.CHECK_CUSTOMER_EXIST, CustomerApiMetrics.SUCCESS);

		// then: no zero series for the outcomes and endpoints that never happened
		assertThat(this.registry.find("customer.api.requests").timers()).singleElement()
			.satisfies((timer) -> assertThat(timer.getId().getTags()).extracting("value")
				.containsExactlyInAnyOrder("check", "success"));
	}

	@Test
	void keepsTheTimerOfAnEndpointAndOutcomeRatherThanRegisteringItPerCall() {
		// given
		Timer first = this.metrics.requests(Endpoint.DETAIL, "not_found");

		// when: Micrometer hands back the same timer for the same name and tags, so only its
		// removal shows that a later call does not register it again
		this.registry.remove(first);
		this.metrics.stop(this.metrics.start(), Endpoint.DETAIL, "not_found");

		// then
		assertThat(this.metrics.requests(Endpoint.DETAIL, "not_found")).isSameAs(first);
		assertThat(first.count()).isOne();
		assertThat(this.registry.find("customer.api.requests").timers()).isEmpty();
	}

	@Test
	void callCountsSumEveryOutcomeOfAnEndpoint() {
		// given
		this.metrics.stop(this.metrics.start(), Endpoint.CREATE_ACCOUNT, CustomerApiMetrics.SUCCESS);
		this.metrics.stop(this.metrics.start(), Endpoint.CREATE_ACCOUNT, CustomerApiMetrics.SUCCESS);
		this.metrics.stop(this.metrics.start(), Endpoint.CREATE_ACCOUNT, "ambiguous");
		this.metrics.stop(this.metrics.start(), Endpoint.CREATE_ACCOUNT, "transient");
		this.metrics.stop(this.metrics.start(), Endpoint.CHECK_CUSTOMER_EXIST, "rate_limited");

		// when / then: every endpoint, in the order of Endpoint, by short name
		assertThat(this.metrics.callCounts()).containsExactly(entry("check", 1L), entry("create", 4L),
				entry("page", 0L), entry("detail", 0L), entry("group-list", 0L));
	}

	@Test
	void recordsTheWaitForTheRequestsPerSecondBudget() {
		// when
		this.metrics.recordRateLimitWait(Duration.ofMillis(40));
		this.metrics.recordRateLimitWait(Duration.ZERO);

		// then
		Timer wait = this.registry.get("customer.api.rate.limit.wait").timer();
		assertThat(wait.count()).isEqualTo(2);
		assertThat(wait.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
		assertThat(wait.getId().getDescription()).isEqualTo("Time calls waited for the shared requests/s budget");
	}

}
