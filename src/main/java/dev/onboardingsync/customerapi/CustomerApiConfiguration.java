package dev.onboardingsync.customerapi;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CustomerApiProperties.class)
class CustomerApiConfiguration {

	@Bean
	CustomerApiClient customerApiClient(CustomerApiProperties properties, MeterRegistry meterRegistry) {
		return CustomerApiClient.create(properties, meterRegistry);
	}

}
