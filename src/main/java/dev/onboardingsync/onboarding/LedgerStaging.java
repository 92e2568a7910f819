package dev.onboardingsync.onboarding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.intake.Prospect;
import dev.onboardingsync.intake.ProspectField;
import dev.onboardingsync.intake.ValidatedRow;
import dev.onboardingsync.system.Mode;
import dev.onboardingsync.system.Run;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static dev.onboardingsync.onboarding.Ledger.textArray;
/**
 * The ledger's writes of staged rows: each input row with its outcome, the run's claims of
 * identities (external id, phone, email) and the prospects to settle; reached through
 * {@link Ledger#stage}. Decisions are {@link StagingRules}'; this looks up what they need.
 */
final class LedgerStaging {

	private final NamedParameterJdbcTemplate jdbc;

	LedgerStaging(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** {@link Ledger#stage}. */
	void stage(Run run, List<ValidatedRow> input) {
		settings(this.jdbc.getJdbcTemplate());
		List<ValidatedRow> rows = unrecorded(run.runId(), input);
		StagingRules.Claims claims = StagingRules.claim(rows, existingClaims(run.runId(), rows));
		List<ValidatedRow> unclaimed = claims.unclaimed();
		Map<String, StagingRules.SettledProspect> settled;
		if (run.mode() == Mode.LIVE) {
			// The upsert of a live run's prospects leaves a settled one as it is and does not return it: the
			// rows it did not return are the only ones to look up (issue 13). Looking up every row first cost
			// an index probe per row, the largest of staging's statements (BENCHMARKS.md, "Staging").
			Set<String> staged = upsertProspects(run, unclaimed);
			List<ValidatedRow> unstaged = unclaimed.stream()
				.filter((row) -> !staged.contains(row.prospect().thirdServerCode()))
				.toList();
			if (!unstaged.isEmpty()) {
				// A look-up again, after the upsert's cached plan (a dry run's comes before the upsert).
				planFreshly(true);
			}
			settled = settledLiveProspects(run.companyId(), unstaged);
			if (settled.size() != unstaged.size()) {
				// Only another run of the company could have settled and reopened one meanwhile: its lock forbids it.
				throw new IllegalStateException("Run " + run.runId() + " could neither stage nor find settled "
						+ (unstaged.size() - settled.size()) + " prospects of lines " + unstaged.get(0).row().lineNumber()
						+ " to " + unstaged.get(unstaged.size() - 1).row().lineNumber());
			}
		}
		else {
			// A dry run's prospects live apart from the live ones it is checked against.
			settled = settledLiveProspects(run.companyId(), unclaimed);
			upsertProspects(run,
					unclaimed.stream().filter((row) -> !settled.containsKey(row.prospect().thirdServerCode())).toList());
		}
		List<StagingRules.Decision> decisions = new ArrayList<>(claims.decided());
		decisions.addAll(StagingRules.settle(unclaimed, settled));
		write(run, claims.newClaims(), decisions);
	}

	/**
	 * The chunk's transaction's settings, in one statement (set_config's third argument: until the
	 * transaction ends, as SET LOCAL).
	 * <ul>
	 * <li>A chunk's commit need not wait for its WAL to reach the disk (PostgreSQL's "asynchronous
	 * commit"): a database crash loses at most the last chunks whole, with the reader's position saved in
	 * the same transaction, so the restart reads them again; and the step's own end is committed
	 * synchronously, which flushes every chunk before it. It saves a disk flush per chunk, most of a
	 * chunk's commit (issue 13).</li>
	 * <li>The look-ups that begin the chunk are planned for the tables as they are ({@link #planFreshly}).</li>
	 * </ul>
	 */
	static void settings(JdbcTemplate jdbc) {
		jdbc.queryForList("SELECT set_config('synchronous_commit', 'off', true), "
				+ "set_config('plan_cache_mode', 'force_custom_plan', true)");
	}

	/**
	 * Whether the statements that follow, in the chunk's transaction, are planned for the tables as they
	 * are ({@code true}, the look-ups) or may run a cached plan ({@code false}, the upsert). Staging fills
	 * the tables it looks up, and a generic plan that PostgreSQL keeps for a statement pgjdbc prepared
	 * (after five runs) is made once, while they were small: with the tables analysed while empty, the
	 * claim look-up's cached plan read each key's claims by a sequential scan of the run
	 * (LedgerIntegrationTests: 5.7 million rows for 1,500 keys). The upsert's plan does not depend on
	 * the tables' size, and a custom plan of it, its arrays made constants, took twice as long to run
	 * (auto_explain: 20 ms against 10 for 500 rows).
	 */
	private void planFreshly(boolean freshly) {
		this.jdbc.getJdbcTemplate()
			.queryForList("SELECT set_config('plan_cache_mode', ?, true)", freshly ? "force_custom_plan" : "auto");
	}

	// Three statements a chunk besides the look-ups, whatever its size (a statement per row cost a round
	// trip, a parse and an execution each: 4.3 of them per input row, issue 13): prospects, which may be
	// staged again, as one array per column unnested by PostgreSQL into an upsert; claims and input rows,
	// which conflict with nothing recorded, by COPY.
	private void write(Run run, Map<String, Long> newClaims, List<StagingRules.Decision> decisions) {
		// A code's claim is its line's own input row (existingClaims): only phones and emails are kept apart.
		Map<String, Long> kept = new LinkedHashMap<>(newClaims);
		kept.keySet().removeIf(StagingRules::isCodeKey);
		if (!kept.isEmpty()) {
			// New claims conflict with none (existingClaims found those taken).
			CopyRows claims = new CopyRows();
			kept.forEach((key, line) -> {
				claims.add(run.runId()).add(key).add(line);
				claims.endRow();
			});
			claims.copy(this.jdbc.getJdbcTemplate(), "COPY onboarding.run_claim (run_id, claim_key, line_number) FROM STDIN");
		}
		CopyRows inputRows = new CopyRows();
		decisions.forEach((decision) -> inputRow(inputRows, run.runId(), decision));
		if (inputRows.size() > 0) {
			inputRows.copy(this.jdbc.getJdbcTemplate(), COPY_INPUT_ROWS);
		}
	}

	// The thirdServerCodes of the prospects written: new, or staged again (not settled, or a dry run's).
	private Set<String> upsertProspects(Run run, List<ValidatedRow> rows) {
		if (rows.isEmpty()) {
			return Set.of();
		}
		planFreshly(false);
		StagedColumns prospects = new StagedColumns();
		rows.forEach((row) -> prospect(prospects, row.prospect()));
		return new HashSet<>(this.jdbc.queryForList(UPSERT_PROSPECTS, prospects.parameters()
			.addValue("companyId", run.companyId())
			.addValue("mode", run.mode().name())
			.addValue("runId", run.runId()), String.class));
	}

	private static final String COPY_INPUT_ROWS = """
			COPY onboarding.input_row (run_id, line_number, source_id, source_key, third_server_code, outcome, reason,
			    duplicate_of, customer_no, raw) FROM STDIN""";

	// A staged prospect keeps its UNCERTAIN status: its lost create must be settled by a check first.
	// Settled LIVE prospects are never reopened; a dry run's own ledger is reset on every dry run.
	private static final String UPSERT_PROSPECTS = """
			INSERT INTO onboarding.prospect (company_id, mode, third_server_code, source_id, status, phone_area, phone,
			    email, email_area, country, register_source, customer_group_id, trade_type_currency, remark,
			    register_device, utm_source, utm_medium, utm_campaign, utm_content, utm_term, pwd_md5, run_id)
			SELECT :companyId, :mode, third_server_code, source_id, 'PENDING', phone_area, phone, email, email_area,
			    country, register_source, customer_group_id, trade_type_currency, remark, register_device, utm_source,
			    utm_medium, utm_campaign, utm_content, utm_term, pwd_md5, :runId
			FROM unnest(CAST(:thirdServerCode AS text[]), CAST(:sourceId AS text[]), CAST(:phoneArea AS text[]),
			    CAST(:phone AS text[]), CAST(:email AS text[]), CAST(:emailArea AS text[]), CAST(:country AS text[]),
			    CAST(:registerSource AS integer[]), CAST(:customerGroupId AS bigint[]),
			    CAST(:tradeTypeCurrency AS text[]), CAST(:remark AS text[]), CAST(:registerDevice AS text[]),
			    CAST(:utmSource AS text[]), CAST(:utmMedium AS text[]), CAST(:utmCampaign AS text[]),
			    CAST(:utmContent AS text[]), CAST(:utmTerm AS text[]), CAST(:passwordMd5 AS text[]))
			    AS staged (third_server_code, source_id, phone_area, phone, email, email_area, country, register_source,
			               customer_group_id, trade_type_currency, remark, register_device, utm_source, utm_medium,
			               utm_campaign, utm_content, utm_term, pwd_md5)
			ON CONFLICT (company_id, mode, third_server_code) DO UPDATE SET
			    source_id = EXCLUDED.source_id, phone_area = EXCLUDED.phone_area, phone = EXCLUDED.phone,
			    email = EXCLUDED.email, email_area = EXCLUDED.email_area, country = EXCLUDED.country,
			    register_source = EXCLUDED.register_source, customer_group_id = EXCLUDED.customer_group_id,
			    trade_type_currency = EXCLUDED.trade_type_currency, remark = EXCLUDED.remark,
			    register_device = EXCLUDED.register_device, utm_source = EXCLUDED.utm_source,
			    utm_medium = EXCLUDED.utm_medium, utm_campaign = EXCLUDED.utm_campaign,
			    utm_content = EXCLUDED.utm_content, utm_term = EXCLUDED.utm_term, pwd_md5 = EXCLUDED.pwd_md5,
			    run_id = EXCLUDED.run_id, reason = NULL, customer_no = NULL, updated_at = now(),
			    status = CASE WHEN prospect.status = 'UNCERTAIN' THEN 'UNCERTAIN' ELSE 'PENDING' END
			WHERE prospect.mode = 'DRY_RUN' OR prospect.status NOT IN ('CREATED', 'EXISTS')
			RETURNING third_server_code""";

	// A reader may resume behind what its step committed: Spring Batch saves a restarted step's
	// execution context (the reader's position) only with its first chunk, so a run killed twice in a
	// row restarts staging from the first line (issue 7, fault 2). Lines recorded by an earlier
	// execution committed with their claims and prospects in one transaction: they are done.
	private List<ValidatedRow> unrecorded(long runId, List<ValidatedRow> rows) {
		if (rows.isEmpty()) {
			return rows;
		}
		Set<Long> recorded = new HashSet<>(this.jdbc.queryForList("""
				SELECT line_number FROM onboarding.input_row
				WHERE run_id = :runId AND line_number BETWEEN :first AND :last""",
				new MapSqlParameterSource("runId", runId).addValue("first", rows.get(0).row().lineNumber())
					.addValue("last", rows.get(rows.size() - 1).row().lineNumber()),
				Long.class));
		return recorded.isEmpty() ? rows
				: rows.stream().filter((staged) -> !recorded.contains(staged.row().lineNumber())).toList();
	}

	// The line that claimed each key, or NULL: one probe of a unique key per key asked, whatever the
	// statistics say. As "run_id = ? AND claim_key = ANY(?)" (and the same for codes in input_row),
	// PostgreSQL read every claim or every input row of the run for each chunk while its statistics still
	// counted the tables as (nearly) empty: a first run on a new database staged up to 4.5 times slower
	// until autovacuum analysed them, as much as a minute later (auto_explain, 100,000 rows;
	// BENCHMARKS.md, "Stale statistics, and the staging thread's own CPU"). A subquery in the select list
	// is planned on its own and run per key, so the run's own rows are never scanned. A code has one line
	// that is no duplicate; LIMIT 1 is there because the index does not say so, with no ORDER BY, which
	// would make the primary key's order (every line of the run) the cheaper way to the first row.
	static final String EXISTING_CLAIMS = """
			SELECT keys.claim_key,
			    (SELECT line_number FROM onboarding.run_claim
			     WHERE run_id = :runId AND claim_key = keys.claim_key)
			FROM unnest(CAST(:keys AS text[])) AS keys (claim_key)
			UNION ALL
			SELECT :codeKey || codes.third_server_code,
			    (SELECT line_number FROM onboarding.input_row
			     WHERE run_id = :runId AND third_server_code = codes.third_server_code AND duplicate_of IS NULL
			     LIMIT 1)
			FROM unnest(CAST(:codes AS text[])) AS codes (third_server_code)""";

	private Map<String, Long> existingClaims(long runId, List<ValidatedRow> rows) {
		List<String> keys = rows.stream()
			.filter(ValidatedRow::isAccepted)
			.flatMap((staged) -> StagingRules.claimKeys(staged.prospect()).keySet().stream())
			.toList();
		Map<String, Long> claims = new HashMap<>();
		if (keys.isEmpty()) {
			return claims;
		}
		// The line that claimed a code is the one input row of the run with that code that is no
		// duplicate (a duplicate's duplicate_of is set; a rejected row has no code): the row's own
		// index finds it, so run_claim holds phones and emails only (issue 13: a third fewer rows
		// written). Claims of a code kept in run_claim by an earlier version name the same line.
		List<String> codes = rows.stream()
			.filter(ValidatedRow::isAccepted)
			.map((staged) -> staged.prospect().thirdServerCode())
			.toList();
		this.jdbc.query(EXISTING_CLAIMS,
				new MapSqlParameterSource("runId", runId).addValue("keys", textArray(keys))
					.addValue("codes", textArray(codes))
					.addValue("codeKey", StagingRules.CODE_KEY),
				(rs) -> {
					long line = rs.getLong(2);
					if (!rs.wasNull()) {
						claims.put(rs.getString(1), line);
					}
				});
		return claims;
	}

	private Map<String, StagingRules.SettledProspect> settledLiveProspects(String companyId, List<ValidatedRow> rows) {
		Map<String, StagingRules.SettledProspect> settled = new HashMap<>();
		if (rows.isEmpty()) {
			return settled;
		}
		this.jdbc.query("""
				SELECT third_server_code, status, customer_no, run_id FROM onboarding.prospect
				WHERE company_id = :companyId AND mode = 'LIVE' AND status IN ('CREATED', 'EXISTS')
				  AND third_server_code = ANY(:codes)""",
				new MapSqlParameterSource("companyId", companyId).addValue("codes",
						textArray(rows.stream().map((staged) -> staged.prospect().thirdServerCode()).toList())),
				(rs) -> {
					settled.put(rs.getString(1), new StagingRules.SettledProspect(rs.getString(2), rs.getString(3), rs.getLong(4)));
				});
		return settled;
	}

	private static void inputRow(CopyRows rows, long runId, StagingRules.Decision decision) {
		ValidatedRow staged = decision.row();
		Outcome outcome = decision.outcome();
		Prospect prospect = staged.prospect();
		rows.add(runId)
			.add(staged.row().lineNumber())
			.add((prospect != null) ? prospect.sourceId() : staged.row().value(ProspectField.EXTERNAL_ID))
			.add(staged.row().sourceKey())
			.add((prospect != null) ? prospect.thirdServerCode() : null)
			.add(outcome.name())
			.add(decision.reason())
			.add(decision.duplicateOf())
			.add(decision.customerNo())
			// The row as read is kept for the rejected-rows file only: for rows rejected here, and for
			// pending rows until the platform has answered (it may reject them too); see settle.
			.add(TextArrays.literal((outcome == Outcome.REJECTED || outcome == Outcome.PENDING) ? staged.row().raw()
					: List.of()));
		rows.endRow();
	}

	// The prospect's own values, and the trade currencies as the ledger keeps them (text, one codec).
	private static void prospect(StagedColumns columns, Prospect prospect) {
		columns.add("thirdServerCode", prospect.thirdServerCode());
		columns.add("sourceId", prospect.sourceId());
		columns.add("phoneArea", prospect.phoneArea());
		columns.add("phone", prospect.phone());
		columns.add("email", prospect.email());
		columns.add("emailArea", prospect.emailArea());
		columns.add("country", prospect.country());
		columns.add("registerSource", prospect.registerSource());
		columns.add("customerGroupId", prospect.customerGroupId());
		columns.add("tradeTypeCurrency", TradeTypeCurrency.format(prospect.tradeTypeCurrencyList()));
		columns.add("remark", prospect.remark());
		columns.add("registerDevice", prospect.registerDevice());
		columns.add("utmSource", prospect.utmSource());
		columns.add("utmMedium", prospect.utmMedium());
		columns.add("utmCampaign", prospect.utmCampaign());
		columns.add("utmContent", prospect.utmContent());
		columns.add("utmTerm", prospect.utmTerm());
		columns.add("passwordMd5", prospect.passwordMd5());
		columns.endRow();
	}

}
