package dev.onboardingsync.customerapi;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The timers of {@link CustomerApiClient}: {@code customer.api.requests}, one per endpoint and
 * outcome (the {@code endpoint} tag is {@link Endpoint#shortName()}, the {@code outcome} tag
 * {@code success} or {@link CustomerApiException#outcome()}), and
 * {@code customer.api.rate.limit.wait}. Dashboards, alerts and {@code MetricsIntegrationTests}
 * query these names and tags. Thread-safe.
 */
final class CustomerApiMetrics {

	static final String REQUESTS = "customer.api.requests";

	static final String RATE_LIMIT_WAIT = "customer.api.rate.limit.wait";

	static final String SUCCESS = "success";

	private final MeterRegistry registry;

	private final Timer rateLimitWait;

	// Built once per endpoint and outcome, on first use, then kept: looking a timer up through
	// Timer.builder(...).register(...) on every call cost 7.5 % of the onboard step's CPU (issue 11).
	// An outcome's timer is registered only once it happens, so a series shows up as it used to.
	private final Map<Endpoint, Map<String, Timer>> requests = new EnumMap<>(Endpoint.class);

	CustomerApiMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.rateLimitWait = Timer.builder(RATE_LIMIT_WAIT)
			.description("Time calls waited for the shared requests/s budget")
			.register(registry);
		for (Endpoint endpoint : Endpoint.values()) {
			this.requests.put(endpoint, new ConcurrentHashMap<>());
		}
	}

	/** Records how long a call waited for its slot of the requests/s budget. */
	void recordRateLimitWait(Duration wait) {
		this.rateLimitWait.record(wait);
	}

	/** Starts timing a request, on the registry's clock. */
	Timer.Sample start() {
		return Timer.start(this.registry);
	}

	/**
	 * Stops timing a request and counts it under its endpoint and outcome.
	 * @param outcome {@link #SUCCESS} or the failure's {@link CustomerApiException#outcome()}
	 */
	void stop(Timer.Sample sample, Endpoint endpoint, String outcome) {
		sample.stop(requests(endpoint, outcome));
	}

	/** The {@code customer.api.requests} timer of that endpoint and outcome, registered on first use. */
	Timer requests(Endpoint endpoint, String outcome) {
		Map<String, Timer> byOutcome = this.requests.get(endpoint);
		// A plain get first: once every timer exists, a call takes no lock.
		Timer timer = byOutcome.get(outcome);
		return (timer != null) ? timer : byOutcome.computeIfAbsent(outcome, (key) -> register(endpoint, key));
	}

	private Timer register(Endpoint endpoint, String outcome) {
		return Timer.builder(REQUESTS)
			.description("Calls to the platform's Customer API, by endpoint and outcome")
			.tag("endpoint", endpoint.shortName())
			.tag("outcome", outcome)
			.register(this.registry);
	}

	/**
	 * Requests sent so far by endpoint short name, every outcome summed; every endpoint is present,
	 * with 0 if it was never called.
	 */
	Map<String, Long> callCounts() {
		// Read from the registry, not the cache, as the client always did: the counts are those the
		// registry exports, whichever client recorded them. Read twice a run, so its cost is nothing.
		Map<String, Long> counts = new LinkedHashMap<>();
		for (Endpoint endpoint : Endpoint.values()) {
			counts.put(endpoint.shortName(), this.registry.find(REQUESTS)
				.tag("endpoint", endpoint.shortName())
				.timers()
				.stream()
				.mapToLong(Timer::count)
				.sum());
		}
		return counts;
	}

}
