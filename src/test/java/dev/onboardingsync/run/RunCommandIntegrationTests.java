package dev.onboardingsync.run;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.onboardingsync.sandbox.Faults;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.StringUtils;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The command as the process runs it, up to the exit code it hands to {@code System.exit}.
 */
@ExtendWith(OutputCaptureExtension.class)
class RunCommandIntegrationTests {

	@TempDir
	private Path directory;

	@Test
	void completedRunExitsZero() throws Exception {
		// given
		TestSandbox.reset();
		Path input = Files.writeString(this.directory.resolve("ok.csv"),
				"external_id,phone,country\ncmd-1,13912500001,CN\n");

		// when
		int exitCode = run("input=" + input);

		// then
		assertThat(exitCode).isEqualTo(ExitCodes.SUCCESS.code());
	}

	@Test
	void allThreadsShareOneRequestsPerSecondBudget() throws Exception {
		// given: a platform that answers 429 above 20 requests/s, and a budget of 15/s for 16 threads
		Sandbox sandbox = TestSandbox.reset();
		sandbox.faults(Faults.none().withRequestsPerSecond(20));
		Path input = RunFixtures.prospects(this.directory, "budget", 30, "139126");

		// when
		int exitCode;
		try {
			exitCode = run("input=" + input, "--customer-api.max-requests-per-second=15");
		}
		finally {
			sandbox.faults(Faults.none());
		}

		// then: more than a second's worth of calls, and not one of them refused
		assertThat(exitCode).isZero();
		assertThat(sandbox.state().requests("check") + sandbox.state().requests("create")).isEqualTo(60);
		assertThat(sandbox.state().faultsInjected()).containsEntry("RATE_LIMITED", 0L);
	}

	@Test
	void aTokenThePlatformRefusesIsASettingToFixAndTheSameCommandThenResumes(CapturedOutput output) throws Exception {
		// given
		Sandbox sandbox = TestSandbox.reset();
		Path input = Files.writeString(this.directory.resolve("token.csv"),
				"external_id,phone,country\ncmd-t,13912500009,CN\n");

		// when
		int refused = run("input=" + input, "--customer-api.token=not-the-token", "--onboarding.retry.max-retries=0");
		int fixed = run("input=" + input);

		// then
		assertThat(refused).isEqualTo(ExitCodes.BAD_CONFIGURATION.code());
		assertThat(output).containsOnlyOnce("Check customer-api.token and customer-api.company-id, then run the same"
				+ " command again. (exit code 3, BAD_CONFIGURATION)")
			.contains("the platform refused the token or the company [endpoint=create, code=A0401");
		assertThat(fixed).isZero();
		assertThat(sandbox.accountsWithThirdServerCode("os-cmd-t")).isOne();
		assertThat(TestDatabase.jdbcTemplate().queryForObject(
				"SELECT count(DISTINCT job_instance_id) FROM batch_job_execution e JOIN batch_job_execution_params p"
						+ " USING (job_execution_id) WHERE p.parameter_name = 'input' AND p.parameter_value = ?",
				Long.class, input.toString())).as("one run, resumed").isOne();
	}

	@Test
	void anEditedFileStartsANewRunAndSaysWhichRunStaysUnfinished(CapturedOutput output) throws Exception {
		// given: a run that failed (the platform refused its token), then its file edited
		Sandbox sandbox = TestSandbox.reset();
		Path input = Files.writeString(this.directory.resolve("edited.csv"),
				"external_id,phone,country\ncmd-e1,13912500011,CN\n");
		int failed = run("input=" + input, "--customer-api.token=not-the-token", "--onboarding.retry.max-retries=0");
		long failedRun = TestDatabase.jdbcTemplate().queryForObject("SELECT max(job_instance_id) FROM batch_job_instance",
				Long.class);
		Files.writeString(input, "external_id,phone,country\ncmd-e1,13912500011,CN\ncmd-e2,13912500012,CN\n");

		// when
		int edited = run("input=" + input);

		// then: a new run, and a word of the one left unfinished
		assertThat(failed).isEqualTo(ExitCodes.BAD_CONFIGURATION.code());
		assertThat(edited).isZero();
		assertThat(output).contains("Run " + failedRun + " of the same command ended FAILED and stays unfinished: " + input
				+ " changed since it started, so this is a new run.")
			.contains("runs abandon " + failedRun + ".");
		assertThat(sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
	}

	@Test
	void missingInputFileExitsWithBadInput() {
		assertThat(run("input=" + this.directory.resolve("missing.csv"))).isEqualTo(ExitCodes.BAD_INPUT.code());
	}

	@Test
	void unknownArgumentExitsWithBadConfiguration() {
		assertThat(run("inptu=prospects.csv")).isEqualTo(ExitCodes.BAD_CONFIGURATION.code());
	}

	@Test
	void connectionPoolSmallerThanTheCallsInFlightFailsStartWithBadConfiguration() {
		// when
		Throwable failure = catchThrowable(() -> run("input=x.csv", "--customer-api.max-concurrency=40",
				"--spring.datasource.hikari.maximum-pool-size=10"));

		// then
		assertThat(ExitCodes.of(failure)).isEqualTo(ExitCodes.BAD_CONFIGURATION);
		assertThat(failure).hasStackTraceContaining("spring.datasource.hikari.maximum-pool-size (10)");
	}

	@Test
	void theTokenIsReadFromASecretMountedAsKubernetesMountsIt() throws Exception {
		// given: k8s/base's layout: files named after their properties, behind Kubernetes' ..data link,
		// the token with the line break a file ends in
		Sandbox sandbox = TestSandbox.reset();
		Path secrets = Files.createDirectories(this.directory.resolve("secrets"));
		Path version = Files.createDirectories(secrets.resolve("..2026_11_29_00_00_00.000000001"));
		Files.writeString(version.resolve("customer-api.token"), "sandbox-token\n");
		Files.createSymbolicLink(secrets.resolve("..data"), version.getFileName());
		Files.createSymbolicLink(secrets.resolve("customer-api.token"), Path.of("..data/customer-api.token"));
		Path input = Files.writeString(this.directory.resolve("secret.csv"), "external_id,phone,country\ns-1,13912500039,CN\n");

		// when
		int exitCode = run("input=" + input, "--spring.config.import=configtree:" + secrets + "/");

		// then
		assertThat(exitCode).isZero();
		assertThat(sandbox.accountsWithThirdServerCode("os-s-1")).isOne();
	}

	@Test
	void aBaseUrlThatLeadsNowhereStopsTheRunAtOnceAsASettingToFix(CapturedOutput output) throws Exception {
		// given: the base URL with the API's path on it, which the gateway answers 404
		Sandbox sandbox = TestSandbox.reset();
		Path input = Files.writeString(this.directory.resolve("path.csv"), "external_id,phone,country\np-1,13912500049,CN\n");

		// when
		int exitCode = run("input=" + input, "--customer-api.base-url=" + sandbox.baseUrl() + "/openapi-b");

		// then: no retries, exit 3, and what to fix
		assertThat(exitCode).isEqualTo(ExitCodes.BAD_CONFIGURATION.code());
		// (once as the call's warning, once in the run's last line: not retried)
		assertThat(StringUtils.countOccurrencesOf(output.toString(), "The gateway has no /openapi-b/")).isEqualTo(2);
		assertThat(output).containsOnlyOnce("customer-api.base-url does not lead to the platform's API");
		assertThat(sandbox.accountsWithThirdServerCode("os-p-1")).isZero();
	}

	@Test
	void aRunWithoutTheBaseUrlOrTokenIsRefusedBeforeItStarts(CapturedOutput output) throws Exception {
		// given
		Path input = Files.writeString(this.directory.resolve("unset.csv"), "external_id,phone,country\nu-1,13912500029,CN\n");
		long runsBefore = TestDatabase.jdbcTemplate().queryForObject("SELECT count(*) FROM batch_job_instance", Long.class);

		// when
		int noToken = run("input=" + input, "--customer-api.token=");
		int neither = run("input=" + input, "--customer-api.token=", "--customer-api.base-url=");

		// then: exit 3, the settings named, and no run left behind
		assertThat(noToken).isEqualTo(ExitCodes.BAD_CONFIGURATION.code());
		assertThat(neither).isEqualTo(ExitCodes.BAD_CONFIGURATION.code());
		assertThat(output).contains("customer-api.token must be set to call the platform")
			.contains("customer-api.base-url and customer-api.token must be set to call the platform");
		assertThat(TestDatabase.jdbcTemplate().queryForObject("SELECT count(*) FROM batch_job_instance", Long.class))
			.isEqualTo(runsBefore);
	}

	private int run(String... args) {
		return TestApplication.run(this.directory.resolve("reports"), args);
	}

}
