package dev.onboardingsync.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.onboardingsync.customerapi.CustomerApiProperties;

/**
 * What the command line asks for: {@code input=<file>|table}, {@code runKey=<slot>} (a schedule
 * slot such as a date; {@code adhoc} by default), {@code dryRun=true}, and {@code job=} one of
 * the two jobs ({@code onboardingJob} by default).
 */
record RunRequest(String job, String input, String runKey, boolean dryRun) {

	static final String ONBOARDING_JOB = "onboardingJob";

	static final String SYNC_JOB = "customerSyncJob";

	private static final Set<String> NAMES = Set.of("job", "input", "runKey", "dryRun");

	static RunRequest parse(List<String> arguments) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String argument : arguments) {
			int equals = argument.indexOf('=');
			String name = (equals > 0) ? argument.substring(0, equals) : argument;
			if (!NAMES.contains(name)) {
				// Masked: a setting's value split off by the shell (--customer-api.base-url= http://u:secret@host).
				throw new BadConfigurationException("Unknown argument '" + CustomerApiProperties.masked(argument)
						+ "': the job takes input=<file>|table,"
						+ " runKey=<slot>, dryRun=true|false and job=" + ONBOARDING_JOB + "|" + SYNC_JOB
						+ "; settings go as --name=value.");
			}
			if (values.put(name, (equals > 0) ? argument.substring(equals + 1) : "") != null) {
				throw new BadConfigurationException("The argument " + name + "= is given twice: give it once.");
			}
		}
		String job = values.getOrDefault("job", ONBOARDING_JOB);
		if (!job.equals(ONBOARDING_JOB) && !job.equals(SYNC_JOB)) {
			throw new BadConfigurationException("job=" + job + " is not a job: use " + ONBOARDING_JOB + " or " + SYNC_JOB + ".");
		}
		String input = values.get("input");
		if (job.equals(ONBOARDING_JOB) && (input == null || input.isBlank())) {
			throw new BadConfigurationException("onboardingJob needs input=<path of a CSV file> or input=table.");
		}
		String dryRun = values.getOrDefault("dryRun", "false");
		if (!dryRun.equals("true") && !dryRun.equals("false")) {
			throw new BadConfigurationException("dryRun=" + dryRun + " must be true or false.");
		}
		String runKey = values.getOrDefault("runKey", "adhoc");
		if (runKey.isBlank()) {
			throw new BadConfigurationException("runKey must not be empty: name the schedule slot, e.g. runKey=2026-11-28.");
		}
		return new RunRequest(job, job.equals(ONBOARDING_JOB) ? input : null, runKey, Boolean.parseBoolean(dryRun));
	}

}
