package dev.onboardingsync.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.onboardingsync.OnboardingSyncApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application as its command line starts it, pointed at the test database and the shared
 * sandbox (company 1), for tests of what the process does: exit codes, shutdown, logs, metrics.
 */
public final class TestApplication {

	private TestApplication() {
	}

	/** Starts it with the arguments, then the test settings; the caller closes it. */
	public static ConfigurableApplicationContext start(Path reports, String... arguments) {
		return start(TestDatabase.connection(), reports, arguments);
	}

	/** Starts it on the given database of the test PostgreSQL; the caller closes it. */
	public static ConfigurableApplicationContext start(TestDatabase.Connection database, Path reports,
			String... arguments) {
		List<String> all = new ArrayList<>(List.of(arguments));
		all.addAll(List.of("--spring.datasource.url=" + database.jdbcUrl(),
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(),
				"--customer-api.company-id=1", "--onboarding.report-directory=" + reports));
		if (all.stream().noneMatch((argument) -> argument.startsWith("--customer-api.base-url="))) {
			all.add("--customer-api.base-url=" + TestSandbox.get().baseUrl());
		}
		// A token given, or read from files (configtree) as in Kubernetes
		if (all.stream().noneMatch((argument) -> argument.startsWith("--customer-api.token=")
				|| argument.startsWith("--spring.config.import=configtree:"))) {
			all.add("--customer-api.token=sandbox-token");
		}
		return OnboardingSyncApplication.application().run(all.toArray(String[]::new));
	}

	/** Runs the command to its end: the exit code the process would hand to {@code System.exit}. */
	public static int run(Path reports, String... arguments) {
		return run(TestDatabase.connection(), reports, arguments);
	}

	/** Runs the command to its end on the given database: the exit code of the process. */
	public static int run(TestDatabase.Connection database, Path reports, String... arguments) {
		try (ConfigurableApplicationContext context = start(database, reports, arguments)) {
			return SpringApplication.exit(context);
		}
	}

}
