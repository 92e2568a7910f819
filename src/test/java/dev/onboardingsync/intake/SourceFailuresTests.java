package dev.onboardingsync.intake;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

	@ParameterizedTest
	@ValueSource(strings = { "08001", "08006", "53300", "53200", "57P01", "57P03", "57014", "40001", "40P01" })
	void aDatabaseThatCannotBeReadNowIsWorthRetrying(String sqlState) {
		assertThat(failure(sqlState)).isInstanceOf(SourceUnavailableException.class).hasMessageContaining("cannot be read now");
	}

	@Test
	void aUserWithoutTheGrantIsASettingToFix() {
		assertThat(failure("42501")).isInstanceOf(SourceSettingsException.class).hasMessageContaining("grant it SELECT");
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
