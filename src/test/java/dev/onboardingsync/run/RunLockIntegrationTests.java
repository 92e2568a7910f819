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
 * A run that loses its lock (the lock's database session dropped) stops before its next chunk of
 * calls, so that no second run of the company works beside it; the same command then resumes it.
 */
class RunLockIntegrationTests {

	@TempDir
	private Path directory;

	@Test
	void runThatLosesItsLockStopsBeforeItsNextChunkAndIsResumed() throws Exception {
		// given: 60 prospects, 10 per chunk, calls at 100 ms, and a run under way
		Sandbox sandbox = TestSandbox.reset();
		Path input = RunFixtures.prospects(this.directory, "lock", 60, "139128");
		sandbox.faults(Faults.none().withLatency(Duration.ofMillis(100), Duration.ZERO));
		JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
		JobExecution lost;
		try (ConfigurableApplicationContext context = start()) {
			TestDatabase.truncate(jdbc);
			CompletableFuture<JobExecution> run = CompletableFuture.supplyAsync(() -> RunFixtures.launch(context, input));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row WHERE outcome = 'CREATED'",
						Long.class) > 0);

			// when: the lock's session is dropped
			jdbc.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
					+ " WHERE application_name = 'onboarding-sync run lock'");
			lost = run.get();
		}

		// then
		assertThat(lost.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(lost.getAllFailureExceptions()).anySatisfy((failure) -> assertThat(failure)
			.hasStackTraceContaining("run lock's database session was lost"));
		// said as the database outage it is, with no stack trace, and worth running again (a fresh user's
		// try found "an unexpected IllegalStateException ... report it with the stack trace", issue 13)
		FailureCause cause = FailureCause.of(lost, 0);
		assertThat(cause.expected()).isTrue();
		assertThat(cause.summary()).startsWith("failed in onboardProspectsStep: the run lock's database session was lost")
			.endsWith("Nothing committed is lost: run the same command again once the database answers.");
		assertThat(ExitCodes.of(lost)).isEqualTo(ExitCodes.FAILED_RESTARTABLE);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row WHERE outcome = 'CREATED'", Long.class))
			.isLessThan(60);

		// and when the same command runs again
		sandbox.faults(Faults.none());
		JobExecution resumed;
		try (ConfigurableApplicationContext again = start()) {
			resumed = RunFixtures.launch(again, input);
		}

		// then
		assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(resumed.getJobInstance().getInstanceId()).isEqualTo(lost.getJobInstance().getInstanceId());
		assertThat(sandbox.state().requests("create")).isEqualTo(60);
		assertThat(sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
	}

	private ConfigurableApplicationContext start() {
		return TestApplication.start(this.directory.resolve("reports"), "--customer-api.max-concurrency=4",
				"--onboarding.onboard-chunk-size=10", "--onboarding.command.enabled=false");
	}

}
