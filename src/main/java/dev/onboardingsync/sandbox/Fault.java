package dev.onboardingsync.sandbox;

/** The faults the sandbox injects; the first three come before any work, the others after it. */
enum Fault {

	SERVER_ERROR(false), BUSY(false), TOO_MANY_REQUESTS(false), TIMEOUT(true), MALFORMED(true), LOST_RESPONSE(true);

	private final boolean afterWork;

	Fault(boolean afterWork) {
		this.afterWork = afterWork;
	}

	/** Whether the request is processed (and a create committed) before the fault strikes. */
	public boolean afterWork() {
		return this.afterWork;
	}

}
