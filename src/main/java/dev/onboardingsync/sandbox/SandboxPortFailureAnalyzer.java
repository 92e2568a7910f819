package dev.onboardingsync.sandbox;

import java.net.BindException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * The sandbox cannot listen where it is told (a port in use, an address not of this machine):
 * reported in Spring Boot's "APPLICATION FAILED TO START" form without a stack trace (issue 9);
 * exit code 3.
 */
class SandboxPortFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

	private final Environment environment;

	SandboxPortFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		String address = this.environment.getProperty("sandbox.bind-address", "127.0.0.1") + ":"
				+ this.environment.getProperty("sandbox.port", "0");
		return new FailureAnalysis("The sandbox cannot listen on " + address + ": " + cause.getMessage(),
				"Choose another --sandbox.port (0 takes any free one) or --sandbox.bind-address, or stop what uses it"
						+ " (exit code 3).", cause);
	}

}
