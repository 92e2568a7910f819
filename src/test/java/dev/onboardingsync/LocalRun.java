package dev.onboardingsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.onboardingsync.sandbox.Faults;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The job on one machine with nothing installed: an embedded PostgreSQL and the sandbox in this
 * process, both keeping their state under {@code target/local-run/} so that a second run sees the
 * first one's work ({@code ./mvnw clean} starts afresh). The sandbox is seeded with 200 generated
 * customers and {@code sample-data/existing-customers.csv}, so some prospects already exist.
 * Test code on purpose: the production jar has no embedded parts to fall back to.
 *
 * <pre>./mvnw -q spring-boot:test-run -Dspring-boot.run.arguments="input=sample-data/prospects.csv"</pre>
 */
public final class LocalRun {

	private static final Path STATE = Path.of("target", "local-run");

	private LocalRun() {
	}

	public static void main(String[] args) throws IOException {
		Files.createDirectories(STATE);
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(STATE.resolve("postgres").toFile())
			.setCleanDataDirectory(false)
			.start();
		Sandbox sandbox = Sandbox.start(new SandboxSettings("127.0.0.1", 0, "1", "sandbox-token", 64,
				new SandboxSettings.Seed(200, 3, 42, Path.of("sample-data", "existing-customers.csv"),
						STATE.resolve("sandbox-customers.json")),
				Faults.none()));
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			sandbox.close();
			try {
				postgres.close();
			}
			catch (IOException ex) {
				System.err.println("Could not stop the embedded PostgreSQL: " + ex.getMessage());
			}
		}, "local-run-stop"));
		List<String> arguments = new ArrayList<>(Arrays.asList(args));
		arguments.addAll(List.of("--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
				"--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
				"--customer-api.base-url=" + sandbox.baseUrl(), "--customer-api.company-id=1",
				"--customer-api.token=sandbox-token", "--onboarding.report-directory=" + STATE.resolve("reports"),
				"--logging.level.io.zonky=WARN"));
		OnboardingSyncApplication.main(arguments.toArray(String[]::new));
	}

}
