package dev.onboardingsync.onboarding;

/**
 * Where a prospect stands in the ledger. {@link #UNCERTAIN}: a create was noted, committed, before it
 * was sent, and its answer is not recorded (it may not have gone out, or its answer was lost); it is
 * settled by a check before anything else is tried.
 */
enum ProspectStatus {

	PENDING(false), UNCERTAIN(false), CREATED(true), EXISTS(true), REJECTED(true), WOULD_CREATE(true);

	private final boolean settled;

	ProspectStatus(boolean settled) {
		this.settled = settled;
	}

	public boolean settled() {
		return this.settled;
	}

	Outcome outcome() {
		return switch (this) {
			case CREATED -> Outcome.CREATED;
			case EXISTS -> Outcome.EXISTS;
			case REJECTED -> Outcome.REJECTED;
			case WOULD_CREATE -> Outcome.WOULD_CREATE;
			case PENDING, UNCERTAIN -> Outcome.PENDING;
		};
	}

}
