package dev.onboardingsync.run;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Records the run in {@code onboarding.run} when its first execution starts. */
class RunRegistrar implements JobExecutionListener {

	private final NamedParameterJdbcTemplate jdbc;

	RunRegistrar(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		var parameters = jobExecution.getJobParameters();
		this.jdbc.update("""
				INSERT INTO onboarding.run (run_id, company_id, mode, input_location, input_checksum, run_key)
				VALUES (:runId, :companyId, :mode, :input, :checksum, :runKey)
				ON CONFLICT (run_id) DO NOTHING""",
				new MapSqlParameterSource().addValue("runId", jobExecution.getJobInstance().getInstanceId())
					.addValue("companyId", parameters.getString(RunLauncher.COMPANY_PARAMETER))
					.addValue("mode", parameters.getString("mode"))
					.addValue("input", parameters.getString("input"))
					.addValue("checksum", parameters.getString("inputChecksum"))
					.addValue("runKey", parameters.getString("runKey")));
	}

}
