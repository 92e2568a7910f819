package dev.onboardingsync.run;

import org.postgresql.Driver;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Refuses to start the job without a PostgreSQL JDBC URL for its own database: unset, Spring Boot
 * would fail with advice about embedded databases; malformed ({@code postgres://...},
 * {@code jdbc:postgres://...}), with a driver's stack trace; both as exit code 1, which Kubernetes
 * retries (issue 9). Here: one line naming the setting and its form, exit code 3. Registered by
 * {@code OnboardingSyncApplication} for the job alone: the sandbox has no database.
 */
public class JobDatabaseUrlCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		String url = event.getEnvironment().getProperty("spring.datasource.url");
		if (url == null || url.isBlank()) {
			throw new BadConfigurationException("spring.datasource.url is not set: give the job's PostgreSQL database,"
					+ " such as jdbc:postgresql://db.example.com:5432/onboarding (SPRING_DATASOURCE_URL; README, \"The"
					+ " job's database\").");
		}
		String shown = shown(url);
		if (!url.equals(url.strip())) {
			throw new BadConfigurationException("spring.datasource.url '" + shown + "' has spaces around it: remove them.");
		}
		// pgjdbc's own reading of the URL (a port that is not a number, a host missing).
		if (!url.startsWith("jdbc:postgresql:") || Driver.parseURL(url, null) == null) {
			throw new BadConfigurationException("spring.datasource.url " + shown
					+ " is not a PostgreSQL JDBC URL: use jdbc:postgresql://host:5432/database.");
		}
	}

	/** The job's database URL as the job says it: a {@code password=} parameter masked. */
	static String shown(String url) {
		return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
	}

	// After the check of unknown settings (UnknownPropertiesCheck), once the log goes to standard error.
	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 3;
	}

}
