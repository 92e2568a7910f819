package dev.onboardingsync.run;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import dev.onboardingsync.testsupport.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnknownPropertiesCheckTests {

	private static final Set<String> KNOWN = KnownSettings.of(UnknownPropertiesCheckTests.class.getClassLoader());

	@Test
	void theBuildsMetadataListsTheSettingsMapsAndListsOpen() {
		assertThat(KNOWN)
			.contains("customer-api.max-concurrency", "intake.columns.phone-area", "onboarding.command.enabled",
					"sandbox.faults.endpoints.*.busy", "intake.defaults.trade-type-currencies.*")
			.allMatch((name) -> UnknownPropertiesCheck.PREFIXES.stream().anyMatch((prefix) -> name.startsWith(prefix + ".")));
	}

	@Test
	void aMisspeltPropertyIsRefusedNamingTheNearestKnownOne() {
		assertThatThrownBy(() -> check(Map.of("customer-api.max-concurency", "4"), Map.of()))
			.isInstanceOf(BadConfigurationException.class)
			.hasMessageContaining("The property customer-api.max-concurency is not a setting of this job: did you mean"
					+ " customer-api.max-concurrency?");
	}

	@Test
	void aMapKeyedByAnEnumTakesOnlyItsConstants() {
		assertThatThrownBy(() -> check(Map.of("intake.columns.phonee", "Mobile"), Map.of()))
			.hasMessageContaining("The property intake.columns.phonee is not a setting of this job: did you mean"
					+ " intake.columns.phone?");
		assertThatThrownBy(() -> check(Map.of(), Map.of("INTAKE_COLUMNS_PHONEAREA_CODE", "Area")))
			.hasMessageContaining("did you mean INTAKE_COLUMNS_PHONE_AREA?");
		assertThatCode(() -> check(Map.of("intake.columns.phone-area", "Area", "intake.columns.externalId", "Ref"),
				Map.of("INTAKE_COLUMNS_REGISTER_SOURCE", "Source")))
			.doesNotThrowAnyException();
	}

	@Test
	void aMapOfRecordsTakesAnyKeyWithTheRecordsSettingsOnly() {
		assertThatThrownBy(() -> check(Map.of("sandbox.faults.endpoints.create.bussy", "1"), Map.of()))
			.hasMessageContaining("The property sandbox.faults.endpoints.create.bussy is not a setting of this job: did you"
					+ " mean sandbox.faults.endpoints.create.busy?");
		assertThatCode(() -> check(Map.of("sandbox.faults.endpoints.create.busy", "1",
				"sandbox.faults.endpoints.group-list.too-many-requests", "0.5", "sandbox.faults.endpoints[all].timeout", "1"),
				Map.of("SANDBOX_FAULTS_ENDPOINTS_CHECK_LOSTRESPONSE", "0.1", "SANDBOX_FAULTS_ENDPOINTS_PAGE_SERVER_ERROR", "1")))
			.doesNotThrowAnyException();
	}

	@Test
	void aMisspeltEnvironmentVariableIsRefusedNamingTheNearestKnownOne() {
		assertThatThrownBy(() -> check(Map.of(), Map.of("CUSTOMER_API_MAX_CONCURENCY", "4")))
			.isInstanceOf(BadConfigurationException.class)
			.hasMessageContaining("The environment variable CUSTOMER_API_MAX_CONCURENCY is not a setting of this job:"
					+ " did you mean CUSTOMER_API_MAX_CONCURRENCY?");
		assertThatThrownBy(() -> check(Map.of("onboarding.retry.max-retry", "3"), Map.of()))
			.hasMessageContaining("did you mean onboarding.retry.max-retries?");
		assertThatThrownBy(() -> check(Map.of(), Map.of("CUSTOMER_API_BASEURL", "https://x")))
			.hasMessageContaining("did you mean CUSTOMER_API_BASE_URL?");
	}

	@Test
	void knownSettingsInEveryFormSpringBootBindsAndOtherPrefixesPass() {
		assertThatCode(() -> check(
				Map.of("customer-api.maxConcurrency", "4", "intake.columns.external-id", "Ref",
						"intake.defaults.trade-type-currencies[0]", "USDT:1", "intake.phone-number-types", "MOBILE",
						"spring.datasource.url", "jdbc:postgresql://db/x", "onboarding.command.enabled", "false"),
				Map.of("CUSTOMER_API_TOKEN", "t", "CUSTOMERAPI_BASEURL", "https://x", "INTAKE_COLUMNS_PHONE", "Mobile",
						"SANDBOX_SERVICE_HOST", "10.0.0.1", "SANDBOX_PORT_8089_TCP_ADDR", "10.0.0.1",
						"ONBOARDING_SYNC_SERVICE_PORT", "80", "PATH", "/usr/bin")))
			.doesNotThrowAnyException();
	}

	@Test
	void theApplicationDoesNotStartWithAMisspeltSettingAndExitsWith3(@TempDir Path reports) {
		assertThatThrownBy(() -> TestApplication.run(reports, "input=table", "--onboarding.stage-chunk-sise=10"))
			.hasMessageContaining("did you mean onboarding.stage-chunk-size?")
			.satisfies((failure) -> assertThat(ExitCodes.of(failure)).isEqualTo(ExitCodes.BAD_CONFIGURATION));
	}

	private static void check(Map<String, Object> properties, Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", properties));
		environment.getPropertySources().addLast(new SystemEnvironmentPropertySource("variables", variables));
		UnknownPropertiesCheck.check(environment, KNOWN);
	}

}
