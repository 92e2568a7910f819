package dev.onboardingsync.reporting;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerApiProperties;
import dev.onboardingsync.customerapi.CustomerGroup;
import dev.onboardingsync.customerapi.CustomerGroupListRequest;
import dev.onboardingsync.customerapi.CustomerPageRequest;
import dev.onboardingsync.customerapi.TransientApiException;
import dev.onboardingsync.onboarding.Confirmation;
import dev.onboardingsync.onboarding.Ledger;
import dev.onboardingsync.onboarding.OnboardingProperties;
import dev.onboardingsync.system.RetryCounter;
import dev.onboardingsync.system.Run;
import dev.onboardingsync.system.RunLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.batch.infrastructure.item.support.ListItemReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The sync and reconcile steps: {@code syncCustomerGroupsStep} copies {@code groupList} into
 * {@code reporting.customer_group}; {@code syncCustomersStep} pages through {@code page}
 * (pages fetched concurrently) into {@code reporting.customer}, completely however the list moves; {@code confirmCreationsStep}
 * confirms creations inferred after lost answers ({@code detail}); {@code reconcileStep} links the
 * run's prospects to their {@code customerNo}.
 */
@Configuration(proxyBeanMethods = false)
class ReportingStepsConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ReportingStepsConfiguration.class);

	@Bean
	Reconciliation reconciliation(NamedParameterJdbcTemplate jdbc, CustomerApiClient client, Ledger ledger) {
		return new Reconciliation(jdbc, client, ledger);
	}

	/**
	 * One item, the {@code groupList} call, made by the processor so that the step's retry policy
	 * covers it like any other call.
	 */
	@Bean
	Step syncCustomerGroupsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ListItemReader<CustomerGroupListRequest> groupListRequests, CustomerApiClient client,
			NamedParameterJdbcTemplate jdbc, RetryCounter retryCounter, RunLogContext runLogContext,
			OnboardingProperties properties) {
		return new StepBuilder("syncCustomerGroupsStep", jobRepository)
			.<CustomerGroupListRequest, List<CustomerGroup>>chunk(1)
			.transactionManager(transactionManager)
			.reader(groupListRequests)
			.processor(client::groupList)
			.writer(new CustomerGroupWriter(jdbc))
			.listener(runLogContext)
			.allowStartIfComplete(true)
			.faultTolerant()
			.retryListener(retryCounter)
			.retryPolicy(properties.retry().policy(TransientApiException.class))
			.build();
	}

	/**
	 * One {@code groupList} request per trade type of {@code onboarding.sync-trade-types}, or one
	 * for all when it lists none (issue 12).
	 */
	@Bean
	@StepScope
	ListItemReader<CustomerGroupListRequest> groupListRequests(OnboardingProperties properties) {
		List<Integer> tradeTypes = properties.syncTradeTypes();
		return new ListItemReader<>(tradeTypes.isEmpty() ? List.of(CustomerGroupListRequest.all())
				: tradeTypes.stream().map(CustomerGroupListRequest::ofTradeType).toList());
	}

	/**
	 * The sync of the customer list, full (complete however the list moves while it is read) or
	 * incremental ({@link CustomerSyncTasklet}); each call of the tasklet is one transaction, and a
	 * resumed run resumes the sync where it stopped.
	 */
	@Bean
	Step syncCustomersStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			CustomerApiClient client, NamedParameterJdbcTemplate jdbc, AsyncTaskExecutor apiTaskExecutor,
			RetryCounter retryCounter, RunLogContext runLogContext, OnboardingProperties properties,
			CustomerApiProperties api) {
		int pageSize = properties.syncPageSize();
		// Each page is retried on its own, on its API thread, as a chunk's item would be.
		RetryTemplate retry = new RetryTemplate(properties.retry().policy(TransientApiException.class));
		retry.setRetryListener(retryCounter);
		SyncPages pages = new SyncPages(
				(current) -> retry.invoke(() -> client.page(CustomerPageRequest.all((int) current, pageSize))),
				apiTaskExecutor, new CustomerUpserts(jdbc, Long.parseLong(api.companyId().strip())), pageSize);
		CustomerSyncRecords records = new CustomerSyncRecords(jdbc);
		CustomerSyncTasklet sync = new CustomerSyncTasklet(
				new FullCustomerSync(pages, records, properties.syncPagesPerChunk()),
				new IncrementalCustomerSync(pages, records, properties.syncPagesPerChunk(), properties.syncOverlap()),
				records, properties.syncMode(), properties.syncFullEvery());
		return new StepBuilder("syncCustomersStep", jobRepository).tasklet(sync, transactionManager)
			.listener(runLogContext)
			// Idempotent: a resumed run syncs again, so the reporting copy includes what it created.
			.allowStartIfComplete(true)
			.build();
	}

	/**
	 * Confirms the creations inferred after lost answers, one {@code detail} call each, made by the
	 * processor on the API threads so that the step's retry policy covers them like any other call
	 * (issue 7, fault 3). The ledger is the process indicator: a confirmed prospect has its
	 * {@code customerNo} and drops out of the reader, so a restart confirms only the rest.
	 */
	@Bean
	Step confirmCreationsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<Reconciliation.InferredCreation> inferredCreationReader, Reconciliation reconciliation,
			AsyncTaskExecutor apiTaskExecutor, RetryCounter retryCounter, RunLogContext runLogContext,
			OnboardingProperties properties) {
		return new StepBuilder("confirmCreationsStep", jobRepository)
			.<Reconciliation.InferredCreation, Confirmation>chunk(properties.onboardChunkSize())
			.transactionManager(transactionManager)
			.reader(inferredCreationReader)
			.processor(reconciliation::confirm)
			.writer((chunk) -> reconciliation.record(List.copyOf(chunk.getItems())))
			.listener(runLogContext)
			.allowStartIfComplete(true)
			.taskExecutor(apiTaskExecutor)
			.faultTolerant()
			.retryListener(retryCounter)
			.retryPolicy(properties.retry().policy(TransientApiException.class))
			.build();
	}

	@Bean
	@StepScope
	JdbcPagingItemReader<Reconciliation.InferredCreation> inferredCreationReader(Run run, DataSource dataSource,
			OnboardingProperties properties) throws Exception {
		return new JdbcPagingItemReaderBuilder<Reconciliation.InferredCreation>().name("inferredCreationReader")
			.saveState(false)
			.dataSource(dataSource)
			.selectClause("SELECT prospect_id, third_server_code, customer_no")
			// Every unconfirmed creation of the company, not only this run's: a run that completed with some
			// (detail could not find the customer, the sync had not copied it) leaves them to the next.
			// A derived table, so that the sort key is one unique column: one customer per prospect, the
			// newest with its phone (the copy keeps customers the platform no longer lists).
			.fromClause("""
					(SELECT DISTINCT ON (p.id) p.id AS prospect_id, p.third_server_code, c.customer_no
					 FROM onboarding.prospect p
					 JOIN reporting.customer c ON c.phone_area = p.phone_area AND c.phone = p.phone
					      AND c.company_id::text = p.company_id
					 WHERE p.company_id = :companyId AND p.mode = :mode AND p.status = 'CREATED'
					   AND p.customer_no IS NULL
					 ORDER BY p.id, c.create_time DESC NULLS LAST) AS inferred""")
			// A dry run creates nothing, so it has nothing to confirm, and leaves the live ledger alone.
			.parameterValues(Map.of("companyId", run.companyId(), "mode", run.mode().name()))
			.sortKeys(Map.of("prospect_id", Order.ASCENDING))
			.pageSize(properties.onboardChunkSize())
			.rowMapper((rs, rowNumber) -> new Reconciliation.InferredCreation(rs.getLong("prospect_id"),
					rs.getString("third_server_code"), rs.getString("customer_no")))
			.build();
	}

	@Bean
	Step reconcileStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			Reconciliation reconciliation, RunLogContext runLogContext) {
		return new StepBuilder("reconcileStep", jobRepository).tasklet((contribution, chunkContext) -> {
			Run run = Run.of(contribution.getStepExecution());
			int linked = reconciliation.link(run);
			logger.info("Linked {} prospects of run {} to their customerNo", linked, run.runId());
			long pending = reconciliation.pendingRows(run);
			if (pending > 0) {
				throw new IllegalStateException(pending + " input rows of run " + run.runId()
						+ " have no outcome yet: run the same command again to settle them");
			}
			return RepeatStatus.FINISHED;
		}, transactionManager).listener(runLogContext).build();
	}

}
