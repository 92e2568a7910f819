package dev.onboardingsync.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.onboardingsync.sandbox.Faults;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What SIGTERM does: the application context closes while a run is under way; the run takes no
 * further prospect, records what the calls already made answered (the onboard step has no chunk
 * boundary to stop at, issue 13), ends STOPPED, and the same command then completes it with no duplicate.
 */
class GracefulShutdownIntegrationTests {

	@TempDir
	private Path directory;

	@Test
	void closingTheApplicationStopsTheRunWithEveryCreateItSentRecordedAndTheSameCommandResumesIt() throws Exception {
		// given: 60 prospects, 10 per chunk, two calls each at 100 ms
		Sandbox sandbox = TestSandbox.reset();
		Path input = RunFixtures.prospects(this.directory, "stop", 60, "139127");
		sandbox.faults(Faults.none().withLatency(Duration.ofMillis(100), Duration.ZERO));
		ConfigurableApplicationContext context = start();
		JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
		TestDatabase.truncate(jdbc);
		CompletableFuture<JobExecution> run = CompletableFuture
			.supplyAsync(() -> RunFixtures.launch(context, input));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row WHERE outcome = 'CREATED'",
					Long.class) > 0);

		// when: SIGTERM
		context.close();

		// then: every create the stopped run sent is recorded, CREATED when its answer came within the
		// drain, else noted UNCERTAIN before it was sent (the next run checks it first)
		JobExecution stopped = run.get();
		assertThat(stopped.getStatus()).isEqualTo(BatchStatus.STOPPED);
		long settled = jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row WHERE outcome = 'CREATED'",
				Long.class);
		long uncertain = jdbc.queryForObject("SELECT count(*) FROM onboarding.prospect WHERE status = 'UNCERTAIN'",
				Long.class);
		assertThat(settled).isPositive().isLessThan(60);
		assertThat(sandbox.state().requests("create")).isBetween(settled, settled + uncertain);

		// and when the same command runs again
		sandbox.faults(Faults.none());
		JobExecution resumed;
		try (ConfigurableApplicationContext again = start()) {
			resumed = RunFixtures.launch(again, input);
		}

		// then
		assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(resumed.getJobInstance().getInstanceId()).isEqualTo(stopped.getJobInstance().getInstanceId());
		assertThat(jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row WHERE outcome = 'CREATED'", Long.class))
			.isEqualTo(60);
		assertThat(sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
		assertThat(sandbox.state().requests("create")).isEqualTo(60);
	}

	private ConfigurableApplicationContext start() {
		return TestApplication.start(this.directory.resolve("reports"), "--customer-api.max-concurrency=4",
				"--onboarding.onboard-chunk-size=10", "--onboarding.command.enabled=false");
	}

}
