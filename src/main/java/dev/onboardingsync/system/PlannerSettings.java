package dev.onboardingsync.system;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs one statement under PostgreSQL planner settings of its own, within the caller's transaction: a
 * batch bounded in size is matched to a table that is not, key by key, whatever the table's
 * statistics say (issue 13). Left to choose, PostgreSQL planned from statistics that lagged behind the
 * tables the job itself was filling, and read a whole table, or a whole run, per batch: the sync's
 * merge and the onboard step's settlements (BENCHMARKS.md, "Each customer found by its key" and "A
 * settlement per key").
 * <p>
 * The settings are PostgreSQL's "Planner Method Configuration" and {@code plan_cache_mode}
 * (https://www.postgresql.org/docs/current/runtime-config-query.html). They are set with
 * {@code set_config(name, value, true)}, as {@code SET LOCAL}, and set back after the statement to
 * what the transaction had (read before they are set), for the transaction's other statements. A
 * statement that throws leaves them set until its transaction ends: its callers let the exception roll
 * the transaction back.
 */
public final class PlannerSettings {

	private PlannerSettings() {
	}

	/**
	 * Runs the statement with the settings, then sets them back.
	 * @param jdbc on the caller's transaction's connection
	 * @param settings the planner settings' names and values, e.g. {@code enable_hashjoin} and {@code off}
	 * @param statement the statement, run on the transaction's connection through {@code jdbc}
	 * @return what the statement returned
	 * @throws IllegalStateException if no transaction is active on this thread
	 */
	public static <T> T during(JdbcTemplate jdbc, Map<String, String> settings, Supplier<T> statement) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			// Outside a transaction each statement commits alone: the settings would end before the statement ran.
			throw new IllegalStateException("Planner settings apply within a transaction: none is active");
		}
		List<String> names = List.copyOf(settings.keySet());
		// In the statement's order: each set_config's name and value, then each current_setting's name.
		List<Object> set = new ArrayList<>();
		names.forEach((name) -> {
			set.add(name);
			set.add(settings.get(name));
		});
		set.addAll(names);
		// One round trip: the subquery reads the values the transaction has before the set_config calls change them.
		List<String> previous = jdbc.queryForObject("SELECT previous.*, "
				+ String.join(", ", Collections.nCopies(names.size(), "set_config(?, ?, true)"))
				+ " FROM (SELECT " + String.join(", ", Collections.nCopies(names.size(), "current_setting(?)"))
				+ " OFFSET 0) AS previous", (rs, row) -> {
					List<String> values = new ArrayList<>();
					for (int i = 1; i <= names.size(); i++) {
						values.add(rs.getString(i));
					}
					return values;
				}, set.toArray());
		T result = statement.get();
		List<Object> back = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			back.add(names.get(i));
			back.add(previous.get(i));
		}
		jdbc.queryForList("SELECT " + String.join(", ", Collections.nCopies(names.size(), "set_config(?, ?, true)")),
				back.toArray());
		return result;
	}

}
