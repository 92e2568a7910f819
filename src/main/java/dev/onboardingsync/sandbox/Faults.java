package dev.onboardingsync.sandbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.onboardingsync.customerapi.Endpoint;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The faults the sandbox injects, set per run (settings) or live (by a test).
 *
 * @param latency added to every answer
 * @param jitter up to this much more, uniformly random
 * @param requestsPerSecond above it, requests get HTTP 429 with {@code Retry-After}; 0 for no limit
 * @param timeoutHold how long a {@link Fault#TIMEOUT} keeps the connection silent before dropping it
 * @param serverErrorStatus the HTTP status of a {@link Fault#SERVER_ERROR}
 * @param randomSeed makes the rolls repeatable; {@code null} for random
 * @param endpoints fault rates by endpoint short name ({@code check}, {@code create}, {@code page},
 * {@code detail}, {@code group-list}), and {@code all} for every endpoint without its own
 */
public record Faults(@DefaultValue("0ms") Duration latency, @DefaultValue("0ms") Duration jitter,
		@DefaultValue("0") double requestsPerSecond, @DefaultValue("30s") Duration timeoutHold,
		@DefaultValue("503") int serverErrorStatus, Long randomSeed, Map<String, FaultRates> endpoints) {

	public static final String ALL = "all";

	public Faults {
		endpoints = (endpoints != null) ? Map.copyOf(endpoints) : Map.of();
		for (String key : endpoints.keySet()) {
			if (!ALL.equals(key)) {
				Endpoint.fromShortName(key);
			}
		}
		if (latency.isNegative() || jitter.isNegative() || timeoutHold.isNegative()) {
			throw new IllegalArgumentException("Sandbox latency, jitter and timeout hold must not be negative");
		}
		if (requestsPerSecond < 0) {
			throw new IllegalArgumentException("sandbox.faults.requests-per-second must be 0 (no limit) or more");
		}
		if (serverErrorStatus < 500 || serverErrorStatus > 599) {
			throw new IllegalArgumentException("sandbox.faults.server-error-status must be a 5xx status");
		}
	}

	public static Faults none() {
		return new Faults(Duration.ZERO, Duration.ZERO, 0, Duration.ofSeconds(30), 503, null, Map.of());
	}

	public FaultRates ratesFor(Endpoint endpoint) {
		FaultRates own = this.endpoints.get(endpoint.shortName());
		return (own != null) ? own : this.endpoints.getOrDefault(ALL, FaultRates.none());
	}

	public Faults with(Endpoint endpoint, FaultRates rates) {
		return withRates(endpoint.shortName(), rates);
	}

	public Faults withAll(FaultRates rates) {
		return withRates(ALL, rates);
	}

	private Faults withRates(String key, FaultRates rates) {
		Map<String, FaultRates> changed = new HashMap<>(this.endpoints);
		changed.put(key, rates);
		return new Faults(this.latency, this.jitter, this.requestsPerSecond, this.timeoutHold, this.serverErrorStatus,
				this.randomSeed, changed);
	}

	public Faults withLatency(Duration latency, Duration jitter) {
		return new Faults(latency, jitter, this.requestsPerSecond, this.timeoutHold, this.serverErrorStatus,
				this.randomSeed, this.endpoints);
	}

	public Faults withRequestsPerSecond(double requestsPerSecond) {
		return new Faults(this.latency, this.jitter, requestsPerSecond, this.timeoutHold, this.serverErrorStatus,
				this.randomSeed, this.endpoints);
	}

	public Faults withTimeoutHold(Duration timeoutHold) {
		return new Faults(this.latency, this.jitter, this.requestsPerSecond, timeoutHold, this.serverErrorStatus,
				this.randomSeed, this.endpoints);
	}

	public Faults withServerErrorStatus(int status) {
		return new Faults(this.latency, this.jitter, this.requestsPerSecond, this.timeoutHold, status, this.randomSeed,
				this.endpoints);
	}

}
