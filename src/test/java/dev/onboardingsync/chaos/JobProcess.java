package dev.onboardingsync.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The job as an operator runs it: its own JVM of the packaged jar ({@code target/onboarding-sync.jar},
 * the system property {@code onboarding.jar} that failsafe sets), with its output appended to a log
 * file. {@link #kill()} is a real {@code kill -9} (SIGKILL), {@link #terminate()} a real SIGTERM.
 */
final class JobProcess {

	/** The process's exit code when SIGKILL ended it (128 + 9). */
	static final int KILLED = 137;

	private final Process process;

	private JobProcess(Process process) {
		this.process = process;
	}

	/**
	 * Starts {@code java -jar onboarding-sync.jar <arguments>} with the extra environment.
	 * @param log the file its standard output and error are appended to
	 */
	static JobProcess start(Path log, List<String> arguments, Map<String, String> environment) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				// A short-lived JVM on a small machine: quick start, little memory, one GC thread.
				"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m", "-jar", jar().toString()));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().putAll(environment);
		try {
			Files.createDirectories(log.getParent());
			return new JobProcess(builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
	}

	static Path jar() {
		Path jar = Path.of(System.getProperty("onboarding.jar", "target/onboarding-sync.jar"));
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar.toAbsolutePath() + " is missing: these tests run after package"
					+ " (./mvnw verify), against the jar an operator runs.");
		}
		return jar;
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	long pid() {
		return this.process.pid();
	}

	/** kill -9: the JVM ends at once, with no shutdown hook, no rollback, no last update. */
	int kill() {
		this.process.destroyForcibly();
		return awaitExit(Duration.ofSeconds(30));
	}

	/** SIGTERM, as Kubernetes sends when it ends a pod. */
	void terminate() {
		this.process.destroy();
	}

	/** Waits up to the timeout: whether the process ended. */
	boolean endsWithin(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Waits for the process to end; kills it and fails if it takes longer than the timeout. */
	int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly().waitFor();
				throw new IllegalStateException("The job (pid " + pid() + ") did not end within " + timeout);
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
			throw new IllegalStateException("Interrupted while waiting for the job", ex);
		}
	}

}
