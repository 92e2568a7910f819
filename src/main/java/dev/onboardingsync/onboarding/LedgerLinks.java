package dev.onboardingsync.onboarding;

import java.util.List;

import dev.onboardingsync.system.Run;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * The ledger's writes that tie prospects and input rows to the platform's customers as the sync
 * copied them ({@code reconcileStep}, {@code confirmCreationsStep}); reached through {@link Ledger}.
 */
final class LedgerLinks {

	private final NamedParameterJdbcTemplate jdbc;

	LedgerLinks(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** {@link Ledger#link}. */
	int link(Run run) {
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
		// Each prospect by its whole identity (company, mode, code: prospect_identity_uk). Without the
		// company the index could not be used, and a run's rows, estimated at one while the run's
		// statistics were not yet gathered, were each compared with every prospect (issue 13: minutes
		// for 10,000 rows, OnboardingLimitBenchmark).
		this.jdbc.update("""
				UPDATE onboarding.input_row r SET customer_no = p.customer_no, outcome = p.status, reason = p.reason
				FROM onboarding.run u, onboarding.prospect p
				WHERE r.run_id = :runId AND r.outcome IN ('CREATED', 'EXISTS') AND u.run_id = r.run_id
				  AND p.company_id = u.company_id AND p.mode = 'LIVE' AND p.third_server_code = r.third_server_code
				  AND p.run_id = r.run_id
				  AND (r.customer_no IS DISTINCT FROM p.customer_no OR r.outcome <> p.status)""", parameters);
		return linked;
	}

	/** {@link Ledger#recordConfirmations}. */
	void recordConfirmations(List<Confirmation> confirmations) {
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

}
