package dev.onboardingsync.reporting;

import java.util.List;

import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerDetailRequest;
import dev.onboardingsync.customerapi.CustomerNotFoundException;
import dev.onboardingsync.onboarding.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * Ties the ledger to the synced customers: creations inferred after a lost answer are confirmed by
 * the customer's {@code thirdServerCode} ({@code confirmCreationsStep}); created and existing
 * prospects get the {@code customerNo} of the platform's customer with their phone, and their input
 * rows too ({@code reconcileStep}); and it counts what the run's summary reports. Reconciling also
 * gives the last pending rows the outcome of their prospect.
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
	 * Whether a creation inferred after a lost answer is ours: a create whose answer was lost is
	 * recorded {@code CREATED} because a check then found the phone; the customer's
	 * {@code thirdServerCode} (only {@code detail} carries it) says whether that customer is the one
	 * we created. Called by {@code confirmCreationsStep} on its API threads (the chunk's transaction
	 * waits on the step's thread meanwhile, as in every chunk step).
	 * @return the confirmation, or {@code null} (nothing to record yet) when the platform no longer
	 * has the customer
	 * @throws dev.onboardingsync.customerapi.TransientApiException for the step's retry policy
	 */
	public Confirmation confirm(InferredCreation creation) {
		String code;
		try {
			code = this.client.detail(CustomerDetailRequest.baseInfo(null, creation.customerNo())).thirdServerCode();
		}
		catch (CustomerNotFoundException ex) {
			logger.warn("Customer {} of prospect {} is gone from the platform: its creation stays unconfirmed",
					creation.customerNo(), creation.thirdServerCode());
			return null;
		}
		boolean ours = creation.thirdServerCode().equals(code);
		if (!ours) {
			logger.warn("Prospect {} was recorded created after a lost answer, but customer {} with its phone has"
					+ " another thirdServerCode: recorded as EXISTS", creation.thirdServerCode(), creation.customerNo());
		}
		return new Confirmation(creation.prospectId(), creation.customerNo(), ours);
	}

	/**
	 * Records confirmations in the ledger, in the chunk's transaction: the prospect, and the input
	 * rows of the run that created it (which may be an earlier run than this one).
	 */
	public void record(List<Confirmation> confirmations) {
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
	 * A prospect recorded {@code CREATED} after a lost answer, with the {@code customerNo} of the
	 * synced customer that has its phone.
	 */
	public record InferredCreation(long prospectId, String thirdServerCode, String customerNo) {
	}

	/** What {@code detail} said of an inferred creation: {@code ours} when the codes match. */
	public record Confirmation(long prospectId, String customerNo, boolean ours) {
	}

	/** Input rows of the run that still have no outcome. */
	public long pendingRows(Run run) {
		Long pending = this.jdbc.queryForObject(
				"SELECT count(*) FROM onboarding.input_row WHERE run_id = :runId AND outcome = 'PENDING'",
				new MapSqlParameterSource("runId", run.runId()), Long.class);
		return (pending != null) ? pending : 0;
	}

	/**
	 * Prospects this run created, with the {@code customerNo} the create answered, that are missing
	 * from the synced customers: only meaningful after a completed sync.
	 */
	public long createdButMissing(Run run) {
		Long missing = this.jdbc.queryForObject("""
				SELECT count(*) FROM onboarding.prospect p
				WHERE p.run_id = :runId AND p.mode = 'LIVE' AND p.status = 'CREATED' AND p.customer_no IS NOT NULL
				  AND NOT EXISTS (SELECT 1 FROM reporting.customer c WHERE c.customer_no = p.customer_no)""",
				new MapSqlParameterSource("runId", run.runId()), Long.class);
		return (missing != null) ? missing : 0;
	}

	/**
	 * Prospects this run recorded {@code CREATED} after a lost answer, not yet confirmed by their
	 * {@code thirdServerCode} (the platform no longer had the customer, or the sync had not copied
	 * it): the next run of the company tries again.
	 */
	public long createdUnconfirmed(Run run) {
		Long unconfirmed = this.jdbc.queryForObject("""
				SELECT count(*) FROM onboarding.prospect
				WHERE run_id = :runId AND mode = 'LIVE' AND status = 'CREATED' AND customer_no IS NULL""",
				new MapSqlParameterSource("runId", run.runId()), Long.class);
		return (unconfirmed != null) ? unconfirmed : 0;
	}

}
