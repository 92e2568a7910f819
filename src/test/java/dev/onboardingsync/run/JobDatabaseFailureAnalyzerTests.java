package dev.onboardingsync.run;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the job's database failing the start says, by PostgreSQL's SQL state (appendix A), and the
 * exit code that goes with it (README, "Exit codes").
 */
class JobDatabaseFailureAnalyzerTests {

	private final JobDatabaseFailureAnalyzer analyzer = new JobDatabaseFailureAnalyzer(new MockEnvironment()
		.withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/onboarding?password=hunter2")
		.withProperty("spring.datasource.username", "onboarding"));

	@Test
	void aPrivilegeTheUserLacksIsASettingToFixThatNamesTheUserAndTheGrants() {
		SQLException denied = new SQLException("ERROR: permission denied for schema public", "42501");

		FailureAnalysis analysis = this.analyzer.analyze(new IllegalStateException("Flyway failed", denied));

		assertThat(analysis.getDescription()).isEqualTo("The job's database user onboarding lacks a privilege on"
				+ " jdbc:postgresql://db:5432/onboarding?password=***: ERROR: permission denied for schema public");
		assertThat(analysis.getAction()).contains("grant it CREATE on the database and on schema public",
				"\"The job's database\"", "exit code 3");
		assertThat(ExitCodes.of(denied)).isEqualTo(ExitCodes.BAD_CONFIGURATION);
	}

	@Test
	void anObjectTheMigrationsCreateThatExistsAlreadyIsASettingToFix() {
		for (String state : new String[] { "42P06", "42P07", "42710" }) {
			SQLException exists = new SQLException("ERROR: schema \"onboarding\" already exists", state);

			FailureAnalysis analysis = this.analyzer.analyze(new IllegalStateException("Flyway failed", exists));

			assertThat(analysis.getDescription()).as(state)
				.startsWith("The job's database jdbc:postgresql://db:5432/onboarding?password=*** already holds what"
						+ " the job's migrations create")
				.endsWith("ERROR: schema \"onboarding\" already exists");
			assertThat(analysis.getAction()).as(state).startsWith("Give the job a database of its own");
			assertThat(ExitCodes.of(exists)).as(state).isEqualTo(ExitCodes.BAD_CONFIGURATION);
		}
	}

	@Test
	void aRefusedLoginOrAMissingDatabaseIsASettingToFix() {
		for (String state : new String[] { "28P01", "28000", "08004", "3D000" }) {
			SQLException refused = new SQLException("FATAL: refused", state);

			assertThat(this.analyzer.analyze(refused).getDescription()).as(state)
				.startsWith("The job's database jdbc:postgresql://db:5432/onboarding?password=*** refused the login");
			assertThat(ExitCodes.of(refused)).as(state).isEqualTo(ExitCodes.BAD_CONFIGURATION);
		}
	}

	@Test
	void aDatabaseThatCannotBeReachedNowIsWorthRunningAgain() {
		SQLException unreachable = new SQLException("Connection to db:5432 refused.", "08001");

		assertThat(this.analyzer.analyze(unreachable).getAction()).startsWith("Run the same command again once it answers");
		assertThat(ExitCodes.of(unreachable)).isEqualTo(ExitCodes.FAILED_RESTARTABLE);
	}

	@Test
	void anyOtherDatabaseFailureIsLeftToSpringBoot() {
		assertThat(this.analyzer.analyze(new SQLException("ERROR: division by zero", "22012"))).isNull();
	}

}
