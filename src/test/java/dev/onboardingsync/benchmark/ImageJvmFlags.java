package dev.onboardingsync.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JVM flags the container image runs the job with: the {@code <jvmFlag>} elements of the Jib
 * plugin in {@code pom.xml}, read from there so that the benchmarks run the job as operators do
 * (issue 13) and cannot drift from the image.
 */
final class ImageJvmFlags {

	private static final Pattern FLAG = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>");

	private ImageJvmFlags() {
	}

	/** The flags, in the pom's order. */
	static List<String> read() {
		try {
			return FLAG.matcher(Files.readString(Path.of("pom.xml"))).results().map((flag) -> flag.group(1).strip())
				// The image's temporary directory is the pod's emptyDir; here it is the machine's.
				.filter((flag) -> !flag.startsWith("-Djava.io.tmpdir="))
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
