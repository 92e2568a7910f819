package dev.onboardingsync.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar ({@code target/onboarding-sync.jar}, as {@code bin/benchmark} packages it) run to its end in a
 * JVM of its own, with a heap limit and the JVM's GC log ({@code -Xlog:gc}), from which the heap's
 * peak is read: the most a collection left in use (what the run held), and the most in use before
 * one.
 */
final class JobJvm {

	private static final Pattern COLLECTION = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

	private static final Path JAR = Path.of("target", "onboarding-sync.jar");

	private JobJvm() {
	}

	/**
	 * Runs {@code java -Xmx<heap> -Xlog:gc:<directory>/gc.log -jar onboarding-sync.jar <arguments>}.
	 * @return the exit code and the heap's peaks
	 */
	static Result run(Path directory, String heap, List<String> arguments, Map<String, String> environment,
			Duration timeout) throws IOException, InterruptedException {
		Files.createDirectories(directory);
		Path gcLog = directory.resolve("gc.log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx" + heap, "-Xlog:gc:file=" + gcLog, "-jar", jar().toString()));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(directory.resolve("job.log").toFile());
		builder.environment().putAll(environment);
		Process process = builder.start();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.destroyForcibly().waitFor();
			throw new IllegalStateException("The job did not end within " + timeout + ": see " + directory);
		}
		long afterCollection = 0;
		long beforeCollection = 0;
		int collections = 0;
		for (String line : Files.readAllLines(gcLog)) {
			Matcher collection = COLLECTION.matcher(line);
			if (collection.find()) {
				collections++;
				beforeCollection = Math.max(beforeCollection, Long.parseLong(collection.group(1)));
				afterCollection = Math.max(afterCollection, Long.parseLong(collection.group(2)));
			}
		}
		return new Result(process.exitValue(), afterCollection, beforeCollection, collections);
	}

	/** The packaged jar, which {@code bin/benchmark} makes before it runs the benchmarks. */
	static Path jar() {
		if (!Files.isRegularFile(JAR)) {
			throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run bin/benchmark, which packages it.");
		}
		return JAR;
	}

	/**
	 * @param exitCode the process's
	 * @param peakAfterCollectionMb the most heap a collection left in use, MB
	 * @param peakBeforeCollectionMb the most heap in use before a collection, MB
	 * @param collections how many collections the log shows
	 */
	record Result(int exitCode, long peakAfterCollectionMb, long peakBeforeCollectionMb, int collections) {
	}

}
