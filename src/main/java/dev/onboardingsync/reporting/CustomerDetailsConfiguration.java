package dev.onboardingsync.reporting;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.TransientApiException;
import dev.onboardingsync.onboarding.OnboardingProperties;
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
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code syncCustomerDetailsStep}: the details of every customer the sync wrote (new or changed),
 * for each type of {@code onboarding.sync-detail-types} (none by default: the step reads nothing),
 * the customers of a chunk fetched concurrently on the API threads, under the shared requests/s
 * budget, and retried as every call is (issue 12). {@code reporting.customer.detail_due} is the
 * process indicator: a resumed run fetches only what is still due.
 */
@Configuration(proxyBeanMethods = false)
class CustomerDetailsConfiguration {

	@Bean
	Step syncCustomerDetailsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<CustomerDetails.Due> dueCustomerReader, CustomerApiClient client,
			NamedParameterJdbcTemplate jdbc, AsyncTaskExecutor apiTaskExecutor, RetryCounter retryCounter,
			RunLogContext runLogContext, OnboardingProperties properties) {
		CustomerDetails details = new CustomerDetails(client, jdbc, properties.syncDetailTypes());
		return new StepBuilder("syncCustomerDetailsStep", jobRepository)
			.<CustomerDetails.Due, CustomerDetails.Fetched>chunk(properties.onboardChunkSize())
			.transactionManager(transactionManager)
			.reader(dueCustomerReader)
			.processor(details::fetch)
			.writer((chunk) -> details.write(List.copyOf(chunk.getItems())))
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
	JdbcPagingItemReader<CustomerDetails.Due> dueCustomerReader(Run run, DataSource dataSource,
			OnboardingProperties properties) throws Exception {
		return new JdbcPagingItemReaderBuilder<CustomerDetails.Due>().name("dueCustomerReader")
			// The flag is the process indicator: customers done drop out of the query.
			.saveState(false)
			.dataSource(dataSource)
			.selectClause("SELECT customer_no, id")
			.fromClause("reporting.customer")
			// Customers the platform no longer lists have no details to fetch.
			.whereClause("detail_due AND missing_since IS NULL AND company_id::text = :companyId AND :enabled")
			.parameterValues(Map.of("companyId", run.companyId(), "enabled", !properties.syncDetailTypes().isEmpty()))
			.sortKeys(Map.of("customer_no", Order.ASCENDING))
			.pageSize(properties.onboardChunkSize())
			.rowMapper((rs, rowNumber) -> new CustomerDetails.Due(rs.getString("customer_no"),
					rs.getObject("id", Long.class)))
			.build();
	}

}
