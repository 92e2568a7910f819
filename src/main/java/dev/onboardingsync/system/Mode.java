package dev.onboardingsync.system;

/** A real run, or a dry run that only checks and keeps its ledger apart. */
public enum Mode {

	LIVE, DRY_RUN

}
