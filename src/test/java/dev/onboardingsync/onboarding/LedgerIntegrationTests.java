package dev.onboardingsync.onboarding;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import dev.onboardingsync.intake.BadInputException;
import dev.onboardingsync.intake.InputReaders;
import dev.onboardingsync.intake.InputRow;
import dev.onboardingsync.intake.IntakeProperties;
import dev.onboardingsync.intake.ProspectField;
import dev.onboardingsync.intake.ProspectReader;
import dev.onboardingsync.intake.ProspectValidator;
import dev.onboardingsync.intake.ValidatedRow;
import dev.onboardingsync.system.Mode;
import dev.onboardingsync.system.PlannerSettings;
import dev.onboardingsync.system.Run;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
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

	@Autowired
	private DataSource dataSource;

	@BeforeEach
	void cleanSlate() {
		TestDatabase.truncate(this.jdbc);
		this.jdbc.update("""
				INSERT INTO onboarding.run (run_id, company_id, mode, input_location, run_key)
				VALUES (?, '1', 'LIVE', 'test.csv', 'adhoc')""", RUN.runId());
	}

	@Test
	void createsNotedByManyThreadsAtOnceAreEachCommittedOnceAndSaySoOnlyTheFirstTime() throws Exception {
		// given: 400 staged prospects, and 32 threads that note each of them twice, as two attempts would
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN, rows(2, 401)));
		List<Long> ids = this.jdbc.queryForList("SELECT id FROM onboarding.prospect WHERE run_id = ? ORDER BY id",
				Long.class, RUN.runId());
		CreateSentNotes notes = new CreateSentNotes(this.ledger);
		Map<Long, Queue<Boolean>> answers = new ConcurrentHashMap<>();
		ExecutorService threads = Executors.newFixedThreadPool(32);
		try {
			List<Future<?>> noted = new ArrayList<>();
			for (long id : ids) {
				for (int attempt = 0; attempt < 2; attempt++) {
					noted.add(threads.submit(() -> answers.computeIfAbsent(id,
							(key) -> new ConcurrentLinkedQueue<>()).add(notes.note(id))));
				}
			}
			for (Future<?> note : noted) {
				note.get();
			}
		}
		finally {
			threads.shutdownNow();
		}

		// then: every prospect UNCERTAIN, and each noted once: one of its two notes said so, the other not
		assertThat(this.jdbc.queryForList("SELECT DISTINCT status FROM onboarding.prospect WHERE run_id = ?",
				String.class, RUN.runId())).containsExactly("UNCERTAIN");
		assertThat(answers).hasSize(400).allSatisfy((id, noted) -> assertThat(noted).containsExactlyInAnyOrder(true, false));
	}

	@Test
	void aNoteIsCommittedBeforeItReturnsWhateverTheCallersTransactionAndThePoolsAutoCommit() {
		// given: a staged prospect, and a ledger whose connections do not auto-commit
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN, rows(2, 2)));
		long id = this.jdbc.queryForObject("SELECT id FROM onboarding.prospect", Long.class);
		DataSource noAutoCommit = new DelegatingDataSource(this.dataSource) {
			@Override
			public Connection getConnection() throws SQLException {
				Connection connection = super.getConnection();
				connection.setAutoCommit(false);
				return connection;
			}
		};
		DataSourceTransactionManager transactions = new DataSourceTransactionManager(noAutoCommit);
		Ledger ledger = new Ledger(new NamedParameterJdbcTemplate(noAutoCommit), transactions);

		// when: noted within a transaction of the caller's that is then rolled back
		List<String> seenBeforeTheCallerEnded = new ArrayList<>();
		Set<Long> noted = new TransactionTemplate(transactions).execute((status) -> {
			status.setRollbackOnly();
			Set<Long> marked = ledger.noteCreatesSent(List.of(id));
			seenBeforeTheCallerEnded.add(status(id));
			return marked;
		});

		// then: the note was committed as it returned, and stays so, as seen from another connection
		assertThat(noted).containsExactly(id);
		assertThat(seenBeforeTheCallerEnded).containsExactly("UNCERTAIN");
		assertThat(status(id)).isEqualTo("UNCERTAIN");
	}

	@Test
	void settlementsRecordEachProspectAndItsInputRows() {
		// given: four staged prospects, a-1 with an initial password, and a duplicate of a-2 on line 6
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN,
				List.of(row(2, "a-1", "13911110001"), row(3, "a-2", "13911110002"), row(4, "a-3", "13911110003"),
						row(5, "a-4", "13911110004"), row(6, "a-2", "13911110002"))));
		this.jdbc.update("UPDATE onboarding.prospect SET pwd_md5 = md5('secret') WHERE source_id = 'a-1'");
		Map<String, Long> ids = new HashMap<>();
		Map<String, String> codes = new HashMap<>();
		this.jdbc.query("SELECT source_id, id, third_server_code FROM onboarding.prospect", (rs) -> {
			ids.put(rs.getString(1), rs.getLong(2));
			codes.put(rs.getString(1), rs.getString(3));
		});

		// when: a-1 is settled twice in the list (the last counts), a-2 and a-3 once, a-4 left UNCERTAIN
		this.transaction.executeWithoutResult((status) -> this.ledger.settle(RUN, List.of(
				new Settlement(ids.get("a-1"), codes.get("a-1"), ProspectStatus.EXISTS, null, "phone already registered", "t-1"),
				new Settlement(ids.get("a-1"), codes.get("a-1"), ProspectStatus.CREATED, "C-1", null, null),
				new Settlement(ids.get("a-2"), codes.get("a-2"), ProspectStatus.REJECTED, null, "A0400 bad phone", "t-2"),
				new Settlement(ids.get("a-3"), codes.get("a-3"), ProspectStatus.EXISTS, null, "phone already registered", "t-3"),
				new Settlement(ids.get("a-4"), codes.get("a-4"), ProspectStatus.UNCERTAIN, null, null, "t-4"))));

		// then: each prospect as its last settlement says; the password gone once settled
		assertThat(this.jdbc.queryForObject("""
				SELECT string_agg(source_id || ':' || status || ':' || coalesce(customer_no, '-') || ':'
				    || coalesce(reason, '-') || ':' || coalesce(last_trace, '-') || ':' || (pwd_md5 IS NOT NULL), ' '
				    ORDER BY source_id) FROM onboarding.prospect""", String.class))
			.isEqualTo("a-1:CREATED:C-1:-:-:false a-2:REJECTED:-:A0400 bad phone:t-2:false"
					+ " a-3:EXISTS:-:phone already registered:t-3:false a-4:UNCERTAIN:-:-:t-4:false");
		// and the input rows: the settled ones' outcome, their cells kept only where the platform rejected
		// the row; the duplicate and the unsettled one as they were
		assertThat(this.jdbc.queryForObject("""
				SELECT string_agg(line_number || ':' || outcome || ':' || coalesce(customer_no, '-') || ':'
				    || cardinality(raw), ' ' ORDER BY line_number) FROM onboarding.input_row""", String.class))
			.isEqualTo("2:CREATED:C-1:0 3:REJECTED:-:3 4:EXISTS:-:0 5:PENDING:-:3 6:DUPLICATE:-:0");
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
	void aCodeClaimedInAnEarlierChunkMakesALaterLineItsDuplicateButADuplicatesOwnCodeDoesNot() {
		// given: line 3 repeats line 2's phone, so it claims nothing, its own code b included
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN,
				List.of(row(2, "a", "13911110001"), row(3, "b", "13911110001"))));

		// when: a later chunk has line 3's code, then line 2's code
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN,
				List.of(row(5, "b", "13911110005"), row(6, "a", "13911110006"))));

		// then
		assertThat(this.jdbc.queryForMap("""
				SELECT string_agg(line_number || ':' || outcome || ':' || coalesce(reason, '-'), ' ' ORDER BY line_number)
				    AS rows FROM onboarding.input_row"""))
			.isEqualTo(Map.of("rows", "2:PENDING:- 3:DUPLICATE:same phone as line 2 5:PENDING:-"
					+ " 6:DUPLICATE:same external id as line 2"));
	}

	@Test
	void cellsAsReadAreKeptExactlyWhateverTheyHold() {
		// given: cells with what PostgreSQL's array text form and COPY's text format quote or escape, and an empty one
		List<String> cells = List.of("a-1", "13911110001", "CN", "say \"hi\", {later}", "back\\slash", "", "NULL",
				"line\nbreak", " spaced ", "tab\there", "cr\rlf", "\\N", "\\.");
		InputRow read = new InputRow(2, Map.of(ProspectField.EXTERNAL_ID, "a-1", ProspectField.PHONE, "13911110001",
				ProspectField.COUNTRY, "CN"), cells, null);
		ValidatedRow pending = new ProspectValidator(this.intake).process(read);
		ValidatedRow rejected = ValidatedRow.rejected(new InputRow(3, Map.of(), cells, null), "phone is missing");

		// when
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN, List.of(pending, rejected)));

		// then: both rows keep every cell as read
		assertThat(this.jdbc.queryForList("SELECT raw FROM onboarding.input_row ORDER BY line_number", java.sql.Array.class)
			.stream()
			.map((array) -> {
				try {
					return List.of((String[]) array.getArray());
				}
				catch (java.sql.SQLException ex) {
					throw new IllegalStateException(ex);
				}
			})
			.toList()).containsExactly(cells, cells);
	}

	@Test
	void aFileThatGaveFewerRowsThanItsPreReadCountedIsRefused(@TempDir Path directory) throws Exception {
		// given: 4 rows staged of a file the pre-read counted 7 rows in (as a reader that lost rows would)
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN, rows(2, 5)));
		Path file = Files.writeString(directory.resolve("seven.csv"), "external_id,phone,country\n" + "x,1,CN\n".repeat(7));

		// when / then
		assertThatThrownBy(() -> check(7, () -> InputReaders.reader(file.toString(), this.intake), false))
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("The input had 7 rows when run 7001 started, and the run staged 4");
		check(4, () -> {
			throw new AssertionError("a file is not read again");
		}, false);
	}

	@Test
	void rowsATableGainedBehindTheReaderAreStagedAfterTheLastLine() throws Exception {
		// given: l-2..l-5 staged from a table that now also holds l-3b (added behind the reader) and l-9
		// (after the run's upper key): as many rows as the pre-read counted (one it counted was deleted)
		this.jdbc.execute("DROP SCHEMA IF EXISTS ledger_source CASCADE");
		this.jdbc.execute("CREATE SCHEMA ledger_source");
		this.jdbc.execute("CREATE TABLE ledger_source.prospects (external_id text PRIMARY KEY, phone text, country text)");
		this.jdbc.execute("INSERT INTO ledger_source.prospects VALUES ('l-2', '13900000002', 'CN'),"
				+ " ('l-3', '13900000003', 'CN'), ('l-3b', '13900000033', 'CN'), ('l-4', '13900000004', 'CN'),"
				+ " ('l-5', '13900000005', 'CN'), ('l-9', '13900000009', 'CN')");
		List<ValidatedRow> staged = LongStream.rangeClosed(2, 5).mapToObj((line) -> {
			ValidatedRow row = row(line, "l-" + line, "139" + String.format("%08d", line));
			return ValidatedRow.accepted(new InputRow(line, row.row().values(), row.row().raw(), null, "l-" + line),
					row.prospect());
		}).toList();
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN, staged));
		TestDatabase.Connection database = TestDatabase.connection();
		IntakeProperties table = new IntakeProperties(",", Map.of(), this.intake.defaults(), Map.of(), "os-",
				new IntakeProperties.SourceTable(database.jdbcUrl(), database.username(), database.password(),
						"ledger_source.prospects", null, "external_id", 500),
				this.intake.phoneNumberTypes());

		// when
		check(4, () -> InputReaders.reader(InputReaders.TABLE, table, "l-5"), true);

		// then
		assertThat(this.jdbc.queryForList("SELECT line_number || ':' || source_key || ':' || outcome"
				+ " FROM onboarding.input_row WHERE run_id = ? ORDER BY line_number", String.class, RUN.runId()))
			.containsExactly("2:l-2:PENDING", "3:l-3:PENDING", "4:l-4:PENDING", "5:l-5:PENDING", "6:l-3b:PENDING");
	}

	@Test
	void prospectsAnEarlierLiveRunSettledAreAlreadyOnboardedInLiveAndDryRunsAndStayAsTheyWere() {
		// given: an earlier live run settled a-1 (CREATED) and a-2 (EXISTS), left a-3 UNCERTAIN and a-4 REJECTED
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(RUN,
				List.of(row(2, "a-1", "13911110001"), row(3, "a-2", "13911110002"), row(4, "a-3", "13911110003"),
						row(5, "a-4", "13911110004"))));
		this.jdbc.update("""
				UPDATE onboarding.prospect SET status = CASE source_id WHEN 'a-1' THEN 'CREATED' WHEN 'a-2' THEN 'EXISTS'
				    WHEN 'a-3' THEN 'UNCERTAIN' ELSE 'REJECTED' END,
				    customer_no = CASE source_id WHEN 'a-1' THEN 'C-1' END""");
		Run live = new Run(7002, "1", Mode.LIVE);
		Run dry = new Run(7003, "1", Mode.DRY_RUN);
		for (Run run : List.of(live, dry)) {
			this.jdbc.update("""
					INSERT INTO onboarding.run (run_id, company_id, mode, input_location, run_key)
					VALUES (?, '1', ?, 'test.csv', 'adhoc')""", run.runId(), run.mode().name());
		}
		List<ValidatedRow> again = List.of(row(2, "a-1", "13911110001"), row(3, "a-2", "13911110002"),
				row(4, "a-3", "13911110003"), row(5, "a-4", "13911110004"), row(6, "a-5", "13911110005"));

		// when: a live run and a dry run stage them again, with a new one
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(live, again));
		this.transaction.executeWithoutResult((status) -> this.ledger.stage(dry, again));

		// then: the settled ones are ALREADY_ONBOARDED in both, with the run and customer that settled them
		for (Run run : List.of(live, dry)) {
			assertThat(this.jdbc.queryForObject("""
					SELECT string_agg(line_number || ':' || outcome || ':' || coalesce(reason, '-') || ':'
					    || coalesce(customer_no, '-'), ' ' ORDER BY line_number) FROM onboarding.input_row WHERE run_id = ?""",
					String.class, run.runId()))
				.isEqualTo("2:ALREADY_ONBOARDED:onboarded as CREATED by run 7001:C-1"
						+ " 3:ALREADY_ONBOARDED:onboarded as EXISTS by run 7001:- 4:PENDING:-:- 5:PENDING:-:- 6:PENDING:-:-");
		}
		// and the live prospects: the settled ones untouched, the uncertain one still to be checked, the others staged
		assertThat(this.jdbc.queryForObject("""
				SELECT string_agg(source_id || ':' || status || ':' || run_id, ' ' ORDER BY source_id)
				FROM onboarding.prospect WHERE mode = 'LIVE'""", String.class))
			.isEqualTo("a-1:CREATED:7001 a-2:EXISTS:7001 a-3:UNCERTAIN:7002 a-4:PENDING:7002 a-5:PENDING:7002");
		assertThat(this.jdbc.queryForObject("""
				SELECT string_agg(source_id || ':' || status, ' ' ORDER BY source_id)
				FROM onboarding.prospect WHERE mode = 'DRY_RUN'""", String.class))
			.isEqualTo("a-3:PENDING a-4:PENDING a-5:PENDING");
	}

	private String status(long prospectId) {
		return this.jdbc.queryForObject("SELECT status FROM onboarding.prospect WHERE id = ?", String.class, prospectId);
	}

	private void check(long inputRows, Supplier<ProspectReader> input, boolean table) throws Exception {
		this.transaction.execute((status) -> {
			try {
				new StagedRowsCheck(new NamedParameterJdbcTemplate(this.jdbc), this.ledger).check(RUN, inputRows, input,
						new ProspectValidator(this.intake), table);
				return null;
			}
			catch (RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	@Test
	void aChunksClaimsAreLookedUpKeyByKeyOnTablesAnalysedWhileEmpty() {
		// given: the tables analysed while empty, as a first run on a new database finds them before
		// autovacuum's analyse (kept away meanwhile)
		this.jdbc.execute("ANALYZE onboarding.run_claim, onboarding.input_row");
		withoutAutovacuum(() -> {
			// when, then
			assertLookUpReadsNoMoreRowsThanKeys(RUN);
		});
	}

	@Test
	void aChunksClaimsAreLookedUpKeyByKeyOnTablesAnalysedWithAnEarlierRun() {
		// given: an earlier run's 30,000 rows staged and analysed: the statistics do not know the new run
		// (a second run on a young ledger: the code's look-up read the run's rows per code, 1.7 million rows)
		Run earlier = new Run(7002, "1", Mode.LIVE);
		this.jdbc.update("""
				INSERT INTO onboarding.run (run_id, company_id, mode, input_location, run_key)
				VALUES (?, '1', 'LIVE', 'earlier.csv', 'adhoc')""", earlier.runId());
		withoutAutovacuum(() -> {
			stageInChunks(earlier, 2, 30001, "e-");
			this.jdbc.execute("ANALYZE onboarding.run_claim, onboarding.input_row");

			// when, then
			assertLookUpReadsNoMoreRowsThanKeys(RUN);
		});
	}

	// 4,000 rows of the run staged in chunks of 500, then a next chunk's claims looked up: 400 new rows
	// and 100 that repeat the phones and codes of staged ones. Each of their keys is found with its line,
	// and the look-up reads no more rows of the ledger's tables than it was given keys (the session's
	// counts of rows read, pg_stat_xact_user_tables, before and after it).
	private void assertLookUpReadsNoMoreRowsThanKeys(Run run) {
		stageInChunks(run, 2, 4001, "l-");
		List<ValidatedRow> repeated = rows(1002, 1101);
		List<ValidatedRow> next = new ArrayList<>(rows(4002, 4401));
		next.addAll(repeated);
		List<String> keys = next.stream().flatMap((row) -> StagingRules.claimKeys(row.prospect()).keySet().stream()).toList();
		List<String> codes = next.stream().map((row) -> row.prospect().thirdServerCode()).toList();
		MapSqlParameterSource parameters = new MapSqlParameterSource("runId", run.runId())
			.addValue("keys", Ledger.textArray(keys))
			.addValue("codes", Ledger.textArray(codes))
			.addValue("codeKey", StagingRules.CODE_KEY);
		NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(this.jdbc);
		Map<String, Long> found = new HashMap<>();

		long read = this.transaction.execute((status) -> {
			// as in a chunk's transaction, on a connection whose earlier chunks prepared the look-up
			LedgerStaging.settings(this.jdbc);
			long before = rowsReadOfTheLedger();
			named.query(LedgerStaging.EXISTING_CLAIMS, parameters, (rs) -> {
				long line = rs.getLong(2);
				if (!rs.wasNull()) {
					found.put(rs.getString(1), line);
				}
			});
			return rowsReadOfTheLedger() - before;
		});

		Map<String, Long> expected = new HashMap<>();
		repeated.forEach((row) -> StagingRules.claimKeys(row.prospect())
			.keySet()
			.forEach((key) -> expected.put(key, row.row().lineNumber())));
		assertThat(found).isEqualTo(expected);
		assertThat(read).as("rows of run_claim and input_row read, for %s keys", keys.size() + codes.size())
			.isLessThanOrEqualTo(keys.size() + codes.size());
	}

	@Test
	void settlementsFindTheirRowsKeyByKeyInARunOfThousandsThatTheStatisticsCountAsOneRow() {
		// given: an earlier run's 30,000 rows settled and analysed (no PENDING row counted), then this run's
		// 4,000 staged, through its ANALYZE at line 1,024, which does not sample the outcome: the run's
		// PENDING rows estimated at one (auto_explain of a job: 0.7 to 1.7 s for 500 settlements)
		assertSettlementsFindTheirRowsKeyByKey(30_000, 2, 4_000);
	}

	@Test
	void settlementsFindTheirRowsKeyByKeyInARunTooSmallForItsOwnStatistics() {
		// given: an earlier run's 10,000 rows settled and analysed, then a run of 1,000 (no ANALYZE of its own)
		assertSettlementsFindTheirRowsKeyByKey(10_000, 2, 1_000);
	}

	@Test
	void settlementsFindTheirRowsKeyByKeyOnALedgerOfAFewPages() {
		// given: an earlier run's 200 rows settled and analysed, then a run of 1,000 (a fresh reviewer: the
		// table scanned first, its PENDING rows estimated at one, and every probe run again for each row)
		assertSettlementsFindTheirRowsKeyByKey(200, 2, 1_000);
	}

	@Test
	void settlementsFindTheirRowsKeyByKeyInAFirstRunOnTablesAnalysedWhileEmpty() {
		assertSettlementsFindTheirRowsKeyByKey(0, 2, 1_000);
	}

	@Test
	void settlementsFindTheirRowsKeyByKeyInARunNeverAnalysed() {
		// given: 4,000 rows from line 1,025 on, so that the run's own ANALYZE never comes (as for a role that
		// may not ANALYZE the ledger's tables, README), on tables analysed while empty
		assertSettlementsFindTheirRowsKeyByKey(0, 1_025, 4_000);
	}

	// An earlier run's rows staged, settled and analysed with the tables, then this run's rows staged, and
	// 500 of its prospects settled, as a transaction of the onboard step records them. The update of their
	// input rows is run under EXPLAIN ANALYZE, with the settings it runs with: no step of its plan handles
	// more rows, in all its loops, than there are settlements (a loop over the run's rows that compared each
	// with every settlement handled 2 million), and it settles each of them.
	private void assertSettlementsFindTheirRowsKeyByKey(int earlierRows, int firstLine, int runRows) {
		Run earlier = new Run(7002, "1", Mode.LIVE);
		this.jdbc.update("""
				INSERT INTO onboarding.run (run_id, company_id, mode, input_location, run_key)
				VALUES (?, '1', 'LIVE', 'earlier.csv', 'adhoc')""", earlier.runId());
		withoutAutovacuum(() -> {
			if (earlierRows > 0) {
				stageInChunks(earlier, 2, earlierRows + 1, "e-");
				this.jdbc.update("UPDATE onboarding.input_row SET outcome = 'CREATED', raw = '{}' WHERE run_id = ?",
						earlier.runId());
			}
			this.jdbc.execute("ANALYZE onboarding.input_row, onboarding.prospect");
			stageInChunks(RUN, firstLine, firstLine + runRows - 1, "l-");
			List<Settlement> settlements = this.jdbc.query("""
					SELECT id, third_server_code FROM onboarding.prospect WHERE run_id = ? ORDER BY id DESC LIMIT 500""",
					(rs, row) -> new Settlement(rs.getLong(1), rs.getString(2), ProspectStatus.CREATED,
							"C-" + rs.getLong(1), null, "t-" + row),
					RUN.runId());

			// when
			String plan = this.transaction.execute((status) -> {
				this.ledger.settle(RUN, settlements.subList(0, 1));
				return PlannerSettings.during(this.jdbc, Ledger.SETTLE_ROWS_SETTINGS,
						() -> new NamedParameterJdbcTemplate(this.jdbc).queryForObject(
								"EXPLAIN (ANALYZE, FORMAT JSON) " + Ledger.SETTLE_ROWS,
								Ledger.settledRows(RUN, settlements.subList(1, 500)).parameters(), String.class));
			});

			// then
			JsonNode root = JsonMapper.shared().readTree(plan).get(0).get("Plan");
			assertThat(rowsOfEachStep(root)).as("rows each step of the plan handled, for 499 settlements: %s", plan)
				.allSatisfy((rows) -> assertThat(rows).isLessThanOrEqualTo(499));
			assertThat(this.jdbc.queryForObject("""
					SELECT count(*) FROM onboarding.input_row WHERE run_id = ? AND outcome = 'CREATED'
					    AND customer_no LIKE 'C-%' AND raw = '{}'""", Long.class, RUN.runId())).isEqualTo(500);
		});
	}

	// Rows a step returned and rows it read and dropped (by its filters), over all its loops.
	private static List<Long> rowsOfEachStep(JsonNode step) {
		long perLoop = step.get("Actual Rows").asLong();
		for (String removed : List.of("Rows Removed by Filter", "Rows Removed by Join Filter",
				"Rows Removed by Index Recheck")) {
			perLoop += step.has(removed) ? step.get(removed).asLong() : 0;
		}
		List<Long> rows = new ArrayList<>(List.of(perLoop * step.get("Actual Loops").asLong()));
		if (step.has("Plans")) {
			step.get("Plans").forEach((child) -> rows.addAll(rowsOfEachStep(child)));
		}
		return rows;
	}

	// Rows of run_claim and input_row that this transaction has read so far, by scans and index fetches.
	private long rowsReadOfTheLedger() {
		return this.jdbc.queryForObject("""
				SELECT coalesce(sum(coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)), 0) FROM pg_stat_xact_user_tables
				WHERE relid IN ('onboarding.run_claim'::regclass, 'onboarding.input_row'::regclass)""", Long.class);
	}

	private void stageInChunks(Run run, long firstLine, long lastLine, String externalIdPrefix) {
		for (long first = firstLine; first <= lastLine; first += 500) {
			List<ValidatedRow> chunk = LongStream.rangeClosed(first, Math.min(first + 499, lastLine))
				.mapToObj((line) -> row(line, externalIdPrefix + line, "139" + String.format("%08d", line)))
				.toList();
			this.transaction.executeWithoutResult((status) -> this.ledger.stage(run, chunk));
		}
	}

	private void withoutAutovacuum(Runnable work) {
		this.jdbc.execute("ALTER TABLE onboarding.run_claim SET (autovacuum_enabled = false)");
		this.jdbc.execute("ALTER TABLE onboarding.input_row SET (autovacuum_enabled = false)");
		try {
			work.run();
		}
		finally {
			this.jdbc.execute("ALTER TABLE onboarding.run_claim RESET (autovacuum_enabled)");
			this.jdbc.execute("ALTER TABLE onboarding.input_row RESET (autovacuum_enabled)");
		}
	}

	private List<ValidatedRow> rows(long firstLine, long lastLine) {
		return LongStream.rangeClosed(firstLine, lastLine)
			.mapToObj((line) -> row(line, "l-" + line, "139" + String.format("%08d", line)))
			.toList();
	}

	private ValidatedRow row(long line, String externalId, String phone) {
		InputRow row = new InputRow(line,
				Map.of(ProspectField.EXTERNAL_ID, externalId, ProspectField.PHONE, phone, ProspectField.COUNTRY, "CN"),
				List.of(externalId, phone, "CN"), null);
		return new ProspectValidator(this.intake).process(row);
	}

}
