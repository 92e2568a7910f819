package dev.onboardingsync.chaos;

import java.time.Duration;
import java.util.List;

import dev.onboardingsync.customerapi.Endpoint;
import dev.onboardingsync.sandbox.FaultRates;
import dev.onboardingsync.sandbox.Faults;

/**
 * How hard the chaos harness hits the job: how many input rows, how many kill -9 in which steps,
 * how many PostgreSQL restarts, and the platform's faults, which stay on from the first run to the
 * last. {@code -Dchaos.profile=small|large} chooses one ({@code small} in CI; {@code large} for
 * RELIABILITY.md).
 *
 * @param kills the steps to kill the job in, in order ({@value ChaosHarness#STARTUP} is before any
 * step: Spring, Flyway, the pre-read, the lock)
 * @param databaseRestarts PostgreSQL restarts, each while the job is onboarding
 * @param longestOutage how long PostgreSQL stays down at most (at least half of it)
 * @param maxReruns runs of the same command after the storm, at most, to reach exit code 0
 */
record ChaosProfile(String name, int rows, int seededCustomers, List<String> kills, int databaseRestarts,
		Duration longestOutage, Faults faults, List<String> jobSettings, int maxReruns, long seed) {

	static ChaosProfile named(String name) {
		return switch (name) {
			case "small" -> new ChaosProfile("small", 300, 400,
					List.of(ChaosHarness.STARTUP, "stageProspectsStep", "onboardProspectsStep", "syncCustomersStep",
							ChaosHarness.RECONCILE),
					1, Duration.ofSeconds(6), platformFaults(), jobSettings(50, 20), 8, 7);
			case "large" -> new ChaosProfile("large", 10_000, 2000,
					List.of(ChaosHarness.STARTUP, "stageProspectsStep", "stageProspectsStep", "onboardProspectsStep",
							"onboardProspectsStep", ChaosHarness.STARTUP, "onboardProspectsStep", "onboardProspectsStep",
							"onboardProspectsStep", "onboardProspectsStep", "onboardProspectsStep", "onboardProspectsStep",
							"onboardProspectsStep", "onboardProspectsStep", "syncCustomersStep", "syncCustomersStep",
							ChaosHarness.RECONCILE, "syncCustomersStep", ChaosHarness.RECONCILE, ChaosHarness.RECONCILE),
					2, Duration.ofSeconds(20), platformFaults(), jobSettings(100, 50), 12, 11);
			default -> throw new IllegalArgumentException("No chaos profile '" + name + "': use small or large");
		};
	}

	/**
	 * Every fault the sandbox has, at rates that let runs progress: creates answered HTTP 500
	 * before any work (ambiguous), timed out past the job's read timeout, lost after the platform
	 * committed them, or answered with a garbled body; busy ({@code B0001}) and too-many-requests
	 * ({@code A0429}) answers on every endpoint, detail included; a requests/s limit answered with
	 * HTTP 429 and {@code Retry-After}; latency with jitter.
	 */
	private static Faults platformFaults() {
		return Faults.none()
			.withLatency(Duration.ofMillis(5), Duration.ofMillis(15))
			.withRequestsPerSecond(150)
			.withServerErrorStatus(500)
			.withTimeoutHold(Duration.ofMillis(1500))
			.withAll(FaultRates.none().withBusy(0.03).withTooManyRequests(0.01).withMalformed(0.01))
			.with(Endpoint.CREATE_ACCOUNT, FaultRates.none()
				.withServerError(0.04)
				.withTimeout(0.02)
				.withLostResponse(0.06)
				.withMalformed(0.01)
				.withBusy(0.03))
			.with(Endpoint.DETAIL, FaultRates.none().withBusy(0.15));
	}

	private static List<String> jobSettings(int stageChunk, int onboardChunk) {
		return List.of("--customer-api.read-timeout=1s", "--customer-api.max-concurrency=8",
				"--onboarding.stage-chunk-size=" + stageChunk, "--onboarding.onboard-chunk-size=" + onboardChunk,
				"--onboarding.sync-page-size=50", "--onboarding.sync-pages-per-chunk=4",
				"--onboarding.retry.initial-delay=50ms", "--onboarding.retry.max-delay=1s",
				"--spring.datasource.hikari.connection-timeout=5000");
	}

}
