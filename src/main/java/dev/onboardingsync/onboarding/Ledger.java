package dev.onboardingsync.onboarding;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;

import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.intake.Prospect;
import dev.onboardingsync.intake.ProspectField;
import dev.onboardingsync.intake.ValidatedRow;
import dev.onboardingsync.system.Run;

import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.support.AbstractSqlTypeValue;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The onboarding ledger in PostgreSQL: one row per input row with its outcome, the identities each
 * run has seen, and one prospect per {@code thirdServerCode}. Every write to {@code onboarding.*}
 * by a step goes through it (issue 11). Its writes join the caller's transaction (the chunk's), so
 * the ledger and the reader's position commit together.
 */
public class Ledger {

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	public Ledger(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Notes, committed at once and apart from any chunk, that a create for the prospect is about
	 * to be sent: from here on it is {@code UNCERTAIN} until its answer is recorded, so no later
	 * attempt or run sends another create without a check first.
	 */
	/** @return false when the prospect was already {@code UNCERTAIN}: an earlier create may have been sent */
	public boolean noteCreateSent(long prospectId) {
		Integer marked = this.ownTransaction.execute((status) -> this.jdbc.update("""
				UPDATE onboarding.prospect SET status = 'UNCERTAIN', updated_at = now()
				WHERE id = :id AND status = 'PENDING'""", new MapSqlParameterSource("id", prospectId)));
		return marked != null && marked > 0;
	}

	/**
	 * Links the run to the synced customers ({@code reconcileStep}): a row still {@code PENDING} takes
	 * the outcome of its prospect, which a later run settled; an {@code EXISTS} prospect takes the
	 * {@code customerNo} of the synced customer with its phone; and the run's rows take their
	 * prospect's {@code customerNo} and outcome.
	 * @return how many prospects of the run were newly linked
	 */
	public int link(Run run) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("runId", run.runId())
			.addValue("mode", run.mode().name())
			.addValue("onboardedAs", StagingRules.ONBOARDED_AS);
		// A row still pending here had its prospect restaged and settled by a later run.
		this.jdbc.update("""
				UPDATE onboarding.input_row r
				SET outcome = CASE WHEN p.status IN ('CREATED', 'EXISTS') THEN 'ALREADY_ONBOARDED' ELSE p.status END,
				    customer_no = p.customer_no,
				    reason = CASE WHEN p.status IN ('CREATED', 'EXISTS') THEN format(:onboardedAs, p.status, p.run_id)
				                  ELSE p.reason END
				FROM onboarding.run u, onboarding.prospect p
				WHERE r.run_id = :runId AND r.outcome = 'PENDING' AND u.run_id = r.run_id
				  AND p.company_id = u.company_id AND p.mode = :mode AND p.third_server_code = r.third_server_code
				  AND p.run_id <> r.run_id AND p.status IN ('CREATED', 'EXISTS', 'REJECTED', 'WOULD_CREATE')""",
				parameters);
		int linked = this.jdbc.update("""
				UPDATE onboarding.prospect p SET customer_no = c.customer_no, updated_at = now()
				FROM reporting.customer c
				WHERE p.run_id = :runId AND p.mode = 'LIVE' AND p.status = 'EXISTS'
				  AND p.customer_no IS NULL AND c.phone_area = p.phone_area AND c.phone = p.phone
				  AND c.company_id::text = p.company_id""", parameters);
		// Rows onboarded by an earlier run whose creation was confirmed since (confirmCreationsStep).
		this.jdbc.update("""
				UPDATE onboarding.input_row r SET customer_no = p.customer_no
				FROM onboarding.run u, onboarding.prospect p
				WHERE r.run_id = :runId AND r.outcome = 'ALREADY_ONBOARDED' AND r.customer_no IS NULL
				  AND u.run_id = r.run_id AND p.company_id = u.company_id AND p.mode = :mode
				  AND p.third_server_code = r.third_server_code AND p.customer_no IS NOT NULL""", parameters);
		this.jdbc.update("""
				UPDATE onboarding.input_row r SET customer_no = p.customer_no, outcome = p.status, reason = p.reason
				FROM onboarding.prospect p
				WHERE r.run_id = :runId AND r.outcome IN ('CREATED', 'EXISTS')
				  AND p.run_id = r.run_id AND p.mode = 'LIVE' AND p.third_server_code = r.third_server_code
				  AND (r.customer_no IS DISTINCT FROM p.customer_no OR r.outcome <> p.status)""", parameters);
		return linked;
	}

	/**
	 * Records what {@code detail} said of creations inferred after a lost answer
	 * ({@code confirmCreationsStep}), in the chunk's transaction: the prospect, and the input rows of
	 * the run that created it (which may be an earlier run than this one).
	 */
	public void recordConfirmations(List<Confirmation> confirmations) {
		SqlParameterSource[] parameters = confirmations.stream()
			.map((confirmation) -> new MapSqlParameterSource("id", confirmation.prospectId())
				.addValue("customerNo", confirmation.customerNo())
				.addValue("status", confirmation.ours() ? "CREATED" : "EXISTS")
				.addValue("reason", confirmation.ours() ? "created; confirmed by its thirdServerCode"
						: "phone already registered to customer " + confirmation.customerNo()))
			.toArray(SqlParameterSource[]::new);
		this.jdbc.batchUpdate("""
				UPDATE onboarding.prospect SET customer_no = :customerNo, status = :status, reason = :reason,
				    updated_at = now()
				WHERE id = :id""", parameters);
		this.jdbc.batchUpdate("""
				UPDATE onboarding.input_row r SET customer_no = :customerNo, outcome = :status, reason = :reason
				FROM onboarding.prospect p
				WHERE p.id = :id AND r.run_id = p.run_id AND r.third_server_code = p.third_server_code
				  AND r.outcome IN ('CREATED', 'EXISTS')""", parameters);
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
	 * Records what the onboard step found, prospect and input rows alike. A settled prospect drops
	 * any initial password it carried, and its input rows their cells as read unless the platform
	 * rejected it (the rejected-rows file needs them); an unsettled one keeps the input rows
	 * {@code PENDING}.
	 */
	public void settle(Run run, List<Settlement> settlements) {
		this.jdbc.batchUpdate("""
				UPDATE onboarding.prospect SET status = :status, customer_no = :customerNo, reason = :reason,
				    last_trace = COALESCE(:trace, last_trace),
				    pwd_md5 = CASE WHEN :settled THEN NULL ELSE pwd_md5 END, updated_at = now()
				WHERE id = :prospectId""", settlements.stream()
			.map((settlement) -> new MapSqlParameterSource().addValue("prospectId", settlement.prospectId())
				.addValue("status", settlement.status().name())
				.addValue("customerNo", settlement.customerNo())
				.addValue("reason", settlement.reason())
				.addValue("trace", settlement.trace())
				.addValue("settled", settlement.status().settled()))
			.toArray(SqlParameterSource[]::new));
		this.jdbc.batchUpdate("""
				UPDATE onboarding.input_row SET outcome = :outcome, customer_no = :customerNo, reason = :reason,
				    raw = CASE WHEN :outcome = 'REJECTED' THEN raw ELSE '{}' END
				WHERE run_id = :runId AND third_server_code = :thirdServerCode AND outcome = 'PENDING'""",
				settlements.stream()
					.filter((settlement) -> settlement.status().settled())
					.map((settlement) -> new MapSqlParameterSource().addValue("runId", run.runId())
						.addValue("thirdServerCode", settlement.thirdServerCode())
						.addValue("outcome", settlement.status().outcome().name())
						.addValue("customerNo", settlement.customerNo())
						.addValue("reason", settlement.reason()))
					.toArray(SqlParameterSource[]::new));
	}

	/**
	 * Records a chunk of validated rows, in line order, as {@link StagingRules} decides: {@code REJECTED},
	 * {@code DUPLICATE}, {@code ALREADY_ONBOARDED}, or {@code PENDING} with their prospect staged for
	 * this run. Idempotent by line number: a line the run already recorded is left as it is, so
	 * staging resumes correctly from any position its reader restarts at.
	 */
	public void stage(Run run, List<ValidatedRow> input) {
		List<ValidatedRow> rows = unrecorded(run.runId(), input);
		StagingRules.Claims claims = StagingRules.claim(rows, existingClaims(run.runId(), rows));
		List<StagingRules.Decision> decisions = new ArrayList<>(claims.decided());
		decisions.addAll(StagingRules.settle(claims.unclaimed(), settledLiveProspects(run.companyId(), claims.unclaimed())));
		Map<String, Long> newClaims = claims.newClaims();
		List<SqlParameterSource> inputRows = new ArrayList<>();
		List<SqlParameterSource> prospects = new ArrayList<>();
		for (StagingRules.Decision decision : decisions) {
			inputRows.add(inputRow(run, decision));
			if (decision.outcome() == Outcome.PENDING) {
				prospects.add(prospect(run, decision.row().prospect()));
			}
		}
		this.jdbc.batchUpdate("""
				INSERT INTO onboarding.run_claim (run_id, claim_key, line_number)
				VALUES (:runId, :claimKey, :lineNumber)""", newClaims.entrySet()
			.stream()
			.map((claim) -> new MapSqlParameterSource().addValue("runId", run.runId())
				.addValue("claimKey", claim.getKey())
				.addValue("lineNumber", claim.getValue()))
			.toArray(SqlParameterSource[]::new));
		this.jdbc.batchUpdate(UPSERT_PROSPECT, prospects.toArray(SqlParameterSource[]::new));
		this.jdbc.batchUpdate("""
				INSERT INTO onboarding.input_row
				    (run_id, line_number, source_id, source_key, third_server_code, outcome, reason, duplicate_of,
				     customer_no, raw)
				VALUES (:runId, :lineNumber, :sourceId, :sourceKey, :thirdServerCode, :outcome, :reason, :duplicateOf,
				        :customerNo, :raw)""", inputRows.toArray(SqlParameterSource[]::new));
	}

	// A staged prospect keeps its UNCERTAIN status: its lost create must be settled by a check first.
	// Settled LIVE prospects are never reopened; a dry run's own ledger is reset on every dry run.
	private static final String UPSERT_PROSPECT = """
			INSERT INTO onboarding.prospect (company_id, mode, third_server_code, source_id, status, phone_area, phone,
			    email, email_area, country, register_source, customer_group_id, trade_type_currency, remark,
			    register_device, utm_source, utm_medium, utm_campaign, utm_content, utm_term, pwd_md5, run_id)
			VALUES (:companyId, :mode, :thirdServerCode, :sourceId, 'PENDING', :phoneArea, :phone, :email, :emailArea,
			    :country, :registerSource, :customerGroupId, :tradeTypeCurrency, :remark, :registerDevice, :utmSource,
			    :utmMedium, :utmCampaign, :utmContent, :utmTerm, :pwdMd5, :runId)
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
			WHERE prospect.mode = 'DRY_RUN' OR prospect.status NOT IN ('CREATED', 'EXISTS')""";

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

	private Map<String, Long> existingClaims(long runId, List<ValidatedRow> rows) {
		List<String> keys = rows.stream()
			.filter(ValidatedRow::isAccepted)
			.flatMap((staged) -> StagingRules.claimKeys(staged.prospect()).keySet().stream())
			.toList();
		Map<String, Long> claims = new HashMap<>();
		if (keys.isEmpty()) {
			return claims;
		}
		this.jdbc.query("""
				SELECT claim_key, line_number FROM onboarding.run_claim
				WHERE run_id = :runId AND claim_key = ANY(:keys)""",
				new MapSqlParameterSource("runId", runId).addValue("keys", textArray(keys)),
				(rs) -> {
					claims.put(rs.getString(1), rs.getLong(2));
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

	private static SqlParameterSource inputRow(Run run, StagingRules.Decision decision) {
		ValidatedRow staged = decision.row();
		Outcome outcome = decision.outcome();
		Prospect prospect = staged.prospect();
		return new MapSqlParameterSource().addValue("runId", run.runId())
			.addValue("lineNumber", staged.row().lineNumber())
			.addValue("sourceId", (prospect != null) ? prospect.sourceId()
					: staged.row().value(ProspectField.EXTERNAL_ID))
			.addValue("sourceKey", staged.row().sourceKey())
			.addValue("thirdServerCode", (prospect != null) ? prospect.thirdServerCode() : null)
			.addValue("outcome", outcome.name())
			.addValue("reason", decision.reason())
			.addValue("duplicateOf", decision.duplicateOf())
			.addValue("customerNo", decision.customerNo())
			// The row as read is kept for the rejected-rows file only: for rows rejected here, and for
			// pending rows until the platform has answered (it may reject them too); see settle.
			.addValue("raw", textArray((outcome == Outcome.REJECTED || outcome == Outcome.PENDING) ? staged.row().raw()
					: List.of()));
	}

	private static SqlParameterSource prospect(Run run, Prospect prospect) {
		return new MapSqlParameterSource().addValue("companyId", run.companyId())
			.addValue("mode", run.mode().name())
			.addValue("thirdServerCode", prospect.thirdServerCode())
			.addValue("sourceId", prospect.sourceId())
			.addValue("phoneArea", prospect.phoneArea())
			.addValue("phone", prospect.phone())
			.addValue("email", prospect.email())
			.addValue("emailArea", prospect.emailArea())
			.addValue("country", prospect.country())
			.addValue("registerSource", prospect.registerSource())
			.addValue("customerGroupId", prospect.customerGroupId())
			.addValue("tradeTypeCurrency", prospect.tradeTypeCurrencyList()
				.stream()
				.map((entry) -> entry.allCurrency() + ":" + entry.tradeType())
				.collect(Collectors.joining(",")))
			.addValue("remark", prospect.remark())
			.addValue("registerDevice", prospect.registerDevice())
			.addValue("utmSource", prospect.utmSource())
			.addValue("utmMedium", prospect.utmMedium())
			.addValue("utmCampaign", prospect.utmCampaign())
			.addValue("utmContent", prospect.utmContent())
			.addValue("utmTerm", prospect.utmTerm())
			.addValue("pwdMd5", prospect.passwordMd5())
			.addValue("runId", run.runId());
	}

	static SqlTypeValue textArray(List<String> values) {
		return new AbstractSqlTypeValue() {
			@Override
			protected Object createTypeValue(Connection connection, int sqlType, String typeName) throws SQLException {
				return connection.createArrayOf("text", values.toArray());
			}
		};
	}

}
