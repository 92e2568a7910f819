package dev.onboardingsync;

import dev.onboardingsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = { "customer-api.base-url=http://127.0.0.1:9", "customer-api.company-id=1",
		"customer-api.token=test-token" })
@ContextConfiguration(initializers = TestDatabase.Initializer.class)
class DatabaseMigrationIntegrationTests {

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void runsOnRealPostgresql() {
		// when
		String version = this.jdbc.queryForObject("select version()", String.class);

		// then
		assertThat(version).startsWith("PostgreSQL");
	}

	@Test
	void flywayCreatesSpringBatchMetadata() {
		// when
		var migrations = this.jdbc.queryForList(
				"select version from flyway_schema_history where success order by installed_rank", String.class);
		var tables = this.jdbc.queryForList(
				"select table_name from information_schema.tables where table_schema = 'public'", String.class);
		var sequences = this.jdbc.queryForList(
				"select sequence_name from information_schema.sequences where sequence_schema = 'public'",
				String.class);

		// then
		assertThat(migrations).startsWith("1");
		assertThat(tables).contains("batch_job_instance", "batch_job_execution", "batch_job_execution_params",
				"batch_step_execution", "batch_step_execution_context", "batch_job_execution_context");
		assertThat(sequences).containsExactlyInAnyOrder("batch_job_instance_seq", "batch_job_execution_seq",
				"batch_step_execution_seq");
	}

}
