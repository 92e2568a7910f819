package dev.onboardingsync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Help needs nothing: no database, no token, no setting (issue 9). */
@ExtendWith(OutputCaptureExtension.class)
class UsageTests {

	@ParameterizedTest
	@ValueSource(strings = { "", "help", "--help", "-h", "runs", "runs help", "runs --help", "sandbox --help" })
	void helpPrintsTheUsageWithoutStartingAnything(String argument, CapturedOutput output) {
		// main returns only when it started nothing: any run ends in System.exit
		OnboardingSyncApplication.main(argument.isEmpty() ? new String[0] : argument.split(" "));

		assertThat(output.getOut()).isEqualTo(OnboardingSyncApplication.USAGE)
			.contains("input=<file.csv>|table", "runs list", "sandbox", "\"Configure it\"");
		assertThat(output.getErr()).isEmpty();
	}

	@Test
	void aSettingGivenTwiceIsFoundBeforeAnythingStarts() {
		assertThat(OnboardingSyncApplication.repeatedSetting(new String[] { "input=x.csv",
				"--spring.datasource.url=jdbc:postgresql://a/x", "--spring.datasource.url=jdbc:postgresql://b/x" }))
			.isEqualTo("spring.datasource.url");
		assertThat(OnboardingSyncApplication.repeatedSetting(new String[] { "input=x.csv", "--a=1", "--b=2" })).isNull();
	}

	@Test
	void onlyARunOrRestartPushesMetrics() {
		String off = "--management.prometheus.metrics.export.pushgateway.enabled=false";
		assertThat(OnboardingSyncApplication.withoutMetricsPushUnlessARunRuns(new String[] { "runs", "list" }))
			.containsExactly("runs", "list", off);
		assertThat(OnboardingSyncApplication.withoutMetricsPushUnlessARunRuns(new String[] { "runs", "restart", "7" }))
			.containsExactly("runs", "restart", "7");
		assertThat(OnboardingSyncApplication.withoutMetricsPushUnlessARunRuns(new String[] { "input=x.csv" }))
			.containsExactly("input=x.csv");
	}

}
