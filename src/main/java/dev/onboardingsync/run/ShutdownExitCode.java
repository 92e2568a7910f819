package dev.onboardingsync.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;

/**
 * The exit code of a process that a signal ends. A JVM shut down by SIGTERM (Kubernetes ending a
 * pod) or SIGINT (Ctrl-C) exits 143 or 130, whatever {@code System.exit} is called with meanwhile:
 * codes the README's table does not list, and that the Job's {@code podFailurePolicy} does not
 * know (issue 7, fault 5). Once Spring Boot's shutdown hook has closed the application, the run
 * having stopped at a chunk boundary ({@link GracefulShutdown}), this ends the process with the
 * run's own exit code instead, as its last log line gives it: 1 (resumable: run the same command
 * again) for a run stopped, or still running when the wait ran out, or for a command not yet
 * launched. A process that ends by itself, with no run stopped, keeps the exit code its command
 * chose (and its other shutdown hooks their time).
 */
public final class ShutdownExitCode {

	private static final Logger logger = LoggerFactory.getLogger(ShutdownExitCode.class);

	private static volatile ExitCodes stoppedRun;

	private static volatile boolean exiting;

	private ShutdownExitCode() {
	}

	/**
	 * Installs the rule, as one of Spring Boot's shutdown handlers (they run after the application
	 * contexts are closed). Call once, from {@code main}, before the application starts: the exit
	 * status is the whole process's.
	 */
	public static void install() {
		SpringApplication.getShutdownHandlers().add(ShutdownExitCode::haltWithRunExitCode);
	}

	/** The command ended by itself: the process exits with the code it chose. */
	public static void exiting() {
		exiting = true;
	}

	/** Shutdown stopped a run, which ended with this exit code. */
	static void stoppedRun(ExitCodes code) {
		stoppedRun = code;
	}

	private static void haltWithRunExitCode() {
		ExitCodes code = stoppedRun;
		if (code == null && exiting) {
			return;
		}
		if (code == null) {
			code = ExitCodes.FAILED_RESTARTABLE;
		}
		logger.warn("Ended by a signal: exit code {} ({})", code.code(), code);
		// halt, not exit: the JVM is already shutting down, and exit would wait for ever.
		Runtime.getRuntime().halt(code.code());
	}

}
