package dev.onboardingsync.reporting;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.onboardingsync.customerapi.ApiJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run execution's report files in {@code onboarding.report-directory}, named
 * {@code run-<runId>-execution-<executionId>}: the summary as JSON ({@code .json}) and, when the run
 * has rejected rows, those rows as a CSV file to fix and feed back ({@code -rejected.csv},
 * {@link RunExport#writeRejected}). Files that cannot be written are logged, not thrown: the
 * summary is in the database and the log, and {@code runs export} writes the rows again.
 */
final class RunReportFiles {

	private static final Logger logger = LoggerFactory.getLogger(RunReportFiles.class);

	private final Path directory;

	private final RunExport export;

	private final char delimiter;

	/** @param delimiter the rejected-rows file's delimiter: the input's, so it can be fed back as it is */
	RunReportFiles(Path directory, RunExport export, char delimiter) {
		this.directory = directory;
		this.export = export;
		this.delimiter = delimiter;
	}

	/** The summary's file. */
	Path summaryFile(long runId, long jobExecutionId) {
		return this.directory.resolve(stem(runId, jobExecutionId) + ".json");
	}

	/** The rejected rows' file, or {@code null} when there are none. */
	Path rejectedFile(long runId, long jobExecutionId, long rejectedRows) {
		return (rejectedRows > 0) ? this.directory.resolve(stem(runId, jobExecutionId) + "-rejected.csv") : null;
	}

	/** Writes the summary's file, and the rejected rows' file when the summary names one. */
	void write(RunSummary summary) {
		try {
			Files.createDirectories(this.directory);
			Files.write(Path.of(summary.reportFile()),
					ApiJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(summary));
			if (summary.rejectedRowsFile() != null) {
				try (Writer writer = Files.newBufferedWriter(Path.of(summary.rejectedRowsFile()), StandardCharsets.UTF_8)) {
					this.export.writeRejected(summary.runId(), this.delimiter, writer);
				}
			}
		}
		catch (IOException ex) {
			logger.error("Could not write the report files to {} ({}): check onboarding.report-directory. The summary"
					+ " is in reporting.run_summary, and runs export {} writes the rejected rows from the database.",
					this.directory.toAbsolutePath(), ex.toString(), summary.runId());
		}
	}

	private static String stem(long runId, long jobExecutionId) {
		return "run-" + runId + "-execution-" + jobExecutionId;
	}

}
