package dev.onboardingsync.reporting;

import java.util.List;
import java.util.Map;

import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerDetailRequest;
import dev.onboardingsync.onboarding.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Ties the ledger to the synced customers: created and existing prospects get the
 * {@code customerNo} of the platform's customer with their phone, and their input rows too; and
 * counts the prospects this run recorded as created that the platform's list does not show.
 * Reconciling also gives the last pending rows the outcome of their prospect.
 */
public class Reconciliation {

	private static final Logger logger = LoggerFactory.getLogger(Reconciliation.class);

	private final NamedParameterJdbcTemplate jdbc;

	private final CustomerApiClient client;

	public Reconciliation(NamedParameterJdbcTemplate jdbc, CustomerApiClient client) {
		this.jdbc = jdbc;
		this.client = client;
	}

	/** @return how many prospects of the run were newly linked */
	public int link(Run run) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("runId", run.runId()).addValue("mode",
				run.mode().name());
		// A row still pending here had its prospect restaged and settled by a later run.
		this.jdbc.update("""
				UPDATE onboarding.input_row r
				SET outcome = CASE WHEN p.status IN ('CREATED', 'EXISTS') THEN 'ALREADY_ONBOARDED' ELSE p.status END,
				    customer_no = p.customer_no,
				    reason = CASE WHEN p.status IN ('CREATED', 'EXISTS') THEN 'onboarded as ' || p.status || ' by run '
				                  || p.run_id ELSE p.reason END
				FROM onboarding.run u, onboarding.prospect p
				WHERE r.run_id = :runId AND r.outcome = 'PENDING' AND u.run_id = r.run_id
				  AND p.company_id = u.company_id AND p.mode = :mode AND p.third_server_code = r.third_server_code
				  AND p.run_id <> r.run_id AND p.status IN ('CREATED', 'EXISTS', 'REJECTED', 'WOULD_CREATE')""",
				parameters);
		int confirmed = confirmInferredCreations(parameters);
		int linked = confirmed + this.jdbc.update("""
				UPDATE onboarding.prospect p SET customer_no = c.customer_no, updated_at = now()
				FROM reporting.customer c
				WHERE p.run_id = :runId AND p.mode = 'LIVE' AND p.status = 'EXISTS'
				  AND p.customer_no IS NULL AND c.phone_area = p.phone_area AND c.phone = p.phone
				  AND c.company_id::text = p.company_id""", parameters);
		this.jdbc.update("""
				UPDATE onboarding.input_row r SET customer_no = p.customer_no, outcome = p.status, reason = p.reason
				FROM onboarding.prospect p
				WHERE r.run_id = :runId AND r.outcome IN ('CREATED', 'EXISTS')
				  AND p.run_id = r.run_id AND p.mode = 'LIVE' AND p.third_server_code = r.third_server_code
				  AND (r.customer_no IS DISTINCT FROM p.customer_no OR r.outcome <> p.status)""", parameters);
		return linked;
	}

	/**
	 * A create whose answer was lost is recorded {@code CREATED} because a check then found the
	 * phone. Whether that customer is ours, its {@code thirdServerCode} says (only {@code detail}
	 * carries it): ours is linked; another customer's turns the prospect into {@code EXISTS}.
	 */
	private int confirmInferredCreations(MapSqlParameterSource parameters) {
		List<Map<String, Object>> inferred = this.jdbc.queryForList("""
				SELECT p.id, p.third_server_code, c.customer_no FROM onboarding.prospect p
				JOIN reporting.customer c ON c.phone_area = p.phone_area AND c.phone = p.phone
				     AND c.company_id::text = p.company_id
				WHERE p.run_id = :runId AND p.mode = 'LIVE' AND p.status = 'CREATED' AND p.customer_no IS NULL""",
				parameters);
		int confirmed = 0;
		for (Map<String, Object> row : inferred) {
			String customerNo = (String) row.get("customer_no");
			String code = this.client.detail(CustomerDetailRequest.baseInfo(null, customerNo)).thirdServerCode();
			boolean ours = row.get("third_server_code").equals(code);
			this.jdbc.update("""
					UPDATE onboarding.prospect SET customer_no = :customerNo, status = :status, reason = :reason,
					    updated_at = now()
					WHERE id = :id""", new MapSqlParameterSource("id", row.get("id")).addValue("customerNo", customerNo)
				.addValue("status", ours ? "CREATED" : "EXISTS")
				.addValue("reason", ours ? "created; confirmed by its thirdServerCode"
						: "phone already registered to customer " + customerNo));
			if (ours) {
				confirmed++;
			}
			else {
				logger.warn("Prospect {} was recorded created after a lost answer, but customer {} with its phone has"
						+ " another thirdServerCode: recorded as EXISTS", row.get("third_server_code"), customerNo);
			}
		}
		return confirmed;
	}

	/** Input rows of the run that still have no outcome. */
	public long pendingRows(Run run) {
		Long pending = this.jdbc.queryForObject(
				"SELECT count(*) FROM onboarding.input_row WHERE run_id = :runId AND outcome = 'PENDING'",
				new MapSqlParameterSource("runId", run.runId()), Long.class);
		return (pending != null) ? pending : 0;
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
