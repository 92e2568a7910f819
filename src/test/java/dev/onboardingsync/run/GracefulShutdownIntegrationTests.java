package dev.onboardingsync.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.onboardingsync.OnboardingSyncApplication;
import dev.onboardingsync.sandbox.Faults;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What SIGTERM does: the application context closes while a run is under way; the run stops at a
 * chunk boundary, ends STOPPED, and the same command then completes it with no duplicate.
 */
class GracefulShutdownIntegrationTests {

	@TempDir
	private Path directory;

	@Test
	void closingTheApplicationStopsTheRunAtAChunkBoundaryAndTheSameCommandResumesIt() throws Exception {
		// given: 60 prospects, 10 per chunk, two calls each at 100 ms
		Sandbox sandbox = TestSandbox.reset();
		StringBuilder csv = new StringBuilder("external_id,phone,country\n");
		for (int i = 0; i < 60; i++) {
			csv.append("stop-").append(i).append(",139127").append(String.format("%05d", i)).append(",CN\n");
		}
		Path input = Files.writeString(this.directory.resolve("stop.csv"), csv);
		sandbox.faults(Faults.none().withLatency(Duration.ofMillis(100), Duration.ZERO));
		ConfigurableApplicationContext context = start();
		JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
		TestDatabase.truncate(jdbc);
		CompletableFuture<JobExecution> run = CompletableFuture
			.supplyAsync(() -> launch(context, input));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row WHERE outcome = 'CREATED'",
					Long.class) > 0);

		// when: SIGTERM
		context.close();

		// then
		JobExecution stopped = run.get();
		assertThat(stopped.getStatus()).isEqualTo(BatchStatus.STOPPED);
		long settled = jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row WHERE outcome = 'CREATED'",
				Long.class);
		assertThat(settled).isPositive().isLessThan(60).isEqualTo(settled / 10 * 10);

		// and when the same command runs again
		sandbox.faults(Faults.none());
		JobExecution resumed;
		try (ConfigurableApplicationContext again = start()) {
			resumed = launch(again, input);
		}

		// then
		assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(resumed.getJobInstance().getInstanceId()).isEqualTo(stopped.getJobInstance().getInstanceId());
		assertThat(jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row WHERE outcome = 'CREATED'", Long.class))
			.isEqualTo(60);
		assertThat(sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
		assertThat(sandbox.state().requests("create")).isEqualTo(60);
	}

	private static JobExecution launch(ConfigurableApplicationContext context, Path input) {
		try {
			return context.getBean(RunLauncher.class).launch(RunRequest.parse(List.of("input=" + input)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private ConfigurableApplicationContext start() {
		TestDatabase.Connection database = TestDatabase.connection();
		return new SpringApplication(OnboardingSyncApplication.class).run("--spring.datasource.url=" + database.jdbcUrl(),
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(),
				"--customer-api.base-url=" + TestSandbox.get().baseUrl(), "--customer-api.company-id=1",
				"--customer-api.token=sandbox-token", "--customer-api.max-concurrency=4",
				"--onboarding.onboard-chunk-size=10", "--onboarding.command.enabled=false",
				"--onboarding.report-directory=" + this.directory.resolve("reports"));
	}

}
