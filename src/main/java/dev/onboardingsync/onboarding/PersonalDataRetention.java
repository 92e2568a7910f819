package dev.onboardingsync.onboarding;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ledger's personal data no longer than it is needed (issue 8, README "Personal data at
 * rest"): the cells of input rows as read ({@code onboarding.input_row.raw}, for the rejected-rows
 * file) are cleared {@code onboarding.rejected-rows-retention} after their run ended for good
 * (COMPLETED, or ABANDONED by {@code runs abandon}); the initial-password hash of a prospect whose
 * run was abandoned before settling it ({@code onboarding.prospect.pwd_md5}) at once, since a later
 * run that stages the prospect again carries its own. A run that can still be resumed keeps both.
 */
public class PersonalDataRetention {

	private static final Logger logger = LoggerFactory.getLogger(PersonalDataRetention.class);

	private final Ledger ledger;

	private final Duration retention;

	/**
	 * @param retention how long after a run ended for good its rows' cells are kept
	 * ({@code onboarding.rejected-rows-retention})
	 */
	public PersonalDataRetention(Ledger ledger, Duration retention) {
		this.ledger = ledger;
		this.retention = retention;
	}

	/** Clears what is past its time, for every company; cheap when there is nothing to clear. */
	public void clear() {
		Ledger.ClearedPersonalData cleared = this.ledger.clearPersonalData(this.retention);
		int cells = cleared.inputRows();
		int passwords = cleared.prospects();
		if (cells > 0 || passwords > 0) {
			logger.info("Cleared the cells of {} input rows of runs ended over {} ago (onboarding.rejected-rows-retention)"
					+ " and the initial-password hashes of {} prospects of abandoned runs", cells, this.retention, passwords);
		}
	}

}
