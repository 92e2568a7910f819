package dev.onboardingsync.chaos;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos harness ({@link ChaosHarness}) on the profile {@code -Dchaos.profile} names: {@code small}
 * by default (CI), {@code large} for RELIABILITY.md. The report goes to
 * {@code target/process-tests/chaos-<profile>/report.md}, with every job process's log beside it.
 */
class ChaosProcessIntegrationTests {

	@Test
	void everyPromiseHoldsThroughKillsDatabaseRestartsAndPlatformFaults() throws Exception {
		// given
		ChaosProfile profile = ChaosProfile.named(System.getProperty("chaos.profile", "small"));
		Path directory = JobRig.directory("chaos-" + profile.name());
		ChaosReport report;
		try (JobRig rig = JobRig.create(directory, profile.seededCustomers(),
				profile.jobSettings().toArray(String[]::new))) {

			// when
			report = new ChaosHarness(profile, rig).run(directory);
		}

		// then
		Files.writeString(directory.resolve("report.md"), report.render());
		System.out.println(report.render());
		assertThat(report.violations()).isEmpty();
		assertThat(report.kills().values().stream().mapToInt(Integer::intValue).sum()).isPositive();
	}

}
