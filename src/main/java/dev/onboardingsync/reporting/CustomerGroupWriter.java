package dev.onboardingsync.reporting;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.onboardingsync.customerapi.CustomerGroup;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SimplePropertySqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * Upserts customer groups into {@code reporting.customer_group} by trade type and id, writing only
 * what changed; a group the platform gives no trade type is kept under trade type 0.
 */
class CustomerGroupWriter implements ItemWriter<List<CustomerGroup>> {

	private final NamedParameterJdbcTemplate jdbc;

	CustomerGroupWriter(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void write(Chunk<? extends List<CustomerGroup>> chunk) {
		this.jdbc.batchUpdate("""
				INSERT INTO reporting.customer_group (id, name, open_account_type, type, trade_type, assets)
				VALUES (:id, :name, :openAccountType, :type, COALESCE(:tradeType, 0), :assets)
				ON CONFLICT (trade_type, id) DO UPDATE SET name = EXCLUDED.name,
				    open_account_type = EXCLUDED.open_account_type, type = EXCLUDED.type, assets = EXCLUDED.assets,
				    changed_at = now()
				WHERE (customer_group.name, customer_group.open_account_type, customer_group.type,
				       customer_group.assets)
				  IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.open_account_type, EXCLUDED.type, EXCLUDED.assets)""",
				chunk.getItems()
					.stream()
					.flatMap(List::stream)
					// One row per trade type and id: ON CONFLICT cannot update a row twice in one statement.
					.collect(Collectors.toMap((group) -> List.of(String.valueOf(group.tradeType()), group.id()),
							Function.identity(), (first, second) -> second, LinkedHashMap::new))
					.values()
					.stream()
					.map(SimplePropertySqlParameterSource::new)
					.toArray(SqlParameterSource[]::new));
	}

}
