package dev.onboardingsync.reporting;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.function.ToDoubleFunction;

import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.onboarding.Outcome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The company's last run as gauges, which the process pushes to a Prometheus Pushgateway every
 * minute and once more, replacing the last push, when it ends
 * ({@code management.prometheus.metrics.export.pushgateway.*}, README "Watching it");
 * {@code k8s/monitoring}'s alerts and dashboard read them (issue 10).
 * <p>
 * Every process of the company pushes to the same group, so each pushes the last run as the job's
 * database knows it when the process starts (its latest execution and summary), then its own run:
 * a process refused because another run holds the lock (exit code 4) pushes that run, still in
 * progress, and one refused before its run started (a bad setting or input) pushes {@code FAILED}.
 * <p>
 * Prometheus names: {@code onboarding_run_status{status}} (1 for the last run's Spring Batch
 * {@link BatchStatus}, 0 for the others), {@code onboarding_run_in_progress} (1 while it runs, as a
 * run that holds the company's run lock does, or a dead process left it),
 * {@code onboarding_run_start_timestamp_seconds} and {@code onboarding_run_end_timestamp_seconds}
 * (Unix time), {@code onboarding_run_last_success_timestamp_seconds} (when the company's last run of
 * either job completed; 0 if none ever did), and of the last run's summary
 * {@code onboarding_run_rows{outcome}}, {@code onboarding_run_rows_read},
 * {@code onboarding_run_accounts_created}, {@code onboarding_run_rows_per_second},
 * {@code onboarding_run_duration_seconds} and {@code onboarding_run_created_unconfirmed}.
 * <p>
 * The gauges read this bean, which the application context holds: Micrometer holds a gauge's object
 * only weakly, so a gauge of a number of its own would read NaN after a garbage collection.
 * Spring Batch keeps local times of the JVM that wrote them; they are read in this JVM's zone.
 */
public class RunMetrics implements JobExecutionListener {

	private volatile BatchStatus status;

	private volatile double startTime = Double.NaN;

	private volatile double endTime = Double.NaN;

	private volatile double lastSuccessTime;

	private volatile RunSummary lastSummary;

	private final MeterRegistry meters;

	/** @param companyId whose last run the gauges start from */
	public RunMetrics(NamedParameterJdbcTemplate jdbc, String companyId, MeterRegistry meters) {
		this.meters = meters;
		MapSqlParameterSource company = new MapSqlParameterSource("companyId", companyId);
		String ofTheCompany = """
				EXISTS (SELECT 1 FROM public.batch_job_execution_params p WHERE p.job_execution_id = e.job_execution_id
				        AND p.parameter_name = 'companyId' AND p.parameter_value = :companyId)""";
		jdbc.query("SELECT e.status, e.start_time, e.end_time FROM public.batch_job_execution e WHERE " + ofTheCompany
				+ " ORDER BY e.job_execution_id DESC LIMIT 1", company, (rs) -> {
					this.status = BatchStatus.valueOf(rs.getString(1));
					this.startTime = unixTime(rs.getTimestamp(2));
					this.endTime = unixTime(rs.getTimestamp(3));
				});
		Timestamp lastSuccess = jdbc.queryForObject("SELECT max(e.end_time) FROM public.batch_job_execution e"
				+ " WHERE e.status = 'COMPLETED' AND " + ofTheCompany, company, Timestamp.class);
		this.lastSuccessTime = (lastSuccess != null) ? unixTime(lastSuccess) : 0;
		List<String> summary = jdbc.queryForList("SELECT summary::text FROM reporting.run_summary"
				+ " WHERE company_id = :companyId ORDER BY job_execution_id DESC LIMIT 1", company, String.class);
		this.lastSummary = summary.isEmpty() ? null : readSummary(summary.get(0));
		for (BatchStatus each : BatchStatus.values()) {
			Gauge.builder("onboarding.run.status", this, (metrics) -> (metrics.status == each) ? 1 : 0)
				.description("1 for the status of the company's last run, 0 for the others")
				.tag("status", each.name())
				.register(meters);
		}
		gauge("onboarding.run.in.progress", null, "1 while the company's last run runs",
				(metrics) -> (metrics.status != null && metrics.status.isRunning()) ? 1 : 0);
		gauge("onboarding.run.start.timestamp", "seconds", "When the last run started, Unix time", (metrics) -> metrics.startTime);
		gauge("onboarding.run.end.timestamp", "seconds", "When the last run ended, Unix time", (metrics) -> metrics.endTime);
		gauge("onboarding.run.last.success.timestamp", "seconds",
				"When the company's last run completed, Unix time; 0 if none did", (metrics) -> metrics.lastSuccessTime);
		for (Outcome outcome : Outcome.values()) {
			Gauge.builder("onboarding.run.rows", this, (metrics) -> summary(metrics,
					(last) -> last.outcomes().getOrDefault(outcome.name(), 0L)))
				.description("The last run's input rows by recorded outcome")
				.tag("outcome", outcome.name())
				.register(meters);
		}
		summaryGauge("onboarding.run.rows.read", "The last run's input rows", RunSummary::rowsRead);
		summaryGauge("onboarding.run.accounts.created", "Accounts the last run created", RunSummary::accountsCreated);
		summaryGauge("onboarding.run.rows.per.second", "Input rows the last run's execution gave their outcome, per second",
				RunSummary::rowsPerSecond);
		summaryGauge("onboarding.run.duration.seconds", "The last run's duration", RunSummary::durationSeconds);
		summaryGauge("onboarding.run.created.unconfirmed",
				"Creations the last run inferred after a lost answer, not yet confirmed by their thirdServerCode",
				RunSummary::createdUnconfirmed);
	}

	// A summary an older version wrote, in a shape this one cannot read, shows none.
	private static RunSummary readSummary(String json) {
		try {
			return ApiJson.mapper().readValue(json, RunSummary.class);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private void gauge(String name, String unit, String description, ToDoubleFunction<RunMetrics> value) {
		Gauge.builder(name, this, value).description(description).baseUnit(unit).register(this.meters);
	}

	private void summaryGauge(String name, String description, ToDoubleFunction<RunSummary> value) {
		gauge(name, null, description, (metrics) -> summary(metrics, value));
	}

	private static double summary(RunMetrics metrics, ToDoubleFunction<RunSummary> value) {
		RunSummary last = metrics.lastSummary;
		return (last != null) ? value.applyAsDouble(last) : Double.NaN;
	}

	private static double unixTime(Timestamp time) {
		return (time != null) ? unixTime(time.toLocalDateTime()) : Double.NaN;
	}

	private static double unixTime(LocalDateTime time) {
		return time.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli() / 1000.0;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		this.startTime = (jobExecution.getStartTime() != null) ? unixTime(jobExecution.getStartTime())
				: System.currentTimeMillis() / 1000.0;
		this.endTime = Double.NaN;
		this.status = BatchStatus.STARTED;
		this.lastSummary = null;
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

	/**
	 * A run this process was to start or resume was refused before it started (a setting, the input,
	 * the job's database): the company's last run is this failed attempt. Not for a run refused
	 * because another holds the lock, which stays the last run.
	 */
	public void refused() {
		this.startTime = System.currentTimeMillis() / 1000.0;
		this.endTime = this.startTime;
		this.status = BatchStatus.FAILED;
		this.lastSummary = null;
	}

	/** The run's summary, once it is written. */
	void record(RunSummary summary) {
		this.lastSummary = summary;
	}

}
