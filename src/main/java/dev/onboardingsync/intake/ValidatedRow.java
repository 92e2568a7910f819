package dev.onboardingsync.intake;

/**
 * An input row after validation: either a {@link Prospect}, or the reason it was rejected.
 */
public record ValidatedRow(InputRow row, Prospect prospect, String rejection) {

	public static ValidatedRow accepted(InputRow row, Prospect prospect) {
		return new ValidatedRow(row, prospect, null);
	}

	public static ValidatedRow rejected(InputRow row, String reason) {
		return new ValidatedRow(row, null, reason);
	}

	public boolean isAccepted() {
		return this.prospect != null;
	}

}
