package dev.onboardingsync.reporting;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.function.ToDoubleFunction;

import dev.onboardingsync.onboarding.Outcome;
import dev.onboardingsync.system.JobParameterNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The run this process runs, as gauges, which the process pushes to a Prometheus Pushgateway every
 * minute and once more, replacing the last push of its group, when it ends
 * ({@code management.prometheus.metrics.export.pushgateway.*}, README "Watching it");
 * {@code k8s/monitoring}'s alerts and dashboard read them (issue 10).
 * <p>
 * The gauges are registered when the run starts, or when it is refused before it starts (a bad
 * setting or input: then {@code FAILED}). A process that runs nothing (an operator's command, a run
 * refused because another holds the company's lock) pushes none, so that it never pushes figures
 * of a run that is not its own: the running run's next push, within a minute, restores its group.
 * <p>
 * Prometheus names: {@code onboarding_run_status{status}} (1 for the run's Spring Batch
 * {@link BatchStatus}, 0 for the others), {@code onboarding_run_in_progress} (1 while it runs),
 * {@code onboarding_run_start_timestamp_seconds} and {@code onboarding_run_end_timestamp_seconds}
 * (Unix time), {@code onboarding_run_last_success_timestamp_seconds} (when the company's last run
 * of either job completed, from the job's database; 0 if none ever did), and of the run's summary
 * {@code onboarding_run_rows{outcome}}, {@code onboarding_run_rows_read},
 * {@code onboarding_run_created_accounts}, {@code onboarding_run_rows_per_second},
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

	private final NamedParameterJdbcTemplate jdbc;

	private final String companyId;

	private boolean registered;

	/** @param companyId whose last completed run {@code onboarding_run_last_success_timestamp_seconds} starts from */
	public RunMetrics(NamedParameterJdbcTemplate jdbc, String companyId, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.companyId = companyId;
		this.meters = meters;
	}

	// Once this process has a run of its own to report.
	private synchronized void register() {
		if (this.registered) {
			return;
		}
		this.registered = true;
		Timestamp lastSuccess = this.jdbc.queryForObject("""
				SELECT max(e.end_time) FROM public.batch_job_execution e
				WHERE e.status = 'COMPLETED' AND EXISTS (SELECT 1 FROM public.batch_job_execution_params p
				    WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = :companyIdParameter
				      AND p.parameter_value = :companyId)""", new MapSqlParameterSource("companyId", this.companyId)
					.addValue("companyIdParameter", JobParameterNames.COMPANY_ID), Timestamp.class);
		this.lastSuccessTime = (lastSuccess != null) ? unixTime(lastSuccess) : 0;
		for (BatchStatus each : BatchStatus.values()) {
			Gauge.builder("onboarding.run.status", this, (metrics) -> (metrics.status == each) ? 1 : 0)
				.description("1 for the status of the run, 0 for the others")
				.tag("status", each.name())
				.register(this.meters);
		}
		gauge("onboarding.run.in.progress", null, "1 while the run runs",
				(metrics) -> (metrics.status != null && metrics.status.isRunning()) ? 1 : 0);
		gauge("onboarding.run.start.timestamp", "seconds", "When the run started, Unix time", (metrics) -> metrics.startTime);
		gauge("onboarding.run.end.timestamp", "seconds", "When the run ended, Unix time", (metrics) -> metrics.endTime);
		gauge("onboarding.run.last.success.timestamp", "seconds",
				"When the company's last run completed, Unix time; 0 if none did", (metrics) -> metrics.lastSuccessTime);
		for (Outcome outcome : Outcome.values()) {
			Gauge.builder("onboarding.run.rows", this, (metrics) -> summary(metrics,
					(last) -> last.outcomes().getOrDefault(outcome.name(), 0L)))
				.description("The run's input rows by recorded outcome")
				.tag("outcome", outcome.name())
				.register(this.meters);
		}
		summaryGauge("onboarding.run.rows.read", "The run's input rows", RunSummary::rowsRead);
		// Not ..._accounts_created: the Prometheus client keeps a _created suffix for its own timestamps.
		summaryGauge("onboarding.run.created.accounts", "Accounts the run created", RunSummary::accountsCreated);
		summaryGauge("onboarding.run.rows.per.second", "Input rows the run's execution gave their outcome, per second",
				RunSummary::rowsPerSecond);
		summaryGauge("onboarding.run.duration.seconds", "The run's duration", RunSummary::durationSeconds);
		summaryGauge("onboarding.run.created.unconfirmed",
				"Creations the run inferred after a lost answer, not yet confirmed by their thirdServerCode",
				RunSummary::createdUnconfirmed);
		summaryGauge("onboarding.customers.missing",
				"The company's customers a completed full sync did not find on the platform (issue 12)",
				RunSummary::customersMissing);
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
		register();
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
	 * the job's database): it failed. Not for a run refused because another holds the lock: that
	 * process pushes no run of its own.
	 */
	public void refused() {
		register();
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
