package dev.onboardingsync.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;

/** Inputs and launches shared by the tests of whole runs. */
final class RunFixtures {

	private RunFixtures() {
	}

	/**
	 * A CSV file of new prospects: external ids {@code <prefix>-0..n-1}, mainland mobiles
	 * {@code <phonePrefix>} followed by the number in five digits.
	 */
	static Path prospects(Path directory, String prefix, int count, String phonePrefix) throws IOException {
		StringBuilder csv = new StringBuilder("external_id,phone,country\n");
		for (int i = 0; i < count; i++) {
			csv.append(prefix).append('-').append(i).append(',').append(phonePrefix).append(String.format("%05d", i))
				.append(",CN\n");
		}
		return Files.writeString(directory.resolve(prefix + ".csv"), csv);
	}

	/** Launches a run of the input as the command would, in a started application. */
	static JobExecution launch(ConfigurableApplicationContext context, Path input) {
		try {
			return context.getBean(RunLauncher.class).launch(RunRequest.parse(List.of("input=" + input)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
