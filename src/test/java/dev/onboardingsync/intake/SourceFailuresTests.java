package dev.onboardingsync.intake;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.UncategorizedSQLException;

import static org.assertj.core.api.Assertions.assertThat;

class SourceFailuresTests {

	@Test
	void aRefusedLoginIsASettingToFix() {
		assertThat(failure("28P01")).isInstanceOf(SourceSettingsException.class)
			.hasMessageContaining("intake.table.username and intake.table.password");
	}

	@Test
	void aPasswordTheServerAsksForAndDidNotGetIsASettingToFix() {
		assertThat(failure("08004")).isInstanceOf(SourceSettingsException.class);
	}

	@Test
	void aDatabaseThatDoesNotExistIsASettingToFix() {
		assertThat(failure("3D000")).isInstanceOf(SourceSettingsException.class).hasMessageContaining("intake.table.url");
	}

	@Test
	void aDatabaseThatCannotBeReachedIsWorthRetrying() {
		assertThat(failure("08001")).isNotInstanceOf(SourceSettingsException.class)
			.isNotInstanceOf(BadInputException.class)
			.hasMessageContaining("cannot be reached now");
	}

	@Test
	void aTableOrColumnThatDoesNotExistIsBadInput() {
		assertThat(failure("42P01")).isInstanceOf(BadInputException.class).hasMessageContaining("table crm.leads");
		assertThat(failure("42703")).isInstanceOf(BadInputException.class);
	}

	private static RuntimeException failure(String sqlState) {
		return SourceFailures.of(new UncategorizedSQLException("reading", "SELECT 1", new SQLException("no", sqlState)),
				"table crm.leads");
	}

}
