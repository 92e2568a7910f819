package dev.onboardingsync.onboarding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.intake.Prospect;
import dev.onboardingsync.intake.ProspectField;
import dev.onboardingsync.intake.ValidatedRow;
import dev.onboardingsync.system.Run;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SimplePropertySqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

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
			    :utmMedium, :utmCampaign, :utmContent, :utmTerm, :passwordMd5, :runId)
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

	// The prospect's own values by their names (the framework maps the record), under the run's and
	// the trade currencies as the ledger keeps them (text, one codec).
	private static SqlParameterSource prospect(Run run, Prospect prospect) {
		SqlParameterSource own = new SimplePropertySqlParameterSource(prospect);
		MapSqlParameterSource added = new MapSqlParameterSource().addValue("companyId", run.companyId())
			.addValue("mode", run.mode().name())
			.addValue("runId", run.runId())
			.addValue("tradeTypeCurrency", TradeTypeCurrency.format(prospect.tradeTypeCurrencyList()));
		return new SqlParameterSource() {
			@Override
			public boolean hasValue(String name) {
				return added.hasValue(name) || own.hasValue(name);
			}

			@Override
			public Object getValue(String name) {
				return added.hasValue(name) ? added.getValue(name) : own.getValue(name);
			}
		};
	}

}
