package dev.onboardingsync.intake;

import dev.onboardingsync.testsupport.ServerErrorDetail;
import dev.onboardingsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The source table's connections: read-only, and no row values in the driver's errors (issue 11). */
class SourceConnectionIntegrationTests {

	@Test
	void theSourcesConnectionsKeepRowValuesOutOfErrors() throws Exception {
		TestDatabase.Connection database = TestDatabase.connection();
		IntakeProperties.SourceTable table = new IntakeProperties.SourceTable(database.jdbcUrl(), database.username(),
				database.password(), "crm.prospects", null, "external_id", 500);

		String error = ServerErrorDetail.errorMessage(InputReaders.sourceDataSource(table).getConnection());

		assertThat(error).contains("duplicate key").doesNotContain("13800138000");
	}

}
