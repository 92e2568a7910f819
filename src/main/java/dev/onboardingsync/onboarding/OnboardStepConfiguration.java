package dev.onboardingsync.onboarding;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.onboardingsync.customerapi.AmbiguousResultException;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.TransientApiException;
import dev.onboardingsync.system.ProgressLogger;
import dev.onboardingsync.system.RetryCounter;
import dev.onboardingsync.system.Run;
import dev.onboardingsync.system.RunLogContext;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The onboard step: {@code onboardProspectsStep} settles each staged prospect against the platform,
 * the items of a chunk concurrently, transient and ambiguous failures retried with back-off.
 */
@Configuration(proxyBeanMethods = false)
class OnboardStepConfiguration {

	@Bean
	Step onboardProspectsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<PendingProspect> pendingProspectReader, OnboardingProcessor onboardingProcessor,
			ItemWriter<Settlement> settlementWriter, AsyncTaskExecutor apiTaskExecutor, RetryCounter retryCounter,
			Ledger ledger, RunLogContext runLogContext, RunLockGuard runLockGuard, OnboardingProperties properties) {
		return new StepBuilder("onboardProspectsStep", jobRepository)
			.<PendingProspect, Settlement>chunk(properties.onboardChunkSize())
			.transactionManager(transactionManager)
			.reader(pendingProspectReader)
			.processor(onboardingProcessor)
			.writer(settlementWriter)
			.listener(runLogContext)
			.listener(RunLockGuard.beforeEachChunk(runLockGuard, properties.onboardChunkSize()))
			.listener(new ProgressLogger("prospects",
					(step) -> ledger.countUnsettled(Run.of(step)), properties.progressInterval()))
			.taskExecutor(apiTaskExecutor)
			// Run again on every restart: it reads only what is still unsettled, which is nothing when done.
			.allowStartIfComplete(true)
			.faultTolerant()
			.retryListener(retryCounter)
			// Transient and ambiguous failures are retried in place; nothing is skipped: a prospect
			// that cannot be settled stays pending, and the run fails to be resumed.
			.retryPolicy(properties.retry().policy(TransientApiException.class, AmbiguousResultException.class))
			.build();
	}

	@Bean
	@StepScope
	JdbcPagingItemReader<PendingProspect> pendingProspectReader(Run run, DataSource dataSource,
			OnboardingProperties properties) throws Exception {
		// The status is the process indicator: settled prospects drop out of the query, so a restart
		// reads from the start again; a saved position would skip rows if the page size changed.
		return new JdbcPagingItemReaderBuilder<PendingProspect>().name("pendingProspectReader")
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
			.pageSize(properties.onboardChunkSize())
			// Columns to components by name (third_server_code: thirdServerCode), the status by its name.
			.rowMapper(DataClassRowMapper.newInstance(PendingProspect.class))
			.build();
	}

	@Bean
	@StepScope
	OnboardingProcessor onboardingProcessor(Run run, CustomerApiClient client, Ledger ledger) {
		return new OnboardingProcessor(client, ledger, run.mode());
	}

	/** Records a chunk of settlements in the ledger, in the chunk's transaction. */
	@Bean
	@StepScope
	ItemWriter<Settlement> settlementWriter(Run run, Ledger ledger) {
		return (chunk) -> ledger.settle(run, List.copyOf(chunk.getItems()));
	}

}
