package dev.onboardingsync.run;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A setting found wrong while the application starts ({@link BadConfigurationException}) is
 * reported in Spring Boot's "APPLICATION FAILED TO START" form: what is wrong and what to do, no
 * stack trace (issue 9). The process then ends with exit code 3.
 */
class BadConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<BadConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BadConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), "Fix the setting named above, then run the same command again"
				+ " (exit code 3: retrying as it is cannot help).", cause);
	}

}
