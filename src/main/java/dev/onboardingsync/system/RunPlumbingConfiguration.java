package dev.onboardingsync.system;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;

/**
 * The run's plumbing as beans: the run at hand (of Spring Batch's job scope), its log context and
 * its retry count.
 */
@Configuration(proxyBeanMethods = false)
class RunPlumbingConfiguration {

	@Bean
	RunLogContext runLogContext() {
		return new RunLogContext();
	}

	@Bean
	RetryCounter retryCounter(MeterRegistry meterRegistry) {
		return new RetryCounter(meterRegistry);
	}

	/**
	 * The run of the job execution at hand, one per execution, for the step-scoped beans of its
	 * steps. Not proxied (a record cannot be, and a proxy would only hide a wrong use): it can be
	 * injected only into beans made while a job runs, which step-scoped beans are.
	 */
	@Bean
	@Scope(scopeName = "job", proxyMode = ScopedProxyMode.NO)
	Run run(@Value("#{jobExecution}") JobExecution jobExecution) {
		return Run.of(jobExecution);
	}

}
