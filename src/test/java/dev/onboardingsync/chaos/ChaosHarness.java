package dev.onboardingsync.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import dev.onboardingsync.sandbox.SandboxCustomer;
import dev.onboardingsync.sandbox.SandboxState;

/**
 * The proof of the job's promises (issue 7): the packaged jar, in JVMs of its own, against the
 * sandbox and a real PostgreSQL, over an input with a known answer for every line. With the
 * platform's faults on throughout, it kills the job (kill -9) at random moments in every step and
 * restarts PostgreSQL while it onboards; then it runs the same command until it exits 0, as a
 * scheduler would, and checks every invariant:
 * <ol>
 * <li>one account per {@code thirdServerCode} and per phone on the platform;</li>
 * <li>exactly one account for every expected creation;</li>
 * <li>no account for a rejected, duplicate or existing line: the platform holds its seeded customers
 * and the expected creations, nothing more;</li>
 * <li>exactly one outcome per input line, equal to the expected one, in one run;</li>
 * <li>a {@code customerNo} on every created or existing line;</li>
 * <li>as many creates reached the platform's rules as accounts were made: none sent twice;</li>
 * <li>no exit code but 0, 1 (resumable), 4 (the lock) or a kill's, and the reruns within the profile's
 * bound, with no operator action in between.</li>
 * </ol>
 */
final class ChaosHarness {

	/** The moment before any step: Spring, Flyway, the pre-read of the input, the lock. */
	static final String STARTUP = "start-up";

	/** The last steps: the confirmation of inferred creations, and the reconcile. */
	static final String RECONCILE = "confirmCreationsStep/reconcileStep";

	private static final String RESTART = "PostgreSQL restart";

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);

	private final ChaosProfile profile;

	private final JobRig rig;

	private final Random random;

	private final List<String> events = new ArrayList<>();

	private final Map<String, Integer> kills = new LinkedHashMap<>();

	private final List<String> missed = new ArrayList<>();

	private final Map<Integer, Integer> exitCodes = new HashMap<>();

	ChaosHarness(ChaosProfile profile, JobRig rig) {
		this.profile = profile;
		this.rig = rig;
		this.random = new Random(profile.seed());
	}

	/** Runs the storm, then the same command until it exits 0, then checks the invariants. */
	ChaosReport run(Path directory) throws IOException {
		long started = System.nanoTime();
		List<SandboxCustomer> seeded = this.rig.sandbox().customers();
		ChaosInput input = ChaosInput.generate(this.profile.rows(), seeded, this.profile.seed());
		String command = "input=" + input.write(directory.resolve("prospects.csv"));
		this.rig.sandbox().faults(this.profile.faults());
		boolean completed = storm(command);
		int reruns = 0;
		while (!completed && reruns < this.profile.maxReruns()) {
			reruns++;
			int exit = this.rig.run(RUN_TIMEOUT, command);
			exited("rerun " + reruns, exit);
			completed = exit == 0;
		}
		SandboxState state = this.rig.sandbox().state();
		List<String> violations = new ArrayList<>();
		if (!completed) {
			violations.add("the same command did not complete the run in " + reruns + " reruns after the storm");
		}
		violations.addAll(invariants(input, seeded.size(), state));
		this.exitCodes.keySet()
			.stream()
			.filter((code) -> code != 0 && code != 1 && code != 4 && code != JobProcess.KILLED)
			.forEach((code) -> violations.add("exit code " + code + " (" + this.exitCodes.get(code) + " times)"));
		return new ChaosReport(this.profile, this.rig.processesStarted(), this.kills, this.missed,
				this.profile.databaseRestarts(),
				state.faultsInjected(), reruns, this.exitCodes, violations, this.events,
				Duration.ofNanos(System.nanoTime() - started));
	}

	// The kills in the profile's order, each in a job process of its own, with the database restarts
	// before the first onboarding kills. True when the run completed.
	private boolean storm(String command) {
		List<String> plan = new ArrayList<>(this.profile.kills());
		int restarts = this.profile.databaseRestarts();
		for (int i = 0; i < plan.size() && restarts > 0; i++) {
			if (plan.get(i).equals("onboardProspectsStep")) {
				plan.add(i, RESTART);
				restarts--;
				i++;
			}
		}
		for (String target : plan) {
			long before = this.rig.lastJobExecutionId();
			JobProcess job = this.rig.start(command);
			boolean reached = target.equals(STARTUP) || JobRig.awaitWhileAlive(job, RUN_TIMEOUT,
					() -> running(target.equals(RESTART) ? "onboardProspectsStep" : target, before));
			if (reached && target.equals(RESTART)) {
				// The job is left to itself: it rides the outage out, or fails (its commit's outcome lost,
				// its lock gone) and leaves an UNKNOWN, FAILED or STARTED execution for the next run.
				restartDatabase();
				if (ended(job, "the job through a PostgreSQL restart")) {
					return true;
				}
				continue;
			}
			// A random moment within the step: the kill comes then, unless the job ends first.
			Duration moment = Duration.ofMillis(switch (target) {
				case STARTUP -> 300 + this.random.nextInt(3000);
				case "onboardProspectsStep" -> this.random.nextInt(1500);
				case "stageProspectsStep", "syncCustomersStep" -> this.random.nextInt(300);
				default -> this.random.nextInt(30);
			});
			if (!reached || job.endsWithin(moment)) {
				this.missed.add(target);
				if (ended(job, "the job ended before its kill in " + target)) {
					return true;
				}
				continue;
			}
			exited("kill -9 in " + target, job.kill());
			this.kills.merge(target, 1, Integer::sum);
		}
		return false;
	}

	// Waits for a job that ends by itself: true when it completed the run.
	private boolean ended(JobProcess job, String what) {
		int exit = job.awaitExit(RUN_TIMEOUT);
		exited(what, exit);
		if (exit == 0) {
			this.events.add("the run completed before the rest of the storm");
		}
		return exit == 0;
	}

	private void restartDatabase() {
		long longest = this.profile.longestOutage().toMillis();
		Duration outage = Duration.ofMillis(longest / 2 + this.random.nextLong(longest / 2));
		this.rig.postgres().stopFor(outage).join();
		this.events.add("PostgreSQL stopped for " + outage.toMillis() + " ms while onboarding");
	}

	private boolean running(String target, long after) {
		if (target.equals(RECONCILE)) {
			return this.rig.stepRunning("confirmCreationsStep", after) || this.rig.stepRunning("reconcileStep", after);
		}
		return this.rig.stepRunning(target, after);
	}

	private void exited(String what, int exit) {
		this.exitCodes.merge(exit, 1, Integer::sum);
		this.events.add(what + ": exit code " + exit);
	}

	private List<String> invariants(ChaosInput input, int seeded, SandboxState state) {
		List<String> violations = new ArrayList<>();
		if (state.maxAccountsPerThirdServerCode() > 1) {
			violations.add("a thirdServerCode has " + state.maxAccountsPerThirdServerCode() + " accounts");
		}
		if (state.maxAccountsPerPhone() > 1) {
			violations.add("a phone has " + state.maxAccountsPerPhone() + " accounts");
		}
		Set<String> expected = input.expectedCreations();
		Map<String, Long> accounts = this.rig.sandbox()
			.customers()
			.stream()
			.filter((customer) -> customer.thirdServerCode() != null)
			.collect(Collectors.groupingBy(SandboxCustomer::thirdServerCode, Collectors.counting()));
		expected.stream()
			.filter((code) -> accounts.getOrDefault(code, 0L) != 1)
			.limit(10)
			.forEach((code) -> violations.add(code + " has " + accounts.getOrDefault(code, 0L) + " accounts, not 1"));
		accounts.keySet()
			.stream()
			.filter((code) -> !expected.contains(code))
			.limit(10)
			.forEach((code) -> violations.add(code + " has an account but its line is no creation"));
		if (state.customers() != seeded + expected.size()) {
			violations.add("the platform has " + state.customers() + " customers, not " + seeded + " seeded + "
					+ expected.size() + " created");
		}
		if (state.handled("create") != expected.size()) {
			violations.add(state.handled("create") + " creates reached the platform for " + expected.size() + " accounts");
		}
		Map<Long, String> recorded = new HashMap<>();
		this.rig.jdbc().query("SELECT line_number, outcome FROM onboarding.input_row",
				(rs) -> {
					recorded.merge(rs.getLong(1), rs.getString(2), (a, b) -> a + "+" + b);
				});
		long runs = this.rig.count("SELECT count(DISTINCT run_id) FROM onboarding.input_row");
		if (runs != 1) {
			violations.add("the lines' outcomes are in " + runs + " runs, not 1");
		}
		if (recorded.size() != input.lines().size()) {
			violations.add(recorded.size() + " lines have an outcome, of " + input.lines().size());
		}
		input.lines()
			.stream()
			.filter((line) -> !line.expected().equals(recorded.get(line.lineNumber())))
			.limit(10)
			.forEach((line) -> violations.add("line " + line.lineNumber() + " is " + recorded.get(line.lineNumber())
					+ ", not " + line.expected()));
		long unlinked = this.rig.count("""
				SELECT count(*) FROM onboarding.input_row WHERE outcome IN ('CREATED', 'EXISTS') AND customer_no IS NULL""");
		if (unlinked > 0) {
			violations.add(unlinked + " created or existing lines have no customerNo");
		}
		return violations;
	}

}
