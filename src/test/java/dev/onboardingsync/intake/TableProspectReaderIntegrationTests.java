package dev.onboardingsync.intake;

import java.util.ArrayList;
import java.util.List;

import dev.onboardingsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class TableProspectReaderIntegrationTests {

	// A resumed run keeps the largest key its first execution had (issue 13). A fresh user's try emptied
	// the table before resuming: the key's type, taken from the largest row, was then unknown, the key
	// was compared as text ("bigint <= text"), and every resume failed as bad input.
	@Test
	void aSourceEmptiedBeforeARunResumesIsReadToItsKeptKeyAndHoldsNothing() throws Exception {
		// given: a table keyed by bigint, emptied after a run counted it up to key 5
		JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
		jdbc.execute("DROP SCHEMA IF EXISTS emptied CASCADE");
		jdbc.execute("CREATE SCHEMA emptied");
		jdbc.execute("CREATE TABLE emptied.prospects (external_id bigint PRIMARY KEY, phone text, country text)");
		TestDatabase.Connection database = TestDatabase.connection();
		IntakeProperties properties = ReadAheadReaderTests.properties(new IntakeProperties.SourceTable(database.jdbcUrl(),
				database.username(), database.password(), "emptied.prospects", null, "external_id", 3));
		ProspectReader reader = InputReaders.reader("table", properties, "5");

		// when
		List<String> keys = new ArrayList<>();
		reader.open(new ExecutionContext());
		InputRow first;
		try {
			first = reader.read();
			reader.forEachKey(keys::add);
		}
		finally {
			reader.close();
		}

		// then
		assertThat(first).isNull();
		assertThat(keys).isEmpty();
	}

}
