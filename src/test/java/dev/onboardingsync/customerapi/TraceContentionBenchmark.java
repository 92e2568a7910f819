package dev.onboardingsync.customerapi;

import java.util.UUID;

import dev.onboardingsync.benchmark.Contention;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every API call's {@code trace}, drawn by 64 threads at once: {@link UUID#randomUUID()} (one
 * shared {@code SecureRandom}) against {@link CustomerApiCalls#trace()} (each thread's own
 * generator), in one run, three rounds (issue 13). Not part of the test suite: BENCHMARKS.md.
 */
@Tag("benchmark")
class TraceContentionBenchmark {

	@Test
	void perThreadAgainstShared() throws Exception {
		for (int round = 1; round <= 3; round++) {
			double shared = Contention.perSecond(64, 20_000, () -> UUID.randomUUID().toString());
			double own = Contention.perSecond(64, 20_000, CustomerApiCalls::trace);
			System.out.printf("traces, round %d: %.0f/s from one SecureRandom, %.0f/s per thread: %.1fx%n", round,
					shared, own, own / shared);
		}
	}

}
