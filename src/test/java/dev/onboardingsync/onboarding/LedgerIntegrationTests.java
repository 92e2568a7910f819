package dev.onboardingsync.onboarding;

import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import java.util.stream.LongStream;

import dev.onboardingsync.intake.BadInputException;
import dev.onboardingsync.intake.InputRow;
import dev.onboardingsync.intake.IntakeProperties;
import dev.onboardingsync.intake.ProspectField;
import dev.onboardingsync.intake.ProspectValidator;
import dev.onboardingsync.intake.StagedRow;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(properties = "onboarding.command.enabled=false")
@ContextConfiguration(initializers = { TestDatabase.Initializer.class, TestSandbox.Initializer.class })
class LedgerIntegrationTests {

	private static final Run RUN = new Run(7001, "1", Mode.LIVE);

	@Autowired
	private Ledger ledger;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private IntakeProperties intake;

	@Autowired
	private TransactionTemplate transaction;

	@BeforeEach
	void cleanSlate() {
		TestDatabase.truncate(this.jdbc);
		this.jdbc.update("""
				INSERT INTO onboarding.run (run_id, company_id, mode, input_location, run_key)
				VALUES (?, '1', 'LIVE', 'test.csv', 'adhoc')""", RUN.runId());
	}

	@Test
	void stagingLinesAgainFromAnEarlierPositionRecordsEachLineOnce() {
		// given: lines 2..41 staged, as by an execution killed after its commits
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN, rows(2, 41)));

		// when: a restart reads again from line 2 (its saved position was lost) to the end, line 81
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN, rows(2, 61)));
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN, rows(62, 81)));

		// then: one outcome per line, none a duplicate of itself, one prospect per external id
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row", Long.class)).isEqualTo(80);
		assertThat(this.jdbc.queryForList("SELECT DISTINCT outcome FROM onboarding.input_row", String.class))
			.containsExactly("PENDING");
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM onboarding.prospect WHERE run_id = ?", Long.class,
				RUN.runId()))
			.isEqualTo(80);
	}

	@Test
	void aLineStagedAgainKeepsItsFirstOutcomeWhileLaterLinesStillSeeItsClaims() {
		// given: line 3 claims a phone that line 5 repeats
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN,
				List.of(row(2, "a-1", "13911110001"), row(3, "a-2", "13911110002"))));

		// when: a restart stages lines 2 and 3 again, then line 5 with line 3's phone
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN,
				List.of(row(2, "a-1", "13911110001"), row(3, "a-2", "13911110002"), row(5, "a-3", "13911110002"))));

		// then
		assertThat(this.jdbc.queryForMap("""
				SELECT string_agg(line_number || ':' || outcome || ':' || coalesce(duplicate_of::text, '-'), ' '
				    ORDER BY line_number) AS rows FROM onboarding.input_row"""))
			.isEqualTo(Map.of("rows", "2:PENDING:- 3:PENDING:- 5:DUPLICATE:3"));
	}

	@Test
	void aRunThatStagedFewerRowsThanItsInputHadIsRefused() {
		// given: 4 rows staged of an input the pre-read counted 7 rows in (as keyset paging lost rows)
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN, rows(2, 5)));

		// when / then: a file, and a table that had 7 rows then and now
		assertThatThrownBy(() -> this.ledger.checkAllStaged(RUN, 7, OptionalLong::empty))
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("The input had 7 rows when this execution of run 7001 started, and the run staged 4");
		assertThatThrownBy(() -> this.ledger.checkAllStaged(RUN, 7, () -> OptionalLong.of(7)))
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("The input had 7 rows when this execution of run 7001 started (7 now), and the run"
					+ " staged 4: rows were skipped");
		this.ledger.checkAllStaged(RUN, 4, OptionalLong::empty);
	}

	@Test
	void aTableThatChangedWhileTheRunReadItPassesWhenNoRowItHadThroughoutCanBeMissing() {
		// given: 4 rows staged
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN, rows(2, 5)));

		// when / then: rows added behind the reader (3 then, 6 now), or rows deleted after they were read
		this.ledger.checkAllStaged(RUN, 3, () -> OptionalLong.of(6));
		this.ledger.checkAllStaged(RUN, 4, () -> OptionalLong.of(2));
		this.ledger.checkAllStaged(RUN, 6, () -> OptionalLong.of(4));
		assertThatThrownBy(() -> this.ledger.checkAllStaged(RUN, 5, () -> OptionalLong.of(6)))
			.isInstanceOf(BadInputException.class);
	}

	private List<StagedRow> rows(long firstLine, long lastLine) {
		return LongStream.rangeClosed(firstLine, lastLine)
			.mapToObj((line) -> row(line, "l-" + line, "139" + String.format("%08d", line)))
			.toList();
	}

	private StagedRow row(long line, String externalId, String phone) {
		InputRow row = new InputRow(line,
				Map.of(ProspectField.EXTERNAL_ID, externalId, ProspectField.PHONE, phone, ProspectField.COUNTRY, "CN"),
				List.of(externalId, phone, "CN"), null);
		return new ProspectValidator(this.intake).process(row);
	}

}
