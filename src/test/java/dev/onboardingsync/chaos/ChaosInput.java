package dev.onboardingsync.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.onboardingsync.sandbox.SandboxCustomer;

/**
 * A CSV input whose every line has a known answer: mostly new prospects ({@code CREATED}), and
 * some whose phone a platform customer already has ({@code EXISTS}), with a phone that is no
 * mobile ({@code REJECTED}), repeating an earlier line's external id or phone ({@code DUPLICATE}).
 * The same seed makes the same input.
 */
final class ChaosInput {

	static final String PREFIX = "os-";

	private final List<Line> lines;

	private ChaosInput(List<Line> lines) {
		this.lines = List.copyOf(lines);
	}

	/**
	 * @param rows how many data lines (line 1 is the header, data starts at line 2)
	 * @param existing the platform's customers, whose phones make {@code EXISTS} lines (each at most once)
	 */
	static ChaosInput generate(int rows, List<SandboxCustomer> existing, long seed) {
		Random random = new Random(seed);
		Set<String> taken = new HashSet<>();
		existing.forEach((customer) -> taken.add(customer.phone()));
		List<SandboxCustomer> unused = new ArrayList<>(existing.stream().filter((customer) -> "+86".equals(customer.phoneArea())).toList());
		List<Line> lines = new ArrayList<>();
		List<Line> created = new ArrayList<>();
		long nextPhone = 0;
		for (int i = 0; i < rows; i++) {
			long lineNumber = i + 2;
			String externalId = "cx-" + i;
			double roll = random.nextDouble();
			Line line;
			if (roll < 0.05 && !unused.isEmpty()) {
				line = new Line(lineNumber, externalId, unused.remove(unused.size() - 1).phone(), "EXISTS");
			}
			else if (roll < 0.10) {
				line = new Line(lineNumber, externalId, "12345", "REJECTED");
			}
			else if (roll < 0.14 && !created.isEmpty()) {
				Line earlier = created.get(random.nextInt(created.size()));
				String phone;
				do {
					phone = "1391" + String.format("%07d", nextPhone++);
				}
				while (!taken.add(phone));
				line = new Line(lineNumber, earlier.externalId(), phone, "DUPLICATE");
			}
			else if (roll < 0.18 && !created.isEmpty()) {
				line = new Line(lineNumber, externalId, created.get(random.nextInt(created.size())).phone(), "DUPLICATE");
			}
			else {
				String phone;
				do {
					phone = "1391" + String.format("%07d", nextPhone++);
				}
				while (!taken.add(phone));
				line = new Line(lineNumber, externalId, phone, "CREATED");
				created.add(line);
			}
			lines.add(line);
		}
		return new ChaosInput(lines);
	}

	List<Line> lines() {
		return this.lines;
	}

	/** The {@code thirdServerCode}s that must have exactly one account each. */
	Set<String> expectedCreations() {
		Set<String> codes = new HashSet<>();
		this.lines.stream().filter((line) -> line.expected().equals("CREATED")).forEach((line) -> codes.add(line.thirdServerCode()));
		return codes;
	}

	Path write(Path file) throws IOException {
		StringBuilder csv = new StringBuilder("external_id,phone,country\n");
		for (Line line : this.lines) {
			csv.append(line.externalId()).append(',').append(line.phone()).append(",CN\n");
		}
		return Files.writeString(file, csv);
	}

	/** One data line and the outcome the job must record for it. */
	record Line(long lineNumber, String externalId, String phone, String expected) {

		String thirdServerCode() {
			return PREFIX + this.externalId;
		}

	}

}
