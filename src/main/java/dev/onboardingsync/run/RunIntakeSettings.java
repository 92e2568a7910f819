package dev.onboardingsync.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.intake.IntakeProperties;
import dev.onboardingsync.onboarding.Ledger;
import dev.onboardingsync.system.JobParameterNames;
import dev.onboardingsync.system.Run;
import tools.jackson.core.type.TypeReference;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Records the run in the ledger when its first execution starts ({@link Ledger#registerRun}), with
 * the intake settings it reads its input with ({@link IntakeProperties#readingSettings}); a later
 * execution of the run must read it with the same ones ({@link #checkSameSettings}, issue 9).
 */
class RunIntakeSettings implements JobExecutionListener {

	private final NamedParameterJdbcTemplate jdbc;

	private final IntakeProperties intake;

	private final Ledger ledger;

	RunIntakeSettings(NamedParameterJdbcTemplate jdbc, IntakeProperties intake, Ledger ledger) {
		this.jdbc = jdbc;
		this.intake = intake;
		this.ledger = ledger;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		var parameters = jobExecution.getJobParameters();
		String input = parameters.getString(JobParameterNames.INPUT);
		this.ledger.registerRun(Run.of(jobExecution), input,
				parameters.getString(JobParameterNames.INPUT_CHECKSUM), parameters.getString(JobParameterNames.RUN_KEY),
				(input != null) ? this.intake.readingSettings(input) : null);
	}

	/**
	 * Refuses to go on with a run under intake settings other than those it started with: the rows
	 * already staged were read with those, and the rest must be too.
	 * @throws BadConfigurationException naming each setting that differs, then and now
	 */
	void checkSameSettings(long runId, String input) {
		List<String> stored = this.jdbc.queryForList("SELECT intake_settings::text FROM onboarding.run WHERE run_id = :runId"
				+ " AND intake_settings IS NOT NULL", new MapSqlParameterSource("runId", runId), String.class);
		if (stored.isEmpty() || input == null) {
			return;
		}
		Map<String, String> then = ApiJson.mapper().readValue(stored.get(0), new TypeReference<Map<String, String>>() {
		});
		SortedMap<String, String> now = this.intake.readingSettings(input);
		List<String> differences = new ArrayList<>();
		List<String> arguments = new ArrayList<>();
		for (String name : new TreeSet<>(then.keySet())) {
			if (!then.get(name).equals(now.get(name))) {
				differences.add(name + "=" + then.get(name) + " (now " + now.get(name) + ")");
				arguments.add("'--" + name + "=" + then.get(name) + "'");
			}
		}
		if (!differences.isEmpty()) {
			throw new BadConfigurationException("Run " + runId + " started with other intake settings: "
					+ String.join(", ", differences) + ". Resume it with the settings it started with (add "
					+ String.join(" ", arguments) + "), or give it up (runs abandon " + runId + ") and run the new"
					+ " settings as a new run.");
		}
	}

}
