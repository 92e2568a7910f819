package dev.onboardingsync.reporting;

import java.util.Map;

/** The run's summary as a plain-text table for the log and the console. */
final class SummaryTable {

	private SummaryTable() {
	}

	static String render(RunSummary summary) {
		StringBuilder table = new StringBuilder(System.lineSeparator());
		line(table, "job", summary.job() + " (" + summary.mode() + ")");
		line(table, "run / execution", summary.runId() + " / " + summary.jobExecutionId());
		line(table, "status", summary.status());
		if (summary.input() != null) {
			line(table, "input", summary.input());
		}
		line(table, "rows read", Long.toString(summary.rowsRead()));
		if (summary.emptyRowsSkipped() > 0) {
			line(table, "empty rows skipped", Long.toString(summary.emptyRowsSkipped()));
		}
		for (Map.Entry<String, Long> outcome : summary.outcomes().entrySet()) {
			boolean rare = outcome.getKey().equals("WOULD_CREATE") || outcome.getKey().equals("PENDING");
			if (outcome.getValue() > 0 || !rare) {
				line(table, "  " + outcome.getKey(), Long.toString(outcome.getValue()));
			}
		}
		line(table, "accounts created", Long.toString(summary.accountsCreated()));
		if (summary.createdButMissingOnPlatform() > 0) {
			line(table, "CREATED BUT NOT ON PLATFORM", Long.toString(summary.createdButMissingOnPlatform()));
		}
		if (summary.createdUnconfirmed() > 0) {
			line(table, "created, to be confirmed", summary.createdUnconfirmed() + " (answers lost; the next run confirms them)");
		}
		line(table, "customers synced (changed)", summary.customersSynced() + " (" + summary.customersChanged() + ")");
		if (summary.customersMissing() > 0) {
			line(table, "customers missing (new)", summary.customersMissing() + " (" + summary.customersNewlyMissing()
					+ ") not found on the platform: reporting.customer.missing_since");
		}
		long calls = summary.apiCalls().values().stream().mapToLong(Long::longValue).sum();
		line(table, "API calls", calls + " " + summary.apiCalls());
		line(table, "retries", Long.toString(summary.retries()));
		line(table, "duration", String.format("%.1f s", summary.durationSeconds()));
		line(table, "rate", String.format("%.1f rows/s", summary.rowsPerSecond()));
		line(table, "report", summary.reportFile());
		if (summary.rejectedRowsFile() != null) {
			line(table, "rejected rows", summary.rejectedRowsFile());
		}
		return table.toString();
	}

	private static void line(StringBuilder table, String name, String value) {
		table.append(String.format("  %-28s %s%n", name, value));
	}

}
