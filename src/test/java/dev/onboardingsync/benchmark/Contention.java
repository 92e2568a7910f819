package dev.onboardingsync.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** Draws per second from many threads at once, as the API threads draw: for contention benchmarks. */
public final class Contention {

	private Contention() {
	}

	/**
	 * @param threads threads drawing at once
	 * @param draws draws per thread
	 * @return draws per second, all threads together
	 */
	public static double perSecond(int threads, int draws, Supplier<?> draw) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			long start = System.nanoTime();
			List<Future<?>> all = new ArrayList<>();
			for (int thread = 0; thread < threads; thread++) {
				all.add(pool.submit(() -> {
					for (int i = 0; i < draws; i++) {
						draw.get();
					}
				}));
			}
			for (Future<?> each : all) {
				each.get();
			}
			return (double) threads * draws / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			pool.shutdownNow();
		}
	}

}
