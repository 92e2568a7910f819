package dev.onboardingsync.run;

import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerApiProperties;
import dev.onboardingsync.intake.IntakeProperties;
import dev.onboardingsync.onboarding.Ledger;
import dev.onboardingsync.onboarding.OnboardingProperties;
import dev.onboardingsync.onboarding.PersonalDataRetention;
import dev.onboardingsync.reporting.Reconciliation;
import dev.onboardingsync.reporting.RunExport;
import dev.onboardingsync.reporting.RunMetrics;
import dev.onboardingsync.reporting.RunReporter;
import dev.onboardingsync.system.RetryCounter;
import dev.onboardingsync.system.RunLogContext;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The two jobs, and the command that runs one of them. {@code onboardingJob}: stage the input,
 * check that every row of it was staged, onboard the prospects, sync groups and customers, confirm creations inferred after lost answers,
 * reconcile. {@code customerSyncJob}: the sync
 * alone. Neither has an incrementer: rerunning a failed run's command restarts it.
 */
@Configuration(proxyBeanMethods = false)
class RunConfiguration {

	@Bean
	Job onboardingJob(JobRepository jobRepository, Step stageProspectsStep, Step checkStagedRowsStep,
			Step onboardProspectsStep,
			Step syncCustomerGroupsStep, Step syncCustomersStep, Step confirmCreationsStep, Step reconcileStep,
			Step syncCustomerDetailsStep, RunIntakeSettings runIntakeSettings, RunReporter runReporter, RunMetrics runMetrics, GracefulShutdown gracefulShutdown,
			RunLogContext runLogContext, FailureCauseRecorder failureCauseRecorder) {
		return new JobBuilder(RunRequest.ONBOARDING_JOB, jobRepository).listener(runLogContext)
			.listener(failureCauseRecorder)
			.listener(runIntakeSettings)
			.listener(runMetrics)
			.listener(runReporter)
			.listener(gracefulShutdown)
			.start(stageProspectsStep)
			.next(checkStagedRowsStep)
			.next(onboardProspectsStep)
			.next(syncCustomerGroupsStep)
			.next(syncCustomersStep)
			.next(confirmCreationsStep)
			.next(reconcileStep)
			// Last: the outcomes of the run's prospects do not wait for their details.
			.next(syncCustomerDetailsStep)
			.build();
	}

	@Bean
	Job customerSyncJob(JobRepository jobRepository, Step syncCustomerGroupsStep, Step syncCustomersStep,
			Step syncCustomerDetailsStep, RunReporter runReporter, RunMetrics runMetrics, GracefulShutdown gracefulShutdown,
			RunLogContext runLogContext, FailureCauseRecorder failureCauseRecorder) {
		return new JobBuilder(RunRequest.SYNC_JOB, jobRepository).listener(runLogContext)
			.listener(failureCauseRecorder)
			.listener(runMetrics)
			.listener(runReporter)
			.listener(gracefulShutdown)
			.start(syncCustomerGroupsStep)
			.next(syncCustomersStep)
			.next(syncCustomerDetailsStep)
			.build();
	}

	/** The application's JdbcTemplate (Boot builds the named-parameter one on it), with masked errors. */
	@Bean
	JdbcTemplate jdbcTemplate(DataSource dataSource) {
		JdbcTemplate jdbcTemplate = new JdbcTemplate(dataSource);
		jdbcTemplate.setExceptionTranslator(new MaskingSqlExceptionTranslator());
		return jdbcTemplate;
	}

	@Bean
	FailureCauseRecorder failureCauseRecorder(OnboardingProperties properties) {
		return new FailureCauseRecorder(properties.retry().maxRetries());
	}

	@Bean
	RunLockHolder runLockHolder() {
		return new RunLockHolder();
	}

	@Bean
	ItemProcessStatusTag itemProcessStatusTag() {
		return new ItemProcessStatusTag();
	}

	@Bean
	GracefulShutdown gracefulShutdown(JobOperator jobOperator, OnboardingProperties properties) {
		return new GracefulShutdown(jobOperator, properties.shutdownTimeout());
	}

	@Bean
	RunIntakeSettings runIntakeSettings(NamedParameterJdbcTemplate jdbc, IntakeProperties intake, Ledger ledger) {
		return new RunIntakeSettings(jdbc, intake, ledger);
	}

	@Bean
	PersonalDataRetention personalDataRetention(Ledger ledger, OnboardingProperties properties) {
		return new PersonalDataRetention(ledger, properties.rejectedRowsRetention());
	}

	@Bean
	RunReporter runReporter(NamedParameterJdbcTemplate jdbc, CustomerApiClient client, RetryCounter retryCounter,
			Reconciliation reconciliation, IntakeProperties intake, OnboardingProperties properties,
			RunMetrics runMetrics, JobRepository jobRepository, PersonalDataRetention personalDataRetention) {
		return new RunReporter(jdbc, client, retryCounter, reconciliation, intake, properties, runMetrics, jobRepository,
				personalDataRetention);
	}

	@Bean
	RunMetrics runMetrics(NamedParameterJdbcTemplate jdbc, CustomerApiProperties api, MeterRegistry meterRegistry) {
		return new RunMetrics(jdbc, api.companyId(), meterRegistry);
	}

	@Bean
	RunLauncher runLauncher(JobOperator jobOperator, JobRepository jobRepository, Map<String, Job> jobs,
			DataSourceProperties database, IntakeProperties intake, CustomerApiProperties api,
			GracefulShutdown gracefulShutdown, ThreadPoolTaskExecutor apiTaskExecutor, DataSource dataSource,
			RunLockHolder runLockHolder, RunIntakeSettings runIntakeSettings) {
		// The API threads may each hold a connection (a page read, a group of notes, a page of the sync
		// written) while the step's transaction holds another.
		if (dataSource instanceof HikariDataSource pool && pool.getMaximumPoolSize() < api.maxConcurrency() + 1) {
			throw new BadConfigurationException("spring.datasource.hikari.maximum-pool-size (" + pool.getMaximumPoolSize()
					+ ") must be at least customer-api.max-concurrency + 1 (" + (api.maxConcurrency() + 1) + ")");
		}
		RunLock.Connector lockConnector = RunLock.Connector.direct(database.determineUrl(),
				database.determineUsername(), database.determinePassword());
		return new RunLauncher(jobOperator, jobRepository, jobs, lockConnector, intake, api, gracefulShutdown,
				apiTaskExecutor, runLockHolder, runIntakeSettings);
	}

	/** Off in tests, which launch runs themselves. */
	@Bean
	@ConditionalOnProperty(name = "onboarding.command.enabled", matchIfMissing = true)
	RunCommand runCommand(RunLauncher runLauncher, RunOperations runOperations, OnboardingProperties properties,
			RunMetrics runMetrics) {
		return new RunCommand(runLauncher, runOperations, properties.retry().maxRetries(), runMetrics);
	}

	@Bean
	RunOperations runOperations(NamedParameterJdbcTemplate jdbc, RunLauncher runLauncher, CustomerApiProperties api,
			PersonalDataRetention personalDataRetention, IntakeProperties intake, OnboardingProperties properties) {
		return new RunOperations(jdbc, runLauncher, api.companyId(), personalDataRetention, new RunExport(jdbc),
				intake, properties.retry().maxRetries());
	}

}
