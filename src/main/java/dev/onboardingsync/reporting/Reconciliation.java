package dev.onboardingsync.reporting;

import dev.onboardingsync.onboarding.Run;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Ties the ledger to the synced customers: created and existing prospects get the
 * {@code customerNo} of the platform's customer with their phone, and their input rows too; and
 * counts the prospects this run recorded as created that the platform's list does not show.
 * Reconciling also gives the last pending rows the outcome of their prospect.
 */
public class Reconciliation {

	private final NamedParameterJdbcTemplate jdbc;

	public Reconciliation(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** @return how many prospects of the run were newly linked */
	public int link(Run run) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("runId", run.runId()).addValue("mode",
				run.mode().name());
		// A row still pending here had its prospect restaged and settled by a later run: take that outcome.
		this.jdbc.update("""
				UPDATE onboarding.input_row r SET outcome = p.status, customer_no = p.customer_no, reason = p.reason
				FROM onboarding.run u, onboarding.prospect p
				WHERE r.run_id = :runId AND r.outcome = 'PENDING' AND u.run_id = r.run_id
				  AND p.company_id = u.company_id AND p.mode = :mode AND p.third_server_code = r.third_server_code
				  AND p.status IN ('CREATED', 'EXISTS', 'REJECTED', 'WOULD_CREATE')""", parameters);
		int linked = this.jdbc.update("""
				UPDATE onboarding.prospect p SET customer_no = c.customer_no, updated_at = now()
				FROM reporting.customer c
				WHERE p.run_id = :runId AND p.mode = 'LIVE' AND p.status IN ('CREATED', 'EXISTS')
				  AND p.customer_no IS NULL AND c.phone_area = p.phone_area AND c.phone = p.phone""", parameters);
		this.jdbc.update("""
				UPDATE onboarding.input_row r SET customer_no = p.customer_no
				FROM onboarding.prospect p
				WHERE r.run_id = :runId AND r.customer_no IS NULL AND r.outcome IN ('CREATED', 'EXISTS')
				  AND p.run_id = r.run_id AND p.mode = 'LIVE' AND p.third_server_code = r.third_server_code
				  AND p.customer_no IS NOT NULL""", parameters);
		return linked;
	}

	/** Prospects this run created that are missing from the synced customers. */
	public long createdButMissing(Run run) {
		Long missing = this.jdbc.queryForObject("""
				SELECT count(*) FROM onboarding.prospect p
				WHERE p.run_id = :runId AND p.mode = 'LIVE' AND p.status = 'CREATED'
				  AND NOT EXISTS (SELECT 1 FROM reporting.customer c WHERE c.customer_no = p.customer_no)""",
				new MapSqlParameterSource("runId", run.runId()), Long.class);
		return (missing != null) ? missing : 0;
	}

}
