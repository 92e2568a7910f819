package dev.onboardingsync.run;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.onboardingsync.customerapi.Endpoint;
import dev.onboardingsync.sandbox.FaultRates;
import dev.onboardingsync.sandbox.Faults;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs as JSON by a setting ({@code logging.structured.format.console=ecs}): Spring Boot's ECS
 * encoder, as that setting installs it, writes every line of a run as one object that carries the
 * run and the step, API failures their trace, and no phone, email or token. (The encoder is
 * attached here by hand: within a test JVM whose logging other tests already set up, Boot does not
 * set it up again.)
 */
class StructuredLoggingIntegrationTests {

	@TempDir
	private Path directory;

	@Test
	void jsonLinesCarryRunAndStepAndNoPersonalData() throws Exception {
		// given: a platform too busy to create, so API failures are logged and the run fails
		Sandbox sandbox = TestSandbox.reset();
		sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withBusy(1)));
		Path input = Files.writeString(this.directory.resolve("json.csv"),
				"external_id,phone,email,country\njson-1,13912800001,json.one@example.org,CN\n"
						+ "json-2,13912800002,json.two@example.org,CN\n");
		ByteArrayOutputStream json = new ByteArrayOutputStream();

		// when
		try (ConfigurableApplicationContext context = TestApplication.start(this.directory.resolve("reports"),
				"--onboarding.command.enabled=false", "--onboarding.retry.initial-delay=10ms",
				"--onboarding.retry.max-retries=1")) {
			OutputStreamAppender<ILoggingEvent> appender = ecsAppender(json);
			Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
			root.addAppender(appender);
			try {
				JobExecution execution = context.getBean(RunLauncher.class)
					.launch(RunRequest.parse(List.of("input=" + input)));
				assertThat(ExitCodes.of(execution)).isEqualTo(ExitCodes.FAILED_RESTARTABLE);
			}
			finally {
				root.detachAppender(appender);
				appender.stop();
			}
		}
		finally {
			sandbox.faults(Faults.none());
		}

		// then
		String output = json.toString(StandardCharsets.UTF_8);
		List<JsonNode> lines = output.lines().map((line) -> JsonMapper.builder().build().readTree(line)).toList();
		assertThat(lines).filteredOn((line) -> line.has("step"))
			.isNotEmpty()
			.allSatisfy((line) -> assertThat(line.get("runId").asString()).isNotBlank());
		assertThat(lines).anySatisfy((line) -> assertThat(line.path("step").asString()).isEqualTo("onboardProspectsStep"));
		assertThat(lines).filteredOn((line) -> line.get("message").asString().contains("Platform busy"))
			.isNotEmpty()
			.allSatisfy((line) -> {
				assertThat(line.get("message").asString()).contains("trace=");
				assertThat(line.get("step").asString()).isEqualTo("onboardProspectsStep");
			});
		assertThat(output).doesNotContain("13912800001", "json.one@example.org", "sandbox-token");
	}

	private static OutputStreamAppender<ILoggingEvent> ecsAppender(ByteArrayOutputStream out) {
		LoggerContext loggerContext = (LoggerContext) LoggerFactory.getILoggerFactory();
		StructuredLogEncoder encoder = new StructuredLogEncoder();
		encoder.setContext(loggerContext);
		encoder.setFormat("ecs");
		encoder.start();
		OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
		appender.setContext(loggerContext);
		appender.setEncoder(encoder);
		appender.setOutputStream(out);
		appender.start();
		return appender;
	}

}
