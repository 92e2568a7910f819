package dev.onboardingsync.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.onboardingsync.OnboardingSyncApplication;
import dev.onboardingsync.sandbox.Faults;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxSettings;
import dev.onboardingsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prospects onboarded per second against a platform that takes 20 ms per call, with the calls of
 * a chunk made one at a time (the baseline) and 16 at a time, in the same run. Each
 * configuration onboards its own 500 new prospects (a check and a create each) through the
 * whole job, command included. Not part of the test suite; run it with the command in
 * BENCHMARKS.md.
 */
@Tag("benchmark")
class OnboardingThroughputBenchmark {

	private static final int PROSPECTS = 500;

	@TempDir
	private Path directory;

	@Test
	void concurrentCallsAgainstOneAtATime() throws Exception {
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.forTests()
			.withFaults(Faults.none().withLatency(Duration.ofMillis(20), Duration.ZERO)))) {
			double sequential = run(sandbox, 1, "seq");
			double concurrent = run(sandbox, 16, "con");
			System.out.printf("%nratio, 16 in flight to 1: %.2f%n", concurrent / sequential);
			assertThat(sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
		}
	}

	private double run(Sandbox sandbox, int concurrency, String prefix) throws Exception {
		Path input = prospects(prefix, concurrency == 1 ? 0 : 1);
		TestDatabase.Connection database = TestDatabase.connection();
		long start = System.nanoTime();
		int exitCode;
		try (ConfigurableApplicationContext context = new SpringApplication(OnboardingSyncApplication.class).run(
				"input=" + input, "--spring.datasource.url=" + database.jdbcUrl(),
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(),
				"--customer-api.base-url=" + sandbox.baseUrl(), "--customer-api.company-id=1",
				"--customer-api.token=sandbox-token", "--customer-api.max-concurrency=" + concurrency,
				"--onboarding.report-directory=" + this.directory.resolve("reports"), "--logging.level.root=WARN")) {
			exitCode = SpringApplication.exit(context);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		assertThat(exitCode).isZero();
		double perSecond = PROSPECTS / seconds;
		System.out.printf("%2d in flight: %d prospects in %.2f s, %.1f prospects/s%n", concurrency, PROSPECTS, seconds,
				perSecond);
		return perSecond;
	}

	private Path prospects(String prefix, int block) throws Exception {
		StringBuilder csv = new StringBuilder("external_id,phone,country\n");
		for (int i = 0; i < PROSPECTS; i++) {
			csv.append(prefix).append('-').append(i).append(",1660").append(block).append(String.format("%06d", i))
				.append(",CN\n");
		}
		Path file = this.directory.resolve(prefix + ".csv");
		Files.writeString(file, csv, StandardCharsets.UTF_8);
		return file;
	}


}
