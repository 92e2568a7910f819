package dev.onboardingsync.sandbox;

import java.io.IOException;
import java.util.List;

import dev.onboardingsync.customerapi.CheckCustomerExistRequest;
import dev.onboardingsync.customerapi.CreateAccountRequest;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerApiProperties;
import dev.onboardingsync.customerapi.CustomerDetailRequest;
import dev.onboardingsync.customerapi.CustomerGroupListRequest;
import dev.onboardingsync.customerapi.CustomerPageRequest;
import dev.onboardingsync.customerapi.CustomerRecord;
import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code java -jar onboarding-sync.jar sandbox ...} as the command starts it: settings from
 * arguments, all five endpoints served, bad settings refused with the property's name.
 */
class SandboxCommandIntegrationTests {

	@Test
	void servesTheFiveEndpointsWithSettingsFromArguments() throws IOException {
		// given
		try (ConfigurableApplicationContext context = SandboxCommand.start("--sandbox.port=0",
				"--sandbox.seed.customers=5", "--sandbox.token=cli-token", "--sandbox.company-id=42")) {
			Sandbox sandbox = context.getBean(Sandbox.class);
			CustomerApiProperties defaults = TestSandbox.clientProperties(sandbox.baseUrl());
			CustomerApiProperties properties = new CustomerApiProperties(defaults.baseUrl(), "42", "cli-token",
					defaults.version(), defaults.connectTimeout(), defaults.readTimeout(), defaults.maxConcurrency(), 0,
					defaults.errorCodes());
			try (CustomerApiClient client = CustomerApiClient.create(properties)) {

				// when
				String customerNo = client.createAccount(new CreateAccountRequest("16612345678", null, "+86", null,
						"dc483e80a7a0bd9ef71d8cf973673924", "SG", 2, 1L, null, null, null, null, null, null, null,
						"cli-1", List.of(new TradeTypeCurrency("USDT", "1"))));
				boolean exists = client.checkCustomerExist(CheckCustomerExistRequest.byPhone("+86", "16612345678"));
				CustomerRecord newest = client.page(CustomerPageRequest.all(1, 10)).records().get(0);

				// then
				assertThat(exists).isTrue();
				assertThat(newest.customerNo()).isEqualTo(customerNo);
				assertThat(newest.companyId()).isEqualTo(42L);
				assertThat(client.detail(CustomerDetailRequest.baseInfo(newest.id(), null)).thirdServerCode())
					.isEqualTo("cli-1");
				assertThat(client.groupList(CustomerGroupListRequest.all())).hasSize(3);
				assertThat(sandbox.state().customers()).isEqualTo(6);
			}
		}
	}

	@Test
	void refusesABadSettingNamingTheProperty() {
		assertThatThrownBy(() -> SandboxCommand.start("--sandbox.port=0", "--sandbox.faults.requests-per-second=-1"))
			.hasStackTraceContaining("sandbox.faults")
			.hasStackTraceContaining("requests-per-second must be 0 (no limit) or more");
	}

}
