package dev.onboardingsync.run;

import java.util.Map;

import javax.sql.DataSource;

import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerApiProperties;
import dev.onboardingsync.intake.IntakeProperties;
import dev.onboardingsync.onboarding.OnboardingProperties;
import dev.onboardingsync.onboarding.RetryCounter;
import dev.onboardingsync.onboarding.RunLogContext;
import dev.onboardingsync.reporting.Reconciliation;
import dev.onboardingsync.reporting.RunReporter;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The two jobs, and the command that runs one of them. {@code onboardingJob}: stage the input,
 * onboard the prospects, sync groups and customers, reconcile. {@code customerSyncJob}: the sync
 * alone. Neither has an incrementer: rerunning a failed run's command restarts it.
 */
@Configuration(proxyBeanMethods = false)
class RunConfiguration {

	@Bean
	Job onboardingJob(JobRepository jobRepository, Step stageProspectsStep, Step onboardProspectsStep,
			Step syncCustomerGroupsStep, Step syncCustomersStep, Step reconcileStep, RunRegistrar runRegistrar,
			RunReporter runReporter, GracefulShutdown gracefulShutdown, RunLogContext runLogContext) {
		return new JobBuilder(RunRequest.ONBOARDING_JOB, jobRepository).listener(runLogContext)
			.listener(runRegistrar)
			.listener(runReporter)
			.listener(gracefulShutdown)
			.start(stageProspectsStep)
			.next(onboardProspectsStep)
			.next(syncCustomerGroupsStep)
			.next(syncCustomersStep)
			.next(reconcileStep)
			.build();
	}

	@Bean
	Job customerSyncJob(JobRepository jobRepository, Step syncCustomerGroupsStep, Step syncCustomersStep,
			RunReporter runReporter, GracefulShutdown gracefulShutdown, RunLogContext runLogContext) {
		return new JobBuilder(RunRequest.SYNC_JOB, jobRepository).listener(runLogContext)
			.listener(runReporter)
			.listener(gracefulShutdown)
			.start(syncCustomerGroupsStep)
			.next(syncCustomersStep)
			.build();
	}

	@Bean
	GracefulShutdown gracefulShutdown(JobOperator jobOperator, OnboardingProperties properties) {
		return new GracefulShutdown(jobOperator, properties.shutdownTimeout());
	}

	@Bean
	RunRegistrar runRegistrar(NamedParameterJdbcTemplate jdbc) {
		return new RunRegistrar(jdbc);
	}

	@Bean
	RunReporter runReporter(NamedParameterJdbcTemplate jdbc, CustomerApiClient client, RetryCounter retryCounter,
			Reconciliation reconciliation, IntakeProperties intake, OnboardingProperties properties,
			CustomerApiProperties api, MeterRegistry meterRegistry) {
		return new RunReporter(jdbc, client, retryCounter, reconciliation, intake, properties, api.companyId(),
				meterRegistry);
	}

	@Bean
	RunLauncher runLauncher(JobOperator jobOperator, JobRepository jobRepository, Map<String, Job> jobs,
			DataSource dataSource, IntakeProperties intake, CustomerApiProperties api, GracefulShutdown gracefulShutdown) {
		return new RunLauncher(jobOperator, jobRepository, jobs, dataSource, intake, api.companyId(),
				gracefulShutdown);
	}

	/** Off in tests, which launch runs themselves. */
	@Bean
	@ConditionalOnProperty(name = "onboarding.command.enabled", matchIfMissing = true)
	RunCommand runCommand(RunLauncher runLauncher, RunOperations runOperations) {
		return new RunCommand(runLauncher, runOperations);
	}

	@Bean
	RunOperations runOperations(NamedParameterJdbcTemplate jdbc, RunLauncher runLauncher, CustomerApiProperties api) {
		return new RunOperations(jdbc, runLauncher, api.companyId());
	}

}
