package dev.onboardingsync.customerapi;

import dev.onboardingsync.system.RunLogContext;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CustomerApiProperties.class)
class CustomerApiConfiguration {

	/**
	 * As many threads as requests may be in flight ({@code customer-api.max-concurrency}): the
	 * API-bound steps run each item's calls on one, with the run's log context.
	 */
	@Bean
	ThreadPoolTaskExecutor apiTaskExecutor(CustomerApiProperties api) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(api.maxConcurrency());
		executor.setMaxPoolSize(api.maxConcurrency());
		executor.setThreadNamePrefix("api-");
		executor.setTaskDecorator(RunLogContext.taskDecorator());
		executor.setWaitForTasksToCompleteOnShutdown(true);
		return executor;
	}

	@Bean
	CustomerApiClient customerApiClient(CustomerApiProperties properties, MeterRegistry meterRegistry) {
		return CustomerApiClient.create(properties, meterRegistry);
	}

}
