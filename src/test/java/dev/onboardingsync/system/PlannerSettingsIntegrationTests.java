package dev.onboardingsync.system;

import java.util.List;
import java.util.Map;

import dev.onboardingsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The planner settings hold for the statement alone, in the caller's transaction, against a real
 * PostgreSQL: what the transaction had before comes back after it.
 */
class PlannerSettingsIntegrationTests {

	private static final String SETTINGS = "SELECT current_setting('enable_hashjoin') || ' '"
			+ " || current_setting('enable_seqscan') || ' ' || current_setting('plan_cache_mode')";

	private final JdbcTemplate jdbc = TestDatabase.jdbcTemplate();

	private final TransactionTemplate transaction = new TransactionTemplate(
			new DataSourceTransactionManager(this.jdbc.getDataSource()));

	@Test
	void holdForTheStatementAloneAndGiveBackWhatTheTransactionHad() {
		// when: the transaction set one of them itself before
		List<String> seen = this.transaction.execute((status) -> {
			this.jdbc.execute("SET LOCAL enable_seqscan = off");
			String during = PlannerSettings.during(this.jdbc,
					Map.of("enable_hashjoin", "off", "enable_seqscan", "on", "plan_cache_mode", "force_custom_plan"),
					() -> this.jdbc.queryForObject(SETTINGS, String.class));
			return List.of(during, this.jdbc.queryForObject(SETTINGS, String.class));
		});

		// then
		assertThat(seen).containsExactly("off on force_custom_plan", "on off auto");
	}

	@Test
	void refusesToRunOutsideATransaction() {
		// Each statement would commit alone: the settings would be gone before the statement ran.
		assertThatIllegalStateException()
			.isThrownBy(() -> PlannerSettings.during(this.jdbc, Map.of("enable_hashjoin", "off"), () -> 1));
	}

}
