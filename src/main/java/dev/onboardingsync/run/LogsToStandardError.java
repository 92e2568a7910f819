package dev.onboardingsync.run;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Sends the console's log to standard error, as command-line tools do, so that standard output
 * carries only what a command prints ({@code runs list}, {@code runs export}, the usage) and can
 * be piped or redirected (issue 9). Kubernetes collects both streams. Spring Boot's console
 * appender has no setting for its target, hence this, right after Boot has set up Logback.
 */
public class LogsToStandardError implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
			return;
		}
		Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		for (var appenders = root.iteratorForAppenders(); appenders.hasNext();) {
			Appender<ILoggingEvent> appender = appenders.next();
			if (appender instanceof ConsoleAppender<ILoggingEvent> console && !"System.err".equals(console.getTarget())) {
				console.stop();
				console.setTarget("System.err");
				console.start();
			}
		}
	}

	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

}
