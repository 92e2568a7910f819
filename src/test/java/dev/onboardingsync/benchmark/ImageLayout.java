package dev.onboardingsync.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The job as the container image runs it, for the benchmarks (issue 13): its JVM flags (the
 * {@code <jvmFlag>} elements of the Jib plugin in {@code pom.xml}, read from there so that they
 * cannot drift from the image), and its classes laid out unpacked rather than nested in one jar
 * (Jib's classpath; here Spring Boot's {@code -Djarmode=tools extract}).
 */
final class ImageLayout {

	private static final Pattern FLAG = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>");

	private ImageLayout() {
	}

	/** The image's JVM flags, in the pom's order. */
	static List<String> jvmFlags() {
		try {
			return FLAG.matcher(Files.readString(Path.of("pom.xml")))
				.results()
				.map((flag) -> flag.group(1).strip())
				// The image's temporary directory is the pod's emptyDir; here it is the machine's.
				.filter((flag) -> !flag.startsWith("-Djava.io.tmpdir="))
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The jar extracted into the directory: the application jar, its libraries beside it.
	 * @return the application jar to run with {@code java -jar}
	 */
	static Path extract(Path jar, Path directory) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", directory.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (process.waitFor() != 0) {
			throw new IllegalStateException("Could not extract " + jar + " into " + directory);
		}
		return directory.resolve(jar.getFileName());
	}

}
