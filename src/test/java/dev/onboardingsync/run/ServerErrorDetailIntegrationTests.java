package dev.onboardingsync.run;

import java.nio.file.Path;

import javax.sql.DataSource;

import dev.onboardingsync.testsupport.ServerErrorDetail;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's own connections (its pool, which Spring Batch's repository also uses, and the run
 * lock's) leave the server's error detail, row values included, out of the driver's errors.
 */
class ServerErrorDetailIntegrationTests {

	@TempDir
	private Path directory;

	@Test
	void theDriverWithoutTheSettingWouldQuoteTheDetail() throws Exception {
		TestDatabase.Connection database = TestDatabase.connection();
		DataSource plain = new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password());
		assertThat(ServerErrorDetail.errorMessage(plain.getConnection())).contains("13800138000");
	}

	@Test
	void theJobsPoolAndTheRunLockKeepRowValuesOutOfErrors() throws Exception {
		TestDatabase.Connection database = TestDatabase.connection();
		try (ConfigurableApplicationContext context = TestApplication.start(this.directory, "runs", "list")) {
			String pooled = ServerErrorDetail.errorMessage(context.getBean(DataSource.class).getConnection());
			assertThat(pooled).contains("duplicate key").doesNotContain("13800138000");
		}
		String lock = ServerErrorDetail.errorMessage(
				RunLock.Connector.direct(database.jdbcUrl(), database.username(), database.password()).connect());
		assertThat(lock).contains("duplicate key").doesNotContain("13800138000");
	}

}
