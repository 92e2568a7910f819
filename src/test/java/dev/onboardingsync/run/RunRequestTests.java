package dev.onboardingsync.run;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The job's arguments ({@link RunRequest#parse}). */
class RunRequestTests {

	@Test
	void anUnknownArgumentIsNamedWithoutTheSecretsAUrlInItMayHold() {
		// a setting's value that the shell split off: --customer-api.base-url= http://u:apisecret@host
		assertThatExceptionOfType(BadConfigurationException.class)
			.isThrownBy(() -> RunRequest.parse(List.of("input=x.csv", "http://u:apisecret@127.0.0.1:8197/?token=apisecret")))
			.withMessageStartingWith("Unknown argument 'http://***@127.0.0.1:8197/?***': the job takes input=")
			.withMessageNotContaining("apisecret");
		assertThatExceptionOfType(BadConfigurationException.class)
			.isThrownBy(() -> RunRequest.parse(List.of("inptu=prospects.csv")))
			.withMessageStartingWith("Unknown argument 'inptu=prospects.csv'");
	}

}
