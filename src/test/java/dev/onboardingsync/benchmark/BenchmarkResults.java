package dev.onboardingsync.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The benchmark command's record ({@code bin/benchmark}, issue 13): each measure's values over
 * its repeats (at least {@link #REPEATS}, each a ratio against a baseline or a limit measured in
 * the same repeat), their median, its goal and whether the median meets it, and the machine's
 * load average when it was recorded. Rows are appended, as a Markdown table, to
 * {@code target/benchmarks/results.md}, which the command prints at its end.
 */
public final class BenchmarkResults {

	/** How many times each measure is repeated: {@code -Dbenchmark.repeats}, at least 3. */
	public static final int REPEATS = Math.max(3, Integer.getInteger("benchmark.repeats", 3));

	static final Path FILE = Path.of("target", "benchmarks", "results.md");

	private static final String HEADER = """
			| measure | setting | repeats | median | goal | met | load average (1, 5, 15 min) |
			|---|---|---|---:|---|---|---|
			""";

	private BenchmarkResults() {
	}

	/**
	 * Records one measure and prints it.
	 * @param measure what is measured, with its unit or baseline ("onboarding, calls/s to R")
	 * @param setting the conditions ("R = 1,000/s, C = 64, 10,000 prospects")
	 * @param values one value per repeat
	 * @param goal what the median must meet
	 * @return the median
	 */
	public static double record(String measure, String setting, List<Double> values, Goal goal) {
		double median = median(values);
		String row = String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", measure, setting,
				values.stream().map(BenchmarkResults::format).collect(Collectors.joining(", ")), format(median), goal,
				goal.metBy(median) ? "yes" : "**no**", loadAverage());
		System.out.print(row);
		try {
			Files.createDirectories(FILE.getParent());
			if (!Files.exists(FILE)) {
				Files.writeString(FILE, HEADER, StandardCharsets.UTF_8);
			}
			Files.writeString(FILE, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return median;
	}

	/** The median of the values (the mean of the middle two for an even count). */
	public static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(null);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/** The 1, 5 and 15 minute load averages of {@code /proc/loadavg}, or "n/a" where there is none. */
	public static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return fields[0] + ", " + fields[1] + ", " + fields[2];
		}
		catch (IOException ex) {
			return "n/a";
		}
	}

	private static String format(double value) {
		return (Math.abs(value) >= 100) ? String.format(Locale.ROOT, "%,.0f", value)
				: String.format(Locale.ROOT, "%.2f", value);
	}

	/**
	 * What a measure's median must meet.
	 * @param bound the bound
	 * @param atLeast true for "at least", false for "at most"
	 */
	public record Goal(double bound, boolean atLeast) {

		public static Goal atLeast(double bound) {
			return new Goal(bound, true);
		}

		public static Goal atMost(double bound) {
			return new Goal(bound, false);
		}

		boolean metBy(double value) {
			return this.atLeast ? value >= this.bound : value <= this.bound;
		}

		@Override
		public String toString() {
			return (this.atLeast ? ">= " : "<= ") + format(this.bound);
		}

	}

}
