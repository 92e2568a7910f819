package dev.onboardingsync.onboarding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.onboardingsync.intake.Prospect;
import dev.onboardingsync.intake.ValidatedRow;

/**
 * What staging records for each validated row, in line order: pure rules, no I/O (issue 11; the
 * {@link Ledger} looks up what they need and writes what they decide).
 * <ol>
 * <li>A row validation rejected is {@code REJECTED} with its reason.</li>
 * <li>A row whose external id ({@code thirdServerCode}), phone or email (the identities the platform
 * keeps unique, so two lines sharing one would collide there) an earlier line of the run already
 * claimed is {@code DUPLICATE} of that line.</li>
 * <li>A row whose prospect an earlier live run settled ({@code CREATED} or {@code EXISTS}) is
 * {@code ALREADY_ONBOARDED}, with that run's {@code customerNo} and no API call.</li>
 * <li>Any other row is {@code PENDING}, its prospect staged for this run.</li>
 * </ol>
 */
final class StagingRules {

	/**
	 * The reason of an {@code ALREADY_ONBOARDED} row: the status and run, as Java's
	 * {@link String#format} and PostgreSQL's {@code format()} both fill it (the one rule, issue 11).
	 */
	static final String ONBOARDED_AS = "onboarded as %s by run %s";

	private StagingRules() {
	}

	/**
	 * Rules 1 and 2.
	 * @param claimed the identities earlier lines of the run claimed (as {@link #claimKeys} names them),
	 * by their line number
	 */
	static Claims claim(List<ValidatedRow> rows, Map<String, Long> claimed) {
		Map<String, Long> newClaims = new LinkedHashMap<>();
		List<Decision> decided = new ArrayList<>();
		List<ValidatedRow> unclaimed = new ArrayList<>();
		for (ValidatedRow staged : rows) {
			if (!staged.isAccepted()) {
				decided.add(new Decision(staged, Outcome.REJECTED, staged.rejection(), null, null));
				continue;
			}
			Map<String, String> keys = claimKeys(staged.prospect());
			Map.Entry<String, String> taken = keys.entrySet()
				.stream()
				.filter((key) -> claimed.containsKey(key.getKey()) || newClaims.containsKey(key.getKey()))
				.findFirst()
				.orElse(null);
			if (taken != null) {
				long line = claimed.getOrDefault(taken.getKey(), newClaims.get(taken.getKey()));
				decided.add(new Decision(staged, Outcome.DUPLICATE, "same " + taken.getValue() + " as line " + line, line,
						null));
				continue;
			}
			keys.keySet().forEach((key) -> newClaims.put(key, staged.row().lineNumber()));
			unclaimed.add(staged);
		}
		return new Claims(decided, unclaimed, newClaims);
	}

	/**
	 * Rules 3 and 4, for the rows {@link #claim} left.
	 * @param settled the prospects earlier live runs settled, by {@code thirdServerCode}
	 */
	static List<Decision> settle(List<ValidatedRow> unclaimed, Map<String, SettledProspect> settled) {
		List<Decision> decided = new ArrayList<>(unclaimed.size());
		for (ValidatedRow staged : unclaimed) {
			SettledProspect done = settled.get(staged.prospect().thirdServerCode());
			decided.add((done != null)
					? new Decision(staged, Outcome.ALREADY_ONBOARDED, ONBOARDED_AS.formatted(done.status(), done.runId()),
							null, done.customerNo())
					: new Decision(staged, Outcome.PENDING, null, null, null));
		}
		return decided;
	}

	/** The prefix of a claim of a {@code thirdServerCode} in {@link #claimKeys}. */
	static final String CODE_KEY = "code:";

	/** Whether a claim key ({@link #claimKeys}) is that of a {@code thirdServerCode}. */
	static boolean isCodeKey(String key) {
		return key.startsWith(CODE_KEY);
	}

	/** The identities of a prospect the platform keeps unique, each with its name in a reason. */
	static Map<String, String> claimKeys(Prospect prospect) {
		Map<String, String> keys = new LinkedHashMap<>();
		keys.put(CODE_KEY + prospect.thirdServerCode(), "external id");
		keys.put("phone:" + prospect.phoneArea() + ":" + prospect.phone(), "phone");
		if (prospect.email() != null) {
			keys.put("email:" + prospect.email().toLowerCase(Locale.ROOT), "email");
		}
		return keys;
	}

	/** What a row is recorded as. */
	record Decision(ValidatedRow row, Outcome outcome, String reason, Long duplicateOf, String customerNo) {
	}

	/**
	 * @param decided the rows rules 1 and 2 decided
	 * @param unclaimed the rest, for {@link #settle}
	 * @param newClaims the identities they claim, by line number
	 */
	record Claims(List<Decision> decided, List<ValidatedRow> unclaimed, Map<String, Long> newClaims) {
	}

	/** A prospect an earlier live run settled. */
	record SettledProspect(String status, String customerNo, long runId) {
	}

}
