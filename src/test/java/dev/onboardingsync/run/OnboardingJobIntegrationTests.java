package dev.onboardingsync.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxCustomer;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = { "onboarding.command.enabled=false", "onboarding.report-directory=target/test-reports",
		"onboarding.retry.initial-delay=10ms", "onboarding.retry.max-delay=50ms" })
@ContextConfiguration(initializers = { TestDatabase.Initializer.class, TestSandbox.Initializer.class })
class OnboardingJobIntegrationTests {

	private static final String HEADER = "external_id,phone,phone_area,email,country,register_source,remark";

	@Autowired
	private RunLauncher launcher;

	@Autowired
	private JdbcTemplate jdbc;

	@TempDir
	private Path directory;

	private Sandbox sandbox;

	@BeforeEach
	void cleanSlate() {
		this.sandbox = TestSandbox.reset();
		this.jdbc.execute("""
				TRUNCATE onboarding.input_row, onboarding.run_claim, onboarding.prospect, onboarding.run,
				    reporting.customer, reporting.customer_group, reporting.run_summary,
				    batch_step_execution_context, batch_job_execution_context, batch_step_execution,
				    batch_job_execution_params, batch_job_execution, batch_job_instance""");
	}

	@Test
	void everyRowGetsOneOutcomeAndEveryValidProspectOneAccount() throws Exception {
		// given
		SandboxCustomer existing = this.sandbox.customers().get(0);
		Path input = csv(HEADER,
				"p-1,13912340001,+86,one@example.org,CN,1,first",
				"p-2,13912340002,,two@example.org,cn,2,",
				"p-3,+86 139 1234 0003,,,SG,3,\"with, comma\"",
				"p-4,12345,,,CN,1,bad phone",
				"p-1,13912340009,,,CN,1,same external id",
				"p-5,13912340002,,,CN,1,same phone as p-2",
				"p-6," + existing.phone() + ",+86,,CN,1,already a customer");

		// when
		JobExecution execution = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcomes(execution)).containsExactlyInAnyOrderEntriesOf(
				Map.of("CREATED", 3L, "REJECTED", 1L, "DUPLICATE", 2L, "EXISTS", 1L));
		for (String code : List.of("os-p-1", "os-p-2", "os-p-3")) {
			assertThat(this.sandbox.accountsWithThirdServerCode(code)).isEqualTo(1);
		}
		assertThat(this.sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM reporting.customer", Long.class))
			.isEqualTo(this.sandbox.state().customers());
		assertThat(this.jdbc.queryForList("""
				SELECT customer_no FROM onboarding.input_row WHERE outcome IN ('CREATED', 'EXISTS') ORDER BY line_number""",
				String.class)).doesNotContainNull().hasSize(4);
	}

	@Test
	void secondRunOfTheSameFileMakesNoCreateCall() throws Exception {
		// given
		Path input = csv(HEADER, "q-1,13912350001,,,CN,1,", "q-2,13912350002,,,CN,1,");
		JobExecution first = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));
		long createsAfterFirst = this.sandbox.state().requests("create");

		// when
		JobExecution second = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));

		// then
		assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(second.getJobInstance().getInstanceId()).isNotEqualTo(first.getJobInstance().getInstanceId());
		assertThat(outcomes(second)).containsExactlyInAnyOrderEntriesOf(Map.of("ALREADY_ONBOARDED", 2L));
		assertThat(this.sandbox.state().requests("create")).isEqualTo(createsAfterFirst).isEqualTo(2);
	}

	private Map<String, Long> outcomes(JobExecution execution) {
		return this.jdbc
			.queryForList("SELECT outcome, count(*) AS n FROM onboarding.input_row WHERE run_id = ? GROUP BY outcome",
					execution.getJobInstance().getInstanceId())
			.stream()
			.collect(Collectors.toMap((row) -> (String) row.get("outcome"), (row) -> (Long) row.get("n")));
	}

	private Path csv(String... lines) throws IOException {
		Path file = Files.createTempFile(this.directory, "prospects", ".csv");
		Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
		return file;
	}

}
