package dev.onboardingsync.reporting;

import java.util.List;

import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerDetailRequest;
import dev.onboardingsync.customerapi.CustomerNotFoundException;
import dev.onboardingsync.onboarding.Confirmation;
import dev.onboardingsync.onboarding.Ledger;
import dev.onboardingsync.system.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Ties the ledger to the synced customers: creations inferred after a lost answer are confirmed by
 * the customer's {@code thirdServerCode} ({@code confirmCreationsStep}); created and existing
 * prospects get the {@code customerNo} of the platform's customer with their phone, and their input
 * rows too ({@code reconcileStep}); and it counts what the run's summary reports. Reconciling also
 * gives the last pending rows the outcome of their prospect. The ledger writes what it finds: it
 * owns every write to {@code onboarding.*} (issue 11).
 */
public class Reconciliation {

	private static final Logger logger = LoggerFactory.getLogger(Reconciliation.class);

	private final NamedParameterJdbcTemplate jdbc;

	private final CustomerApiClient client;

	private final Ledger ledger;

	public Reconciliation(NamedParameterJdbcTemplate jdbc, CustomerApiClient client, Ledger ledger) {
		this.jdbc = jdbc;
		this.client = client;
		this.ledger = ledger;
	}

	/**
	 * Links the run's prospects and rows to the synced customers, in the ledger ({@link Ledger#link}).
	 * @return how many prospects of the run were newly linked
	 */
	public int link(Run run) {
		return this.ledger.link(run);
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

	/** Records confirmations in the ledger ({@link Ledger#recordConfirmations}), in the chunk's transaction. */
	public void record(List<Confirmation> confirmations) {
		this.ledger.recordConfirmations(confirmations);
	}

	/**
	 * A prospect recorded {@code CREATED} after a lost answer, with the {@code customerNo} of the
	 * synced customer that has its phone.
	 */
	public record InferredCreation(long prospectId, String thirdServerCode, String customerNo) {
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
