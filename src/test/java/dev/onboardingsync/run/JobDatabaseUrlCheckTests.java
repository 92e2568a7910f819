package dev.onboardingsync.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

class JobDatabaseUrlCheckTests {

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "postgres://db:5432/onboarding", "jdbc:postgres://db:5432/onboarding",
			"jdbc:mysql://db:3306/onboarding", "jdbc:postgresql://db:abc/onboarding", " jdbc:postgresql://db:5432/onboarding" })
	void aMissingOrNonPostgresqlUrlIsASettingToFix(String url) {
		Throwable failure = catchThrowable(() -> check(new MockEnvironment().withProperty("spring.datasource.url", url)));

		assertThat(failure).isInstanceOf(BadConfigurationException.class).hasMessageStartingWith("spring.datasource.url");
		assertThat(ExitCodes.of(failure)).isEqualTo(ExitCodes.BAD_CONFIGURATION);
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc:postgresql://db:5432/onboarding", "jdbc:postgresql://db/onboarding?sslmode=require" })
	void aPostgresqlUrlPasses(String url) {
		assertThatCode(() -> check(new MockEnvironment().withProperty("spring.datasource.url", url)))
			.doesNotThrowAnyException();
	}

	@Test
	void anUnsetUrlIsNamed() {
		assertThat(catchThrowable(() -> check(new MockEnvironment())))
			.hasMessageContaining("spring.datasource.url is not set");
	}

	private static void check(MockEnvironment environment) {
		new JobDatabaseUrlCheck().onApplicationEvent(new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(),
				new SpringApplication(), new String[0], environment));
	}

}
