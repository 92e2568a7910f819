package dev.onboardingsync.run;

import org.springframework.boot.SpringApplication;

/**
 * The exit code of a process that a signal ends. A JVM shut down by SIGTERM (Kubernetes ending a
 * pod) or SIGINT (Ctrl-C) exits 143 or 130, whatever {@code System.exit} is called with meanwhile:
 * codes the README's table does not list, and that the Job's {@code podFailurePolicy} does not
 * know (issue 7, fault 5). Once Spring Boot's shutdown hook has closed the application, the run
 * having stopped with its work recorded ({@link GracefulShutdown}), this ends the process with the
 * run's own exit code instead, as its last log line gives it: 1 (resumable: run the same command
 * again) for a run stopped, or still running when the wait ran out; the command's own code when it
 * had already chosen one; 1 when the signal came before it launched anything. A process that ends
 * by itself, with no run stopped, keeps the exit code it chose (and its other shutdown hooks their
 * time).
 */
public final class ShutdownExitCode {

	private static volatile ExitCodes stoppedRun;

	private static volatile ExitCodes commandEnded;

	private static volatile boolean exiting;

	private ShutdownExitCode() {
	}

	/**
	 * Installs the rule as one of Spring Boot's shutdown handlers, which run after the application
	 * contexts are closed (after the logging system stops, too: {@link GracefulShutdown} logs the
	 * code). Call once, from {@code main}, before the application starts: the exit status is the
	 * whole process's.
	 */
	public static void install() {
		SpringApplication.getShutdownHandlers().add(ShutdownExitCode::haltWithRunExitCode);
	}

	/** {@code main} is ending the process itself, with the command's exit code. */
	public static void exiting() {
		exiting = true;
	}

	/** Shutdown stopped a run, which ended with this exit code. */
	static void stoppedRun(ExitCodes code) {
		stoppedRun = code;
	}

	/** The command ended with this exit code (the process has yet to exit with it). */
	static void commandEnded(ExitCodes code) {
		commandEnded = code;
	}

	private static void haltWithRunExitCode() {
		ExitCodes code = stoppedRun;
		if (code == null && exiting) {
			return;
		}
		if (code == null && commandEnded == null) {
			// The logging system has stopped by now: standard error, as the log goes.
			System.err.println("Stopped by a signal before a run started: nothing was done. Run the same command"
					+ " again (exit code 1, FAILED_RESTARTABLE).");
		}
		if (code == null) {
			code = (commandEnded != null) ? commandEnded : ExitCodes.FAILED_RESTARTABLE;
		}
		// halt, not exit: the JVM is already shutting down, and exit would wait for ever.
		Runtime.getRuntime().halt(code.code());
	}

}
