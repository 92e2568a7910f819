package dev.onboardingsync.reporting;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The run's metrics, which the process pushes to a Prometheus Pushgateway every minute and once more,
 * replacing the last push, when it ends ({@code management.prometheus.metrics.export.pushgateway.*},
 * README "Watching it"). {@code k8s/monitoring}'s alerts and dashboard read them (issue 10).
 * <p>
 * Prometheus names: {@code onboarding_run_status{status}} (1 for the status of this process's run, a
 * Spring Batch {@link BatchStatus}, 0 for the others: all 0 before a run starts),
 * {@code onboarding_run_in_progress} (1 while the run holds the company's run lock and runs),
 * {@code onboarding_run_start_timestamp_seconds} and {@code onboarding_run_end_timestamp_seconds}
 * (Unix time), {@code onboarding_run_last_success_timestamp_seconds} (when the company's last run
 * of either job completed, from the job's database; 0 if none ever did), the last summary's
 * {@code onboarding_run_rows_per_second}, {@code onboarding_run_duration_seconds} and
 * {@code onboarding_run_created_unconfirmed}, and the counters {@code onboarding_outcomes_total{outcome}},
 * {@code onboarding_rows_read_total} and {@code onboarding_accounts_created_total}.
 * <p>
 * The gauges read this bean, which the application context holds: Micrometer holds a gauge's object
 * only weakly, so a gauge of a number of its own would read NaN after a garbage collection.
 */
public class RunMetrics implements JobExecutionListener {

	private volatile BatchStatus status;

	private volatile double startTime = Double.NaN;

	private volatile double endTime = Double.NaN;

	private volatile double lastSuccessTime;

	private volatile RunSummary lastSummary;

	private final MeterRegistry meters;

	/**
	 * @param companyId whose last completed run {@code onboarding_run_last_success_timestamp_seconds}
	 * starts from
	 */
	public RunMetrics(NamedParameterJdbcTemplate jdbc, String companyId, MeterRegistry meters) {
		this.meters = meters;
		LocalDateTime lastSuccess = jdbc.queryForObject("""
				SELECT max(e.end_time) FROM batch_job_execution e
				WHERE e.status = 'COMPLETED' AND EXISTS (SELECT 1 FROM batch_job_execution_params p
				    WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = 'companyId'
				      AND p.parameter_value = :companyId)""", new MapSqlParameterSource("companyId", companyId),
				LocalDateTime.class);
		this.lastSuccessTime = (lastSuccess != null) ? unixTime(lastSuccess) : 0;
		for (BatchStatus each : BatchStatus.values()) {
			Gauge.builder("onboarding.run.status", this, (metrics) -> (metrics.status == each) ? 1 : 0)
				.description("1 for the status of the run this process ran, 0 for the others")
				.tag("status", each.name())
				.register(meters);
		}
		gauge("onboarding.run.in.progress", null, "1 while the run holds the company's run lock and runs",
				(metrics) -> (metrics.status != null && metrics.status.isRunning()) ? 1 : 0);
		gauge("onboarding.run.start.timestamp", "seconds", "When the run started, Unix time", (metrics) -> metrics.startTime);
		gauge("onboarding.run.end.timestamp", "seconds", "When the run ended, Unix time", (metrics) -> metrics.endTime);
		gauge("onboarding.run.last.success.timestamp", "seconds",
				"When the company's last run completed, Unix time; 0 if none did", (metrics) -> metrics.lastSuccessTime);
		summaryGauge("onboarding.run.rows.per.second", "Input rows the last run's execution gave their outcome, per second",
				RunSummary::rowsPerSecond);
		summaryGauge("onboarding.run.duration.seconds", "The last run's duration", RunSummary::durationSeconds);
		summaryGauge("onboarding.run.created.unconfirmed",
				"Creations the last run inferred after a lost answer, not yet confirmed by their thirdServerCode",
				RunSummary::createdUnconfirmed);
	}

	private void gauge(String name, String unit, String description, ToDoubleFunction<RunMetrics> value) {
		Gauge.builder(name, this, value).description(description).baseUnit(unit).register(this.meters);
	}

	private void summaryGauge(String name, String description, ToDoubleFunction<RunSummary> value) {
		gauge(name, null, description,
				(metrics) -> (metrics.lastSummary != null) ? value.applyAsDouble(metrics.lastSummary) : Double.NaN);
	}

	// Spring Batch keeps local times of this JVM's zone.
	private static double unixTime(LocalDateTime time) {
		return time.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli() / 1000.0;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		this.startTime = (jobExecution.getStartTime() != null) ? unixTime(jobExecution.getStartTime())
				: System.currentTimeMillis() / 1000.0;
		this.endTime = Double.NaN;
		this.status = BatchStatus.STARTED;
	}

	// Needs nothing but the execution: a run that failed because its database is gone still says so.
	// Spring Batch sets the end time it stores before it calls this.
	@Override
	public void afterJob(JobExecution jobExecution) {
		this.endTime = (jobExecution.getEndTime() != null) ? unixTime(jobExecution.getEndTime())
				: System.currentTimeMillis() / 1000.0;
		this.status = jobExecution.getStatus();
		if (jobExecution.getStatus() == BatchStatus.COMPLETED) {
			this.lastSuccessTime = this.endTime;
		}
	}

	/** The run's summary: its gauges, and its outcome counts added to the counters. */
	void record(RunSummary summary) {
		summary.outcomes()
			.forEach((outcome, count) -> Counter.builder("onboarding.outcomes")
				.description("Input rows by recorded outcome")
				.tag("outcome", outcome)
				.register(this.meters)
				.increment(count));
		Counter.builder("onboarding.rows.read").description("Input rows read").register(this.meters)
			.increment(summary.rowsRead());
		Counter.builder("onboarding.accounts.created").description("Accounts this run created")
			.register(this.meters)
			.increment(summary.accountsCreated());
		this.lastSummary = summary;
	}

}
