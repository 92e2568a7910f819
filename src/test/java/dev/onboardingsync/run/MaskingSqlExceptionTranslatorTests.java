package dev.onboardingsync.run;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;

class MaskingSqlExceptionTranslatorTests {

	@Test
	void keepsTheKindOfFailureAndMasksTheValuesTheDriverQuotes() {
		// given: what pgjdbc says of a failed batch entry
		SQLException driver = new BatchUpdateException("Batch entry 0 INSERT INTO onboarding.prospect VALUES ('13800138000',"
				+ " 'jane.doe@example.org', 'dc483e80a7a0bd9ef71d8cf973673924') was aborted", "23505", 0, new int[0]);
		driver.setNextException(new SQLException(
				"ERROR: duplicate key. Detail: Failing row contains (13800138000, jane.doe@example.org)", "23505"));

		// when
		DataAccessException translated = new MaskingSqlExceptionTranslator().translate("stage", "INSERT ...", driver);

		// then
		assertThat(translated).isInstanceOf(DataIntegrityViolationException.class);
		StringBuilder everything = new StringBuilder(String.valueOf(translated.getMessage()));
		for (Throwable cause = translated.getCause(); cause != null; cause = cause.getCause()) {
			everything.append(cause.getMessage());
			if (cause instanceof SQLException sql && sql.getNextException() != null) {
				everything.append(sql.getNextException().getMessage());
			}
		}
		assertThat(everything.toString()).doesNotContain("13800138000", "jane.doe@", "dc483e80a7a0bd9ef71d8cf973673924")
			.contains("138******00", "j***@example.org", "Batch entry 0");
	}

}
