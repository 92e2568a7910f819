package dev.onboardingsync.intake;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.onboardingsync.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A source table read ahead: the paging reader's state (the last page's key and the rows read into
 * the next) saved as it was after the last row the step took, mid-page and at a page's end.
 */
@Timeout(120)
class ReadAheadReaderIntegrationTests {

	private static final int PAGE_SIZE = 3;

	@BeforeAll
	static void sourceTable() {
		JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
		jdbc.execute("DROP SCHEMA IF EXISTS readahead CASCADE");
		jdbc.execute("CREATE SCHEMA readahead");
		jdbc.execute("CREATE TABLE readahead.prospects (external_id text PRIMARY KEY, phone text, country text)");
		for (int row = 1; row <= 20; row++) {
			jdbc.update("INSERT INTO readahead.prospects VALUES (?, ?, 'CN')", String.format("k-%02d", row),
					"138" + String.format("%08d", row));
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 4, 6 })
	void aRestartGoesOnAtTheRowAfterTheLastOneTaken(int taken) throws Exception {
		// given: pages of 3 rows, 4 held ahead at most
		CountingProspectReader input = new CountingProspectReader(table(), taken + 5);
		ReadAheadReader reader = new ReadAheadReader(input, ReadAheadReaderTests.VALIDATOR, 4, Duration.ofSeconds(30));
		ExecutionContext saved = new ExecutionContext();

		// when: the step takes its rows while the table is read ahead of them, into a later page
		reader.open(new ExecutionContext());
		try {
			for (int row = 0; row < taken; row++) {
				reader.read();
			}
			assertThat(input.reachedRead.await(30, TimeUnit.SECONDS)).as("read ahead").isTrue();
			reader.update(saved);
		}
		finally {
			reader.close();
		}

		// then
		assertThat(ReadAheadReaderTests.restartedAt(table(), saved)).isEqualTo(String.format("k-%02d", taken + 1));
	}

	private static ProspectReader table() {
		TestDatabase.Connection database = TestDatabase.connection();
		return InputReaders.reader("table", ReadAheadReaderTests.properties(new IntakeProperties.SourceTable(
				database.jdbcUrl(), database.username(), database.password(), "readahead.prospects", null, "external_id",
				PAGE_SIZE)));
	}

}
