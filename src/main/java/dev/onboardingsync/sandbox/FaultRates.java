package dev.onboardingsync.sandbox;

/**
 * Probabilities (0..1) of each fault the sandbox can inject into one endpoint's answers.
 *
 * @param serverError answer with an HTTP 5xx before doing anything
 * @param busy answer {@code B0001} (system busy) before doing anything
 * @param tooManyRequests answer {@code A0429} before doing anything
 * @param timeout do the work, then answer nothing until the hold has passed and drop the connection
 * @param malformed do the work, then answer an unparseable body
 * @param lostResponse do the work (commit a create), then drop the connection without an answer
 */
public record FaultRates(double serverError, double busy, double tooManyRequests, double timeout, double malformed,
		double lostResponse) {

	private static final FaultRates NONE = new FaultRates(0, 0, 0, 0, 0, 0);

	public FaultRates {
		double total = 0;
		for (double rate : new double[] { serverError, busy, tooManyRequests, timeout, malformed, lostResponse }) {
			if (rate < 0 || rate > 1) {
				throw new IllegalArgumentException("A fault rate must be between 0 and 1, was " + rate);
			}
			total += rate;
		}
		if (total > 1.000001) {
			throw new IllegalArgumentException("The fault rates of one endpoint add up to " + total + ", more than 1");
		}
	}

	public static FaultRates none() {
		return NONE;
	}

	public FaultRates withServerError(double rate) {
		return new FaultRates(rate, this.busy, this.tooManyRequests, this.timeout, this.malformed, this.lostResponse);
	}

	public FaultRates withBusy(double rate) {
		return new FaultRates(this.serverError, rate, this.tooManyRequests, this.timeout, this.malformed,
				this.lostResponse);
	}

	public FaultRates withTooManyRequests(double rate) {
		return new FaultRates(this.serverError, this.busy, rate, this.timeout, this.malformed, this.lostResponse);
	}

	public FaultRates withTimeout(double rate) {
		return new FaultRates(this.serverError, this.busy, this.tooManyRequests, rate, this.malformed,
				this.lostResponse);
	}

	public FaultRates withMalformed(double rate) {
		return new FaultRates(this.serverError, this.busy, this.tooManyRequests, this.timeout, rate,
				this.lostResponse);
	}

	public FaultRates withLostResponse(double rate) {
		return new FaultRates(this.serverError, this.busy, this.tooManyRequests, this.timeout, this.malformed, rate);
	}

	/** Picks the fault for a roll in [0, 1), or {@code null} for none. */
	Fault pick(double roll) {
		double bound = 0;
		for (Fault fault : Fault.values()) {
			bound += rate(fault);
			if (roll < bound) {
				return fault;
			}
		}
		return null;
	}

	private double rate(Fault fault) {
		return switch (fault) {
			case SERVER_ERROR -> this.serverError;
			case BUSY -> this.busy;
			case TOO_MANY_REQUESTS -> this.tooManyRequests;
			case TIMEOUT -> this.timeout;
			case MALFORMED -> this.malformed;
			case LOST_RESPONSE -> this.lostResponse;
		};
	}

}
