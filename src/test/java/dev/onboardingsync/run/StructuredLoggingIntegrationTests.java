package dev.onboardingsync.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.onboardingsync.OnboardingSyncApplication;
import dev.onboardingsync.sandbox.FaultRates;
import dev.onboardingsync.sandbox.Faults;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.customerapi.Endpoint;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs as JSON by a setting ({@code logging.structured.format.console=ecs}): one object per line,
 * each carrying the run and the step, API failures their trace, and no phone or email.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingIntegrationTests {

	@TempDir
	private Path directory;

	@Test
	void jsonLinesCarryRunAndStepAndNoPersonalData(CapturedOutput output) throws Exception {
		// given: a platform too busy to create, so API failures are logged and the run fails
		Sandbox sandbox = TestSandbox.reset();
		sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withBusy(1)));
		Path input = Files.writeString(this.directory.resolve("json.csv"),
				"external_id,phone,email,country\njson-1,13912800001,json.one@example.org,CN\n"
						+ "json-2,13912800002,json.two@example.org,CN\n");
		TestDatabase.Connection database = TestDatabase.connection();

		// when
		try (ConfigurableApplicationContext context = new SpringApplication(OnboardingSyncApplication.class).run(
				"input=" + input, "--logging.config=classpath:logback-structured.xml",
				"--logging.structured.format.console=ecs", "--spring.datasource.url=" + database.jdbcUrl(),
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(),
				"--customer-api.base-url=" + sandbox.baseUrl(), "--customer-api.company-id=1",
				"--customer-api.token=sandbox-token", "--onboarding.retry.initial-delay=10ms",
				"--onboarding.retry.max-retries=1",
				"--onboarding.report-directory=" + this.directory.resolve("reports"))) {
			assertThat(SpringApplication.exit(context)).isEqualTo(ExitCodes.FAILED_RESTARTABLE.code());
		}
		finally {
			sandbox.faults(Faults.none());
		}

		// then
		List<JsonNode> lines = output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{"))
			.map((line) -> JsonMapper.builder().build().readTree(line))
			.toList();
		assertThat(lines).isNotEmpty();
		assertThat(lines).anySatisfy((line) -> {
			assertThat(line.toString()).contains("\"step\":\"onboardProspectsStep\"");
			assertThat(line.get("runId")).isNotNull();
		});
		assertThat(lines).filteredOn((line) -> line.toString().contains("Platform busy"))
			.isNotEmpty()
			.allSatisfy((line) -> assertThat(line.toString()).contains("trace=").contains("\"runId\""));
		assertThat(output.getAll()).doesNotContain("13912800001", "json.one@example.org", "sandbox-token");
	}

}
