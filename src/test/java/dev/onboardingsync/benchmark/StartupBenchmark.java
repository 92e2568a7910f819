package dev.onboardingsync.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxSettings;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time from the job's process start to its first API call (issue 13), for a run of 10 new
 * prospects: the jar as it ran before this work ({@code java -jar}, the JVM's defaults) against
 * each candidate configuration, in the same repeat, in turn: the container image's JVM flags
 * ({@link ImageLayout}); with the jar extracted (Spring Boot's {@code -Djarmode=tools extract},
 * the layout the image has too); and with a CDS archive of a training run (Spring Boot's "Class Data
 * Sharing" support: https://docs.spring.io/spring-boot/reference/packaging/class-data-sharing.html). The first call is the sandbox's
 * first request, polled every 2 ms. Not part of the test suite: {@code bin/benchmark StartupBenchmark}.
 */
@Tag("benchmark")
class StartupBenchmark {

	private static final int ROWS = 10;

	@TempDir(cleanup = CleanupMode.ON_SUCCESS)
	private Path directory;

	private int block;

	@Test
	void processStartToTheFirstApiCall() throws Exception {
		assertThat(TestApplication.run(this.directory, "runs", "list")).isZero();
		Path jar = OnboardingLimitBenchmark.jar();
		Path extracted = ImageLayout.extract(jar, this.directory.resolve("extracted"));
		Path archive = trainedArchive(extracted);
		List<String> image = ImageLayout.jvmFlags();
		Map<String, List<String>> configurations = new LinkedHashMap<>();
		configurations.put("before: java -jar, the JVM's defaults", List.of("-jar", jar.toString()));
		configurations.put("java -jar, the image's JVM flags", concat(image, "-jar", jar.toString()));
		configurations.put("the image's JVM flags, the jar extracted",
				concat(image, "-jar", extracted.toString()));
		configurations.put("the image's JVM flags, the jar extracted, its CDS archive", concat(image,
				"-XX:SharedArchiveFile=" + archive, "-jar", extracted.toString()));
		Map<String, List<Double>> ratios = new LinkedHashMap<>();
		for (int repeat = 1; repeat <= BenchmarkResults.REPEATS; repeat++) {
			double before = Double.NaN;
			for (Map.Entry<String, List<String>> configuration : configurations.entrySet()) {
				double seconds = firstCallAfter(configuration.getValue());
				System.out.printf(Locale.ROOT, "repeat %d, %s: first API call %.2f s after the process started%n", repeat,
						configuration.getKey(), seconds);
				if (Double.isNaN(before)) {
					before = seconds;
				}
				else {
					ratios.computeIfAbsent(configuration.getKey(), (key) -> new ArrayList<>()).add(seconds / before);
				}
			}
		}
		ratios.forEach((configuration, values) -> BenchmarkResults.record("start-up to the first API call, to before's",
				configuration + "; 10 rows", values, BenchmarkResults.Goal.atMost(0.5)));
	}

	// A CDS archive of the classes a start loads, from a training run that stops once the
	// application context is refreshed (Spring Boot's documented way; the refresh migrates the database).
	private Path trainedArchive(Path jar) throws Exception {
		Path archive = this.directory.resolve("onboarding-sync.jsa");
		TestDatabase.Connection database = TestDatabase.connection();
		List<String> training = new ArrayList<>(ImageLayout.jvmFlags());
		training.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
				jar.toString(), "runs", "list",
				"--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(), "--customer-api.base-url=http://127.0.0.1:9",
				"--customer-api.company-id=1", "--customer-api.token=training"));
		run(training);
		assertThat(archive).isRegularFile();
		return archive;
	}

	private void run(List<String> arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		command.addAll(arguments);
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("setup.log").toFile()))
			.start();
		assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("%s; its log in %s", command, this.directory).isZero();
	}

	private static List<String> concat(List<String> first, String... more) {
		List<String> all = new ArrayList<>(first);
		all.addAll(List.of(more));
		return all;
	}

	// The job on 10 new prospects, started with the arguments (JVM flags and the jar).
	private double firstCallAfter(List<String> java) throws Exception {
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.forTests())) {
			Path input = input();
			TestDatabase.Connection database = TestDatabase.connection();
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.addAll(java);
			command.addAll(List.of("input=" + input,
					"--spring.datasource.url=" + database.jdbcUrl(),
					"--spring.datasource.username=" + database.username(),
					"--customer-api.base-url=" + sandbox.baseUrl(), "--customer-api.company-id=1",
					"--onboarding.report-directory=" + this.directory.resolve("reports")));
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.directory.resolve(input.getFileName() + ".log").toFile());
			builder.environment().put("SPRING_DATASOURCE_PASSWORD", database.password());
			builder.environment().put("CUSTOMER_API_TOKEN", "sandbox-token");
			long start = System.nanoTime();
			Process process = builder.start();
			Long firstCall = null;
			while (process.isAlive() && firstCall == null) {
				if (sandbox.state().requests().values().stream().mapToLong(Long::longValue).sum() > 0) {
					firstCall = System.nanoTime();
				}
				else {
					process.waitFor(2, TimeUnit.MILLISECONDS);
				}
			}
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).as("the job's exit code; its log in %s", this.directory).isZero();
			assertThat(firstCall).as("a call to the platform").isNotNull();
			return (firstCall - start) / 1e9;
		}
	}

	private Path input() throws IOException {
		this.block++;
		StringBuilder csv = new StringBuilder("external_id,phone,country\n");
		for (int i = 0; i < ROWS; i++) {
			csv.append("start-").append(this.block).append('-').append(i).append(',')
				.append(OnboardingLimitBenchmark.phone(String.format(Locale.ROOT, "9%02d", this.block % 100), i))
				.append(",CN\n");
		}
		Path file = this.directory.resolve("start-" + this.block + ".csv");
		Files.writeString(file, csv, StandardCharsets.UTF_8);
		return file;
	}

}
