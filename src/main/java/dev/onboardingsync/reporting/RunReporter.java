package dev.onboardingsync.reporting;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.intake.InputReaders;
import dev.onboardingsync.intake.IntakeProperties;
import dev.onboardingsync.intake.ProspectReader;
import dev.onboardingsync.onboarding.OnboardingProperties;
import dev.onboardingsync.onboarding.PersonalDataRetention;
import dev.onboardingsync.system.JobParameterNames;
import dev.onboardingsync.system.RetryCounter;
import dev.onboardingsync.system.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * At the end of every run, completed or failed: the summary in the log, in
 * {@code reporting.run_summary} and as a JSON file, and the rejected rows in a CSV file (the line
 * number and reason, then the row as read) that can be fixed and fed back.
 */
public class RunReporter implements JobExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(RunReporter.class);

	private final NamedParameterJdbcTemplate jdbc;

	private final CustomerApiClient client;

	private final RetryCounter retries;

	private final Reconciliation reconciliation;

	private final IntakeProperties intake;

	private final RunMetrics metrics;

	private final JobRepository jobRepository;

	private final PersonalDataRetention retention;

	private final RunReportFiles files;

	private final CustomerSyncRecords customersSeen;

	private Map<String, Long> callsAtStart = Map.of();

	private long retriesAtStart;

	private long settledAtStart;

	public RunReporter(NamedParameterJdbcTemplate jdbc, CustomerApiClient client, RetryCounter retries,
			Reconciliation reconciliation, IntakeProperties intake, OnboardingProperties properties,
			RunMetrics metrics, JobRepository jobRepository, PersonalDataRetention retention) {
		this.jobRepository = jobRepository;
		this.retention = retention;
		this.customersSeen = new CustomerSyncRecords(jdbc);
		this.files = new RunReportFiles(properties.reportDirectory(), new RunExport(jdbc), intake.delimiter().charAt(0));
		this.jdbc = jdbc;
		this.client = client;
		this.retries = retries;
		this.reconciliation = reconciliation;
		this.intake = intake;
		this.metrics = metrics;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		this.callsAtStart = this.client.callCounts();
		this.retriesAtStart = this.retries.retries();
		// A resumed run's rows settled by earlier executions do not count towards this one's rate.
		this.settledAtStart = settled(outcomes(Run.of(jobExecution)));
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		try {
			report(jobExecution);
		}
		catch (RuntimeException ex) {
			// The run's own status stands; a report that cannot be written must not hide it.
			logger.error("Could not write the report of job execution {}", jobExecution.getId(), ex);
		}
	}

	private void report(JobExecution jobExecution) {
		Run run = Run.of(jobExecution);
		String input = jobExecution.getJobParameters().getString(JobParameterNames.INPUT);
		Map<String, Long> outcomes = outcomes(run);
		long rowsRead = outcomes.values().stream().mapToLong(Long::longValue).sum();
		LocalDateTime start = jobExecution.getStartTime();
		LocalDateTime end = LocalDateTime.now();
		double seconds = Duration.between(start, end).toMillis() / 1000.0;
		long synced = 0;
		long changed = 0;
		long newlyMissing = 0;
		for (StepExecution step : jobExecution.getStepExecutions()) {
			synced += step.getExecutionContext().getLong(SyncPages.SEEN, 0);
			changed += step.getExecutionContext().getLong(SyncPages.CHANGED, 0);
			newlyMissing += step.getExecutionContext().getLong(FullCustomerSync.NEWLY_MISSING, 0);
		}
		StepExecution staging = this.jobRepository.getLastStepExecution(jobExecution.getJobInstance(),
				"stageProspectsStep");
		long emptyRows = (staging != null) ? staging.getExecutionContext().getLong(ProspectReader.EMPTY_ROWS, 0) : 0;
		Map<String, Long> calls = new LinkedHashMap<>();
		this.client.callCounts().forEach((endpoint, count) -> calls.put(endpoint, count - this.callsAtStart.getOrDefault(endpoint, 0L)));
		Path reportFile = this.files.summaryFile(run.runId(), jobExecution.getId());
		Path rejectedFile = this.files.rejectedFile(run.runId(), jobExecution.getId(), outcomes.getOrDefault("REJECTED", 0L));
		RunSummary summary = new RunSummary(jobExecution.getJobInstance().getJobName(), run.runId(),
				jobExecution.getId(), run.companyId(), run.mode().name(),
				(input != null) ? InputReaders.describe(input, this.intake) : null, jobExecution.getStatus().name(),
				start.atZone(ZoneId.systemDefault()).toInstant().toString(),
				end.atZone(ZoneId.systemDefault()).toInstant().toString(), seconds, rowsRead, emptyRows, outcomes,
				outcomes.getOrDefault("CREATED", 0L), createdButMissing(run, jobExecution),
				this.reconciliation.createdUnconfirmed(run), synced, changed, newlyMissing,
				this.customersSeen.missing(run.companyId()), calls,
				this.retries.retries() - this.retriesAtStart,
				(seconds > 0) ? (settled(outcomes) - this.settledAtStart) / seconds : 0,
				reportFile.toString(), (rejectedFile != null) ? rejectedFile.toString() : null);
		this.jdbc.update("""
				INSERT INTO reporting.run_summary (job_execution_id, run_id, company_id, mode, status, started_at,
				    ended_at, rows_read, accounts_created, summary)
				VALUES (:jobExecutionId, :runId, :companyId, :mode, :status, :startedAt, :endedAt, :rowsRead,
				    :accountsCreated, CAST(:summary AS jsonb))
				ON CONFLICT (job_execution_id) DO UPDATE SET status = EXCLUDED.status, ended_at = EXCLUDED.ended_at,
				    rows_read = EXCLUDED.rows_read, accounts_created = EXCLUDED.accounts_created,
				    summary = EXCLUDED.summary""",
				new MapSqlParameterSource().addValue("jobExecutionId", summary.jobExecutionId())
					.addValue("runId", summary.runId())
					.addValue("companyId", summary.companyId())
					.addValue("mode", summary.mode())
					.addValue("status", summary.status())
					.addValue("startedAt", start.atZone(ZoneId.systemDefault()).toOffsetDateTime())
					.addValue("endedAt", end.atZone(ZoneId.systemDefault()).toOffsetDateTime())
					.addValue("rowsRead", summary.rowsRead())
					.addValue("accountsCreated", summary.accountsCreated())
					.addValue("summary", ApiJson.mapper().writeValueAsString(summary)));
		this.metrics.record(summary);
		logger.info("{}", SummaryTable.render(summary));
		// The files last: the summary is in the database and the log even when they cannot be written.
		try {
			this.files.write(summary);
		}
		finally {
			// After the rejected-rows file, which needs the cells this may clear (a retention of 0s).
			this.retention.clear();
		}
	}

	private Map<String, Long> outcomes(Run run) {
		Map<String, Long> outcomes = new LinkedHashMap<>();
		for (String outcome : List.of("CREATED", "EXISTS", "ALREADY_ONBOARDED", "WOULD_CREATE", "DUPLICATE", "REJECTED",
				"PENDING")) {
			outcomes.put(outcome, 0L);
		}
		this.jdbc.query("SELECT outcome, count(*) FROM onboarding.input_row WHERE run_id = :runId GROUP BY outcome",
				new MapSqlParameterSource("runId", run.runId()), (rs) -> {
					outcomes.put(rs.getString(1), rs.getLong(2));
				});
		return outcomes;
	}

	// Rows given their outcome: all but those still PENDING.
	private static long settled(Map<String, Long> outcomes) {
		return outcomes.values().stream().mapToLong(Long::longValue).sum() - outcomes.getOrDefault("PENDING", 0L);
	}

	private long createdButMissing(Run run, JobExecution jobExecution) {
		boolean synced = jobExecution.getStepExecutions()
			.stream()
			.anyMatch((step) -> step.getStepName().equals("syncCustomersStep")
					&& step.getStatus() == BatchStatus.COMPLETED);
		return synced ? this.reconciliation.createdButMissing(run) : 0;
	}
}
