package dev.onboardingsync.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the chaos harness did and found: the figures of RELIABILITY.md.
 *
 * @param processesStarted job JVMs started, storm and reruns
 * @param kills kill -9 by the step they hit (a step of the job process the kill ended)
 * @param missed the planned kills whose step the job did not reach: it ended first
 * @param faultsInjected the sandbox's faults, by kind
 * @param reruns runs of the same command after the storm until exit code 0
 * @param exitCodes how often each exit code was seen (137: a kill)
 * @param violations the invariants that did not hold (none, when the job kept its promises)
 */
record ChaosReport(ChaosProfile profile, int processesStarted, Map<String, Integer> kills, List<String> missed,
		int databaseRestarts,
		Map<String, Long> faultsInjected, int reruns, Map<Integer, Integer> exitCodes, List<String> violations,
		List<String> events, Duration duration) {

	/** The report as Markdown. */
	String render() {
		StringBuilder text = new StringBuilder();
		text.append("| profile | rows | job processes | kill -9 | PostgreSQL restarts | platform faults injected"
				+ " | reruns to exit 0 | invariants broken | duration |\n");
		text.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		long faults = this.faultsInjected.values().stream().mapToLong(Long::longValue).sum();
		text.append(String.format("| %s | %,d | %d | %d | %d | %,d | %d | %d | %d s |%n", this.profile.name(),
				this.profile.rows(), this.processesStarted, this.kills.values().stream().mapToInt(Integer::intValue).sum(),
				this.databaseRestarts, faults, this.reruns, this.violations.size(), this.duration.toSeconds()));
		text.append("\nKills by step: ").append(this.kills).append('\n');
		text.append("Planned kills missed (the job ended first): ").append(this.missed.isEmpty() ? "none" : this.missed)
			.append('\n');
		text.append("Faults by kind: ").append(new TreeMap<>(this.faultsInjected)).append('\n');
		text.append("Exit codes seen: ").append(new TreeMap<>(this.exitCodes)).append('\n');
		text.append("\nInvariants broken: ").append(this.violations.isEmpty() ? "none" : "").append('\n');
		this.violations.forEach((violation) -> text.append("- ").append(violation).append('\n'));
		text.append("\nEvents, in order:\n");
		this.events.forEach((event) -> text.append("- ").append(event).append('\n'));
		return text.toString();
	}

}
