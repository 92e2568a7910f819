package dev.onboardingsync.reporting;

import java.util.Map;

/**
 * What a run did, as the log, {@code reporting.run_summary} and the JSON report all show it.
 * Outcome counts add up to {@code rowsRead}; {@code emptyRowsSkipped} counts the rows of the input
 * whose cells were all empty, skipped like blank lines. {@code createdButMissingOnPlatform} counts
 * creations whose answer gave a {@code customerNo} that a completed sync did not find (0 when no sync
 * completed); {@code createdUnconfirmed} counts creations inferred after a lost answer and not yet
 * confirmed by their {@code thirdServerCode}, which the next run confirms. {@code customersMissing}
 * counts the company's customers a completed full sync did not find on the platform (marked
 * {@code missing_since} in {@code reporting.customer}), {@code customersNewlyMissing} those this
 * run's sync marked (issue 12). {@code rowsPerSecond}
 * counts the rows this execution gave their outcome (not those still {@code PENDING}, nor those an
 * earlier execution of the run settled), per second of its duration.
 */
record RunSummary(String job, long runId, long jobExecutionId, String companyId, String mode, String input,
		String status, String startedAt, String endedAt, double durationSeconds, long rowsRead,
		long emptyRowsSkipped, Map<String, Long> outcomes, long accountsCreated, long createdButMissingOnPlatform,
		long createdUnconfirmed, long customersSynced, long customersChanged, long customersNewlyMissing,
		long customersMissing, Map<String, Long> apiCalls, long retries,
		double rowsPerSecond, String reportFile, String rejectedRowsFile) {
}
