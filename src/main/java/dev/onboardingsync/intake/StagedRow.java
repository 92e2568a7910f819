package dev.onboardingsync.intake;

/**
 * An input row after validation: either a {@link Prospect}, or the reason it was rejected.
 */
public record StagedRow(InputRow row, Prospect prospect, String rejection) {

	public static StagedRow accepted(InputRow row, Prospect prospect) {
		return new StagedRow(row, prospect, null);
	}

	public static StagedRow rejected(InputRow row, String reason) {
		return new StagedRow(row, null, reason);
	}

	public boolean isAccepted() {
		return this.prospect != null;
	}

}
