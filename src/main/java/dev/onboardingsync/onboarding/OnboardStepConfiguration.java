package dev.onboardingsync.onboarding;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import dev.onboardingsync.customerapi.AmbiguousResultException;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerApiProperties;
import dev.onboardingsync.customerapi.TransientApiException;
import dev.onboardingsync.system.ProgressLogger;
import dev.onboardingsync.system.RetryCounter;
import dev.onboardingsync.system.Run;
import dev.onboardingsync.system.RunLogContext;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The onboard step: {@code onboardProspectsStep} settles each staged prospect against the platform,
 * as many at once as calls may be in flight, without a barrier between chunks
 * ({@link OnboardTasklet}); transient and ambiguous failures retried with back-off.
 */
@Configuration(proxyBeanMethods = false)
class OnboardStepConfiguration {

	@Bean
	Step onboardProspectsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			OnboardTasklet onboardTasklet, RunLogContext runLogContext) {
		return new StepBuilder("onboardProspectsStep", jobRepository).tasklet(onboardTasklet, transactionManager)
			.stream(onboardTasklet)
			.listener(runLogContext)
			// Run again on every restart: it reads only what is still unsettled, which is nothing when done.
			.allowStartIfComplete(true)
			.build();
	}

	/**
	 * The step's tasklet, with its reader and processor as its own parts rather than step-scoped
	 * beans: the API threads use them, and a step-scoped proxy works only on the step's thread. Its
	 * reader is closed by the step (as a stream), not by the step scope's end, which a stop
	 * ({@code JobOperator.stop}) reaches from another thread while workers read.
	 */
	@Bean(destroyMethod = "")
	@StepScope
	OnboardTasklet onboardTasklet(Run run, DataSource dataSource, CustomerApiClient client, Ledger ledger,
			AsyncTaskExecutor apiTaskExecutor, CustomerApiProperties api, RunLockGuard runLockGuard,
			RetryCounter retryCounter, OnboardingProperties properties) throws Exception {
		// Transient and ambiguous failures are retried in place; nothing is skipped: a prospect that
		// cannot be settled stays pending, and the run fails to be resumed.
		RetryTemplate retry = new RetryTemplate(
				properties.retry().policy(TransientApiException.class, AmbiguousResultException.class));
		retry.setRetryListener(retryCounter);
		ProgressLogger progress = new ProgressLogger("prospects", (step) -> ledger.countUnsettled(Run.of(step)),
				properties.progressInterval());
		return new OnboardTasklet(pendingProspectReader(run, dataSource, properties.onboardChunkSize()),
				new OnboardingProcessor(client, ledger, run.mode(), retry), ledger, run,
				new OnboardTasklet.Workers(apiTaskExecutor, api.maxConcurrency(), properties.onboardChunkSize(),
						api.connectTimeout().plus(api.readTimeout())),
				runLockGuard, progress);
	}

	// The status is the process indicator: settled prospects drop out of the query, so a restart
	// reads from the start again; a saved position would skip rows if the page size changed.
	private static JdbcPagingItemReader<PendingProspect> pendingProspectReader(Run run, DataSource dataSource,
			int pageSize) throws Exception {
		JdbcPagingItemReader<PendingProspect> reader = new JdbcPagingItemReaderBuilder<PendingProspect>()
			.name("pendingProspectReader")
			.saveState(false)
			.dataSource(dataSource)
			.selectClause("""
					SELECT id, third_server_code, status, phone_area, phone, email, email_area, country,
					       register_source, customer_group_id, trade_type_currency, remark, register_device,
					       utm_source, utm_medium, utm_campaign, utm_content, utm_term, pwd_md5 AS password_md5""")
			.fromClause("onboarding.prospect")
			.whereClause("run_id = :runId AND status IN ('PENDING', 'UNCERTAIN')")
			.parameterValues(Map.of("runId", run.runId()))
			.sortKeys(Map.of("id", Order.ASCENDING))
			.pageSize(pageSize)
			.rowMapper(OnboardStepConfiguration::pendingProspect)
			.build();
		reader.afterPropertiesSet();
		return reader;
	}

	// By hand, not Spring's DataClassRowMapper: it finds each snake_case column by a lookup that fails
	// first (thirdservercode), and PostgreSQL's driver answers that with an exception, its message
	// formatted and its stack filled in: 15 a row, 132,000 in a run of 10,000 prospects, read under
	// the reader's lock that every worker waits on (a JFR profile, issue 13).
	private static PendingProspect pendingProspect(ResultSet rs, int rowNumber) throws SQLException {
		return new PendingProspect(rs.getLong("id"), rs.getString("third_server_code"),
				ProspectStatus.valueOf(rs.getString("status")), rs.getString("phone_area"), rs.getString("phone"),
				rs.getString("email"), rs.getString("email_area"), rs.getString("country"),
				rs.getInt("register_source"), rs.getLong("customer_group_id"), rs.getString("trade_type_currency"),
				rs.getString("remark"), rs.getString("register_device"), rs.getString("utm_source"),
				rs.getString("utm_medium"), rs.getString("utm_campaign"), rs.getString("utm_content"),
				rs.getString("utm_term"), rs.getString("password_md5"));
	}

}
