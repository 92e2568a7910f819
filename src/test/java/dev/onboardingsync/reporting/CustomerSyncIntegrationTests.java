package dev.onboardingsync.reporting;

import java.nio.file.Path;

import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sync's counts are the rows it wrote, whatever the JDBC driver reports of batches (issue 8).
 */
class CustomerSyncIntegrationTests {

	@TempDir
	private Path reports;

	@Test
	void countsTheCustomersItWroteWithBatchedInsertsRewritten() {
		// given: the driver's common speed-up, which answers batches with "success, no count"
		Sandbox sandbox = TestSandbox.reset();
		TestDatabase.Connection database = TestDatabase.connection();
		TestDatabase.Connection rewritten = new TestDatabase.Connection(
				database.jdbcUrl() + "?reWriteBatchedInserts=true", database.username(), database.password());
		assertThat(TestApplication.run(rewritten, this.reports, "runs", "list")).isZero();
		JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
		TestDatabase.truncate(jdbc);

		// when: a first sync, and a second with one customer changed since
		int first = TestApplication.run(rewritten, this.reports, "job=customerSyncJob");
		jdbc.update("UPDATE reporting.customer SET remark = 'edited here' WHERE customer_no = ?",
				sandbox.customers().get(0).customerNo());
		int second = TestApplication.run(rewritten, this.reports, "job=customerSyncJob");

		// then
		assertThat(first).isZero();
		assertThat(second).isZero();
		assertThat(jdbc.queryForList("""
				SELECT (summary->>'customersSynced') || ' ' || (summary->>'customersChanged') FROM reporting.run_summary
				ORDER BY job_execution_id""", String.class))
			.containsExactly(sandbox.customers().size() + " " + sandbox.customers().size(),
					sandbox.customers().size() + " 1");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM reporting.customer", Long.class))
			.isEqualTo(sandbox.customers().size());
	}

}
