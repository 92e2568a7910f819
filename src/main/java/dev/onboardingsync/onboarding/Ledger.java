package dev.onboardingsync.onboarding;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.intake.ValidatedRow;
import dev.onboardingsync.system.PlannerSettings;
import dev.onboardingsync.system.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.support.AbstractSqlTypeValue;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The onboarding ledger in PostgreSQL: one row per input row with its outcome, the identities each
 * run has seen, and one prospect per {@code thirdServerCode}. Every write to {@code onboarding.*}
 * by a step goes through it (issue 11). Its writes join the caller's transaction: the staging
 * step's chunk, with its reader's position; the onboard step's, which saves no position (the status
 * is its process indicator). The notes of creates commit apart, at once ({@link #noteCreatesSent}).
 */
public class Ledger {

	private static final Logger logger = LoggerFactory.getLogger(Ledger.class);

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	private final TransactionTemplate noTransaction;

	private final LedgerStaging staging;

	private final LedgerLinks links;

	public Ledger(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.staging = new LedgerStaging(jdbc);
		this.links = new LedgerLinks(jdbc);
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.noTransaction = new TransactionTemplate(transactionManager);
		this.noTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
	}

	/**
	 * Notes, committed at once and apart from any chunk, that creates for the prospects are about
	 * to be sent: from here on each is {@code UNCERTAIN} until its answer is recorded, so no later
	 * attempt or run sends another create without a check first. One statement for all of them
	 * ({@link CreateSentNotes} gathers the notes of the API threads, issue 13).
	 * @param prospectIds ids of {@code onboarding.prospect}
	 * @return those that were {@code PENDING} and are now noted; one missing was already
	 * {@code UNCERTAIN}: an earlier create may have been sent
	 */
	public Set<Long> noteCreatesSent(Collection<Long> prospectIds) {
		// One statement, committed apart, in one round trip instead of two (the update with its BEGIN,
		// then the COMMIT; issue 13).
		return committedApart((connection) -> {
			Set<Long> marked = new HashSet<>();
			try (PreparedStatement statement = connection.prepareStatement("""
					UPDATE onboarding.prospect SET status = 'UNCERTAIN', updated_at = now()
					WHERE id = ANY(?) AND status = 'PENDING' RETURNING id""")) {
				statement.setArray(1, connection.createArrayOf("bigint", prospectIds.toArray()));
				try (ResultSet result = statement.executeQuery()) {
					while (result.next()) {
						marked.add(result.getLong(1));
					}
				}
			}
			return marked;
		});
	}

	// Outside any transaction of the caller's, on a connection of its own: in auto-commit (the pool's
	// default) PostgreSQL commits each statement before it reports it ready, and pgjdbc returns only
	// then. A pool set not to auto-commit gets the commit asked for: what this writes must not be rolled
	// back by the connection's return to the pool.
	private <T> T committedApart(ConnectionCallback<T> work) {
		return this.noTransaction.execute((status) -> this.jdbc.getJdbcTemplate().execute((Connection connection) -> {
			T result = work.doInConnection(connection);
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
			return result;
		}));
	}

	/**
	 * Records a run in {@code onboarding.run} when its first execution starts; a later execution
	 * leaves it as it is.
	 * @param input the input as given, {@code null} for the sync alone
	 * @param checksum a file's SHA-256, or {@code null}
	 * @param intakeSettings the settings the run reads its input with, by property name, or {@code null}
	 */
	public void registerRun(Run run, String input, String checksum, String runKey,
			SortedMap<String, String> intakeSettings) {
		this.jdbc.update("""
				INSERT INTO onboarding.run (run_id, company_id, mode, input_location, input_checksum, run_key,
				    intake_settings)
				VALUES (:runId, :companyId, :mode, :input, :checksum, :runKey, CAST(:settings AS jsonb))
				ON CONFLICT (run_id) DO NOTHING""",
				new MapSqlParameterSource().addValue("runId", run.runId())
					.addValue("companyId", run.companyId())
					.addValue("mode", run.mode().name())
					.addValue("input", input)
					.addValue("checksum", checksum)
					.addValue("runKey", runKey)
					.addValue("settings", (intakeSettings != null) ? ApiJson.mapper().writeValueAsString(intakeSettings) : null));
	}

	/** Keeps the input's header with the run, once: what its rejected rows are exported under. */
	public void recordHeader(Run run, List<String> header) {
		if (header != null) {
			this.jdbc.update("UPDATE onboarding.run SET input_header = :header WHERE run_id = :runId"
					+ " AND input_header IS NULL", new MapSqlParameterSource("runId", run.runId())
						.addValue("header", header.stream().map((name) -> (name != null) ? name : "").toArray(String[]::new)));
		}
	}

	/** Prospects of the run still to settle. */
	public long countUnsettled(Run run) {
		Long count = this.jdbc.queryForObject("""
				SELECT count(*) FROM onboarding.prospect WHERE run_id = :runId AND status IN ('PENDING', 'UNCERTAIN')""",
				new MapSqlParameterSource("runId", run.runId()), Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Takes back for the run the unsettled prospects of its {@code PENDING} rows that another run of
	 * the company staged again since (its own input, under another run key: staging makes the last run
	 * that stages a prospect its owner), so that the run's onboard step settles them itself. Without
	 * it a run resumed after another had taken its prospects found none to settle and failed its
	 * reconcile on every rerun, for as long as the other run did not complete (a fresh user's try,
	 * issue 13). The company's run lock keeps the other run from running meanwhile; a prospect keeps
	 * its status (an {@code UNCERTAIN} one is still checked first) and the values last staged for it,
	 * the newer input's; the other run's rows, when it resumes, take the outcome this run settles
	 * ({@link #link}) or take the prospect back in turn. Nothing to take in a run's first job
	 * execution, which holds the lock from its staging on: then it costs one query.
	 * @param jobExecutionId the execution under way
	 * @return how many prospects the run took back
	 */
	public int takeBackPending(Run run, long jobExecutionId) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("runId", run.runId())
			.addValue("mode", run.mode().name())
			.addValue("executionId", jobExecutionId);
		Boolean resumed = this.jdbc.queryForObject("""
				SELECT EXISTS (SELECT 1 FROM public.batch_job_execution
				               WHERE job_instance_id = :runId AND job_execution_id < :executionId)""", parameters,
				Boolean.class);
		if (!Boolean.TRUE.equals(resumed)) {
			return 0;
		}
		return this.jdbc.update("""
				UPDATE onboarding.prospect p SET run_id = r.run_id, updated_at = now()
				FROM onboarding.input_row r, onboarding.run u
				WHERE r.run_id = :runId AND r.outcome = 'PENDING' AND u.run_id = r.run_id
				  AND p.company_id = u.company_id AND p.mode = :mode AND p.third_server_code = r.third_server_code
				  AND p.run_id <> r.run_id AND p.status IN ('PENDING', 'UNCERTAIN')""", parameters);
	}

	/**
	 * Records what the onboard step found, prospect and input rows alike. A settled prospect drops
	 * any initial password it carried, and its input rows their cells as read unless the platform
	 * rejected it (the rejected-rows file needs them); an unsettled one keeps the input rows
	 * {@code PENDING}.
	 */
	public void settle(Run run, List<Settlement> settlements) {
		// One statement per table, the settlements as one array per column (a statement per settlement
		// cost PostgreSQL an execution each: two per prospect, issue 13). A prospect settled twice in the
		// list (the onboard step settles each once) takes its last settlement whole.
		Map<Long, Settlement> last = new LinkedHashMap<>();
		settlements.forEach((settlement) -> last.put(settlement.prospectId(), settlement));
		if (last.isEmpty()) {
			return;
		}
		StagedColumns prospects = new StagedColumns();
		for (Settlement settlement : last.values()) {
			prospects.add("prospectId", settlement.prospectId());
			prospects.add("status", settlement.status().name());
			prospects.add("customerNo", settlement.customerNo());
			prospects.add("reason", settlement.reason());
			prospects.add("trace", settlement.trace());
			prospects.add("settled", settlement.status().settled());
			prospects.endRow();
		}
		this.jdbc.update("""
				UPDATE onboarding.prospect p SET status = s.status, customer_no = s.customer_no, reason = s.reason,
				    last_trace = COALESCE(s.trace, p.last_trace),
				    pwd_md5 = CASE WHEN s.settled THEN NULL ELSE p.pwd_md5 END, updated_at = now()
				FROM unnest(CAST(:prospectId AS bigint[]), CAST(:status AS text[]), CAST(:customerNo AS text[]),
				    CAST(:reason AS text[]), CAST(:trace AS text[]), CAST(:settled AS boolean[]))
				    AS s (prospect_id, status, customer_no, reason, trace, settled)
				WHERE p.id = s.prospect_id""", prospects.parameters());
		StagedColumns rows = settledRows(run, last.values());
		if (rows.size() > 0) {
			PlannerSettings.during(this.jdbc.getJdbcTemplate(), SETTLE_ROWS_SETTINGS,
					() -> this.jdbc.update(SETTLE_ROWS, rows.parameters()));
		}
	}

	// The input rows' side of the settled ones: the run, the code, the outcome, the customerNo and why.
	static StagedColumns settledRows(Run run, Collection<Settlement> settlements) {
		StagedColumns rows = new StagedColumns();
		for (Settlement settlement : settlements) {
			if (settlement.status().settled()) {
				rows.add("runId", run.runId());
				rows.add("thirdServerCode", settlement.thirdServerCode());
				rows.add("outcome", settlement.status().outcome().name());
				rows.add("customerNo", settlement.customerNo());
				rows.add("reason", settlement.reason());
				rows.endRow();
			}
		}
		return rows;
	}

	// Each settlement finds its PENDING row by a probe of input_row_identity_idx, whatever the statistics
	// say (issue 13): the probe is a LATERAL subquery of the settlement, which PostgreSQL runs for each
	// one (OFFSET 0 keeps it from being merged into the join), and the row is then updated by its ctid.
	// Joined by run and code instead, PostgreSQL looped over input_row and compared each row with every
	// settlement whenever its statistics undercounted the run's PENDING rows, which the run's ANALYZE at
	// line 1,024 does not sample: 0.7 to 1.7 s a transaction of 500 once the run had 10,000 rows
	// (auto_explain; BENCHMARKS.md, "A settlement per key"). The run comes with each settlement, not as a
	// constant, so that a scan of the run's rows by the primary key never looks as cheap as the probe. And
	// with no sequential scan (SETTLE_ROWS_SETTINGS): on a ledger of a few pages, PostgreSQL otherwise
	// scanned input_row first, its PENDING rows estimated at one, and ran every probe again for each row it
	// found (a fresh reviewer: 1.5 s for a run of 1,000 rows after 200 settled ones). A row is found and
	// updated by its ctid in one statement, which is exact because no other transaction writes the run's
	// input rows meanwhile: the company's run lock (RunLockGuard) keeps every other run out.
	static final String SETTLE_ROWS = """
			UPDATE onboarding.input_row r SET outcome = s.outcome, customer_no = s.customer_no, reason = s.reason,
			    raw = CASE WHEN s.outcome = 'REJECTED' THEN r.raw ELSE '{}' END
			FROM unnest(CAST(:runId AS bigint[]), CAST(:thirdServerCode AS text[]), CAST(:outcome AS text[]),
			    CAST(:customerNo AS text[]), CAST(:reason AS text[])) AS s (run_id, third_server_code, outcome, customer_no, reason)
			CROSS JOIN LATERAL (SELECT i.ctid AS row_id FROM onboarding.input_row i
			    WHERE i.run_id = s.run_id AND i.third_server_code = s.third_server_code AND i.outcome = 'PENDING'
			    OFFSET 0) AS pending
			WHERE r.ctid = pending.row_id AND r.outcome = 'PENDING'""";

	static final Map<String, String> SETTLE_ROWS_SETTINGS = Map.of("enable_seqscan", "off");

	/**
	 * {@link #settle}, committed at once in a transaction of its own: what the onboard step's
	 * workers settled after its last transaction ({@link OnboardTasklet#afterStep}).
	 */
	public void settleApart(Run run, List<Settlement> settlements) {
		this.ownTransaction.executeWithoutResult((status) -> settle(run, settlements));
	}

	/**
	 * Records a chunk of validated rows, in line order, as {@link StagingRules} decides: {@code REJECTED},
	 * {@code DUPLICATE}, {@code ALREADY_ONBOARDED}, or {@code PENDING} with their prospect staged for
	 * this run. Idempotent by line number: a line the run already recorded is left as it is, so
	 * staging resumes correctly from any position its reader restarts at ({@link LedgerStaging}).
	 */
	public void stage(Run run, List<ValidatedRow> input) {
		if (!input.isEmpty() && reachesAnalysedSize(input.get(0).row().lineNumber(),
				input.get(input.size() - 1).row().lineNumber())) {
			// The columns the look-ups find rows by: all of them cost more, input_row's cells above all.
			analyze("onboarding.input_row (run_id, line_number, third_server_code, duplicate_of), "
					+ "onboarding.run_claim (run_id, claim_key), "
					+ "onboarding.prospect (company_id, mode, third_server_code, status, run_id)", "while staging the run");
		}
		this.staging.stage(run, input);
	}

	// Whether the chunk of these lines holds the run's line 1,024: the ledger's statistics are made then,
	// from the chunks committed before it. Until then they do not know the run (a new run's rows
	// estimated at one), and the look-ups of each chunk read the run's rows through whatever index that
	// makes cheapest: a second run on a ledger of one earlier run staged at 1,507 rows/s, against 7,582
	// before the look-ups went key by key (a fresh user's try, issue 13), until autovacuum analysed
	// input_row. Once known, the run's estimate grows with the tables, which is all the look-ups' plans
	// need; each ANALYZE more cost a run of 30,000 rows about half a second (BENCHMARKS.md, "Staging").
	static boolean reachesAnalysedSize(long firstLine, long lastLine) {
		return firstLine <= ANALYSED_AT_LINE && ANALYSED_AT_LINE <= lastLine;
	}

	private static final long ANALYSED_AT_LINE = 1024;

	/**
	 * Links the run to the synced customers ({@code reconcileStep}): a row still {@code PENDING} takes
	 * the outcome of its prospect, which a later run settled; an {@code EXISTS} prospect takes the
	 * {@code customerNo} of the synced customer with its phone; and the run's rows take their
	 * prospect's {@code customerNo} and outcome ({@link LedgerLinks}).
	 * @return how many prospects of the run were newly linked
	 */
	public int link(Run run) {
		// The run wrote and settled its rows and prospects since the tables' statistics were last made:
		// estimated at one row a run, the run's rows were each joined to all its prospects through
		// prospect_run_idx (reconcileStep took 35 to 67 s for 10,000 rows; BENCHMARKS.md, "Onboarding
		// against its limits", third round).
		analyze("onboarding.input_row, onboarding.prospect", "before linking the run");
		return this.links.link(run);
	}

	// PostgreSQL's advice after a bulk load ("Populating a Database": run ANALYZE afterwards), committed
	// apart so that its lock is held only while it samples. An autovacuum of the tables yields to it
	// (PostgreSQL cancels one that blocks a lock request, unless it prevents wraparound: then this waits
	// for it); skipping a locked table instead would leave the statistics that made the slow plans. It
	// samples a fixed number of rows whatever the tables' size. A table it may not analyse (a role that
	// does not own it) is said in the log: the statements then run with the statistics there are.
	private void analyze(String tables, String when) {
		committedApart((connection) -> {
			try (Statement statement = connection.createStatement()) {
				statement.execute("ANALYZE " + tables);
				for (SQLWarning warning = statement.getWarnings(); warning != null; warning = warning.getNextWarning()) {
					logger.warn("Statistics of the ledger not made {}: {}", when, warning.getMessage());
				}
			}
			return null;
		});
	}

	/**
	 * Records what {@code detail} said of creations inferred after a lost answer
	 * ({@code confirmCreationsStep}), in the chunk's transaction: the prospect, and the input rows of
	 * the run that created it (which may be an earlier run than this one).
	 */
	public void recordConfirmations(List<Confirmation> confirmations) {
		this.links.recordConfirmations(confirmations);
	}

	/**
	 * Clears personal data past its time, for every company ({@link PersonalDataRetention}): the
	 * cells as read of the input rows of runs that ended for good (COMPLETED or ABANDONED) at least
	 * {@code retention} ago, and the initial-password hashes of prospects of abandoned runs, but for
	 * those that another run, not ended for good, has yet to settle.
	 * @return how many input rows and prospects were cleared
	 */
	public ClearedPersonalData clearPersonalData(Duration retention) {
		int cells = this.jdbc.update("""
				UPDATE onboarding.input_row SET raw = '{}'
				WHERE cardinality(raw) > 0 AND run_id IN (SELECT job_instance_id FROM public.batch_job_execution
				    WHERE status IN ('COMPLETED', 'ABANDONED') AND end_time <= LOCALTIMESTAMP - make_interval(secs => :seconds))""",
				new MapSqlParameterSource("seconds", retention.toSeconds()));
		// Not while a run that has not ended for good has a pending row for the prospect: it takes the
		// prospect back when it resumes (takeBackPending) and creates the account with that hash.
		int passwords = this.jdbc.update("""
				UPDATE onboarding.prospect p SET pwd_md5 = NULL
				WHERE p.pwd_md5 IS NOT NULL AND p.run_id IN (SELECT job_instance_id FROM public.batch_job_execution
				    WHERE status = 'ABANDONED')
				  AND NOT EXISTS (
				    SELECT 1 FROM onboarding.run u
				    JOIN onboarding.input_row r ON r.run_id = u.run_id AND r.third_server_code = p.third_server_code
				    WHERE u.company_id = p.company_id AND u.mode = p.mode AND u.run_id <> p.run_id
				      AND r.outcome = 'PENDING'
				      AND NOT EXISTS (SELECT 1 FROM public.batch_job_execution e
				                      WHERE e.job_instance_id = u.run_id AND e.status IN ('COMPLETED', 'ABANDONED')))""",
				new MapSqlParameterSource());
		return new ClearedPersonalData(cells, passwords);
	}

	/**
	 * What {@link #clearPersonalData} cleared.
	 * @param inputRows input rows whose cells were cleared
	 * @param prospects prospects whose initial-password hash was cleared
	 */
	public record ClearedPersonalData(int inputRows, int prospects) {
	}

	static SqlTypeValue textArray(List<String> values) {
		return sqlArray("text", values);
	}

	/** The values as one SQL array of the element type ({@code "text"}, {@code "bigint"}). */
	static SqlTypeValue sqlArray(String elementType, Collection<?> values) {
		return new AbstractSqlTypeValue() {
			@Override
			protected Object createTypeValue(Connection connection, int sqlType, String typeName) throws SQLException {
				return connection.createArrayOf(elementType, values.toArray());
			}
		};
	}

}
