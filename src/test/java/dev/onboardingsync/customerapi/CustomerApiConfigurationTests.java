package dev.onboardingsync.customerapi;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerApiConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(CustomerApiConfiguration.class)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void createsTheClientFromValidSettings() {
		this.contextRunner
			.withPropertyValues("customer-api.base-url=http://127.0.0.1:8089", "customer-api.company-id=1",
					"customer-api.token=t", "customer-api.max-concurrency=32",
					"customer-api.error-codes.busy=B0001,B0002")
			.run((context) -> {
				assertThat(context).hasSingleBean(CustomerApiClient.class);
				CustomerApiProperties properties = context.getBean(CustomerApiProperties.class);
				assertThat(properties.maxConcurrency()).isEqualTo(32);
				assertThat(properties.readTimeout()).hasSeconds(30);
				assertThat(properties.errorCodes().busy()).containsExactlyInAnyOrder("B0001", "B0002");
				assertThat(properties.errorCodes().alreadyExists()).containsExactly("A0409");
			});
	}

	@Test
	void theBaseUrlAndTokenAreNeededOnlyToCall() {
		// The runs commands that read the job's database start without them; RunLauncher refuses a
		// run or restart that lacks them (RunCommandIntegrationTests).
		this.contextRunner.withPropertyValues("customer-api.company-id=1", "customer-api.token= ")
			.run((context) -> assertThat(context.getBean(CustomerApiProperties.class).unsetForCalls())
				.containsExactly("customer-api.base-url", "customer-api.token"));
		this.contextRunner
			.withPropertyValues("customer-api.base-url= https://api.example.com ", "customer-api.company-id=1",
					"customer-api.token=t")
			.run((context) -> {
				CustomerApiProperties properties = context.getBean(CustomerApiProperties.class);
				assertThat(properties.unsetForCalls()).isEmpty();
				assertThat(properties.baseUri()).hasToString("https://api.example.com");
			});
	}

	@Test
	void malformedTimeoutFailsAtStartNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("customer-api.base-url=http://127.0.0.1:8089", "customer-api.company-id=1",
					"customer-api.token=t", "customer-api.read-timeout=soon")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("customer-api.read-timeout"));
	}

	@Test
	void zeroConcurrencyFailsAtStart() {
		this.contextRunner
			.withPropertyValues("customer-api.base-url=http://127.0.0.1:8089", "customer-api.company-id=1",
					"customer-api.token=t", "customer-api.max-concurrency=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("maxConcurrency"));
	}

	@Test
	void aCompanyIdThatIsNotANumberFailsAtStart() {
		this.contextRunner
			.withPropertyValues("customer-api.base-url=http://127.0.0.1:8089", "customer-api.company-id=acme",
					"customer-api.token=t")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("must be the platform's company id, a number"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost:8080", "127.0.0.1:8089", "api.example.com", "ftp://api.example.com",
			"https:///openapi-b", "http://", "http://api example.com", "https://api.example.com/a b" })
	void aBaseUrlThatIsNotAnHttpUrlWithAHostFailsAtStart(String baseUrl) {
		this.contextRunner
			.withPropertyValues("customer-api.base-url=" + baseUrl, "customer-api.company-id=1", "customer-api.token=t")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("customer-api.base-url '" + baseUrl + "' must be an http:// or https:// URL"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://user:apisecret@127.0.0.1:8089", "https://apisecret@api.example.com/gw",
			"https://api.example.com?token=apisecret", "https://api.example.com/#apisecret",
			"https://api.example.com/gw;token=apisecret" })
	void aBaseUrlWithAUserPasswordQueryOrFragmentFailsAtStartWithoutSayingThem(String baseUrl) {
		this.contextRunner
			.withPropertyValues("customer-api.base-url=" + baseUrl, "customer-api.company-id=1", "customer-api.token=t")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("must be the gateway alone, scheme, host, port and path")
				.satisfies((failure) -> assertThat(stackTrace(failure)).doesNotContain("apisecret")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http:/\\user:apisecret@127.0.0.1:8089", "ftp://user:apisecret@api.example.com",
			"api.example.com?token=apisecret" })
	void aBaseUrlThatDoesNotParseIsNamedWithoutItsSecrets(String baseUrl) {
		this.contextRunner
			.withPropertyValues("customer-api.base-url=" + baseUrl, "customer-api.company-id=1", "customer-api.token=t")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("must be an http:// or https:// URL with a host")
				.satisfies((failure) -> assertThat(stackTrace(failure)).doesNotContain("apisecret")));
	}

	private static String stackTrace(Throwable failure) {
		java.io.StringWriter trace = new java.io.StringWriter();
		failure.printStackTrace(new java.io.PrintWriter(trace));
		return trace.toString();
	}

	@Test
	void aTokenReadFromAFileLosesItsLineBreak() {
		this.contextRunner
			.withPropertyValues("customer-api.base-url=https://api.example.com", "customer-api.company-id=1",
					"customer-api.token= secret-token\n")
			.run((context) -> assertThat(context.getBean(CustomerApiProperties.class).token()).isEqualTo("secret-token"));
	}

}
