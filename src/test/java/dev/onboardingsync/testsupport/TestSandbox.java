package dev.onboardingsync.testsupport;

import java.net.URI;
import java.time.Duration;

import dev.onboardingsync.customerapi.CustomerApiProperties;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxSettings;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One sandbox for the test JVM, on a free loopback port, reset to its seeded state by each test
 * that needs a clean platform.
 */
public final class TestSandbox {

	private static Sandbox sandbox;

	private TestSandbox() {
	}

	public static synchronized Sandbox get() {
		if (sandbox == null) {
			Sandbox started = Sandbox.start(SandboxSettings.forTests());
			Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-sandbox-stop"));
			sandbox = started;
		}
		return sandbox;
	}

	/** The shared sandbox, back to its seeded customers, no faults and zero counters. */
	public static Sandbox reset() {
		Sandbox shared = get();
		shared.reset();
		return shared;
	}

	/** Client settings for a sandbox: its company and token, a short read timeout, 16 connections. */
	public static CustomerApiProperties clientProperties(URI baseUrl) {
		return new CustomerApiProperties(baseUrl.toString(), "1", "sandbox-token", "0.0.1", Duration.ofSeconds(2),
				Duration.ofMillis(500), 16, 0, CustomerApiProperties.ErrorCodes.defaults());
	}

	/** Points {@code customer-api.*} of a Spring test at the shared sandbox. */
	public static final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			TestPropertyValues.of("customer-api.base-url=" + get().baseUrl(), "customer-api.company-id=1",
					"customer-api.token=sandbox-token", "customer-api.read-timeout=2s")
				.applyTo(context.getEnvironment());
		}

	}

}
