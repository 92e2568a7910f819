package dev.onboardingsync.sandbox;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * {@code java -jar onboarding-sync.jar sandbox --sandbox.port=8089 ...}: the sandbox on its own,
 * settings bound from {@code sandbox.*} ({@link SandboxSettings}), until the process is stopped.
 * No database and none of the job's configuration is loaded.
 */
public final class SandboxCommand {

	public static final String NAME = "sandbox";

	private SandboxCommand() {
	}

	public static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(StandaloneSandbox.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.run(args);
	}

	// Deliberately not a @Configuration: the job's component scan must not start a sandbox.
	@EnableConfigurationProperties(SandboxSettings.class)
	static class StandaloneSandbox {

		@Bean(destroyMethod = "close")
		Sandbox sandbox(SandboxSettings settings) {
			return Sandbox.start(settings);
		}

	}

}
