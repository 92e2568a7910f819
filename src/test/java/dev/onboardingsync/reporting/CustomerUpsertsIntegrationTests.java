package dev.onboardingsync.reporting;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import dev.onboardingsync.customerapi.CustomerRecord;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = "onboarding.command.enabled=false")
@ContextConfiguration(initializers = { TestDatabase.Initializer.class, TestSandbox.Initializer.class })
class CustomerUpsertsIntegrationTests {

	private static final int BATCH = 500;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private NamedParameterJdbcTemplate named;

	@Autowired
	private TransactionTemplate transaction;

	@BeforeEach
	void cleanSlate() {
		TestDatabase.truncate(this.jdbc);
	}

	// A first sync fills reporting.customer itself. A plan cached while the table was small (pgjdbc
	// prepares a statement run five times, and PostgreSQL then keeps a generic plan) hashed all of the
	// table for every batch, a cost growing with the table: each batch's merge is planned for the table
	// as it is (pg_prepared_statements counts the plans of the session's prepared statements).
	@Test
	void eachBatchIsPlannedForTheTableAsItIsNeverByACachedGenericPlan() {
		// given
		CustomerUpserts upserts = new CustomerUpserts(this.named, 1);

		// when: 15 batches of 500 new customers found by a full sync's pass, on one connection, as a call's
		// transaction runs them, in a session that would otherwise always take a generic plan
		this.jdbc.update("INSERT INTO reporting.customer_sync_pass (pass_id, company_id) VALUES (1, '1')");
		List<String> settingsAfter = new ArrayList<>();
		long[] plans = this.transaction.execute((status) -> {
			this.jdbc.execute("SET LOCAL plan_cache_mode = force_generic_plan");
			long[] before = mergePlans();
			for (int batch = 0; batch < 15; batch++) {
				upserts.upsert(customers(batch * BATCH, BATCH), 1L);
			}
			long[] after = mergePlans();
			settingsAfter.add(this.jdbc.queryForObject("SHOW plan_cache_mode", String.class));
			settingsAfter.add(this.jdbc.queryForObject("SHOW enable_hashjoin", String.class));
			return new long[] { after[0] - before[0], after[1] - before[1] };
		});

		// then: every customer written, by a merge planned anew each time it ran prepared
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM reporting.customer", Long.class)).isEqualTo(15 * BATCH);
		assertThat(plans[0]).as("generic plans").isZero();
		assertThat(plans[1]).as("custom plans").isPositive();
		// and the transaction's own settings as they were after each merge: the call's other statements
		// are planned as before
		assertThat(settingsAfter).containsExactly("force_generic_plan", "on");
	}

	// The batch is bounded, the table is not: left to choose, PostgreSQL read the whole table for every
	// batch (a merge join over every entry of the primary key, or a hash of every row), whether its
	// statistics were right or lagged behind the table. Each customer of the batch is found by its key:
	// the rows read from reporting.customer (pg_stat_xact_user_tables) are at most a probe per customer
	// to update and one to insert, whatever the statistics say.
	@Test
	void aBatchFindsItsCustomersByKeyWithStatisticsOfTheTableAsItIs() {
		// given: 30,000 customers, the table's statistics up to date
		fill(30_000);
		this.jdbc.execute("VACUUM ANALYZE reporting.customer");

		// then
		assertThat(rowsReadMerging(changedAndNew(30_000, 1_600))).isLessThanOrEqualTo(2 * 1_600);
	}

	@Test
	void aBatchFindsItsCustomersByKeyWithStatisticsOfTheTableWhenItWasSmall() {
		// given: statistics made at 1,600 customers, the table grown to 30,000 since (a first sync fills it
		// faster than autovacuum analyses it)
		fill(1_600);
		this.jdbc.execute("VACUUM ANALYZE reporting.customer");
		fill(30_000);

		// then
		assertThat(rowsReadMerging(changedAndNew(30_000, 1_600))).isLessThanOrEqualTo(2 * 1_600);
	}

	// The table's first customers, written by batches of 1,600.
	private void fill(int customers) {
		CustomerUpserts upserts = new CustomerUpserts(this.named, 1);
		long count = this.jdbc.queryForObject("SELECT count(*) FROM reporting.customer", Long.class);
		for (long first = count; first < customers; first += 1_600) {
			long from = first;
			this.transaction.executeWithoutResult(
					(status) -> upserts.upsert(customers(from, (int) Math.min(1_600, customers - from)), null));
		}
	}

	// Half the batch customers of the table, changed; half new.
	private static List<CustomerRecord> changedAndNew(int tableSize, int count) {
		List<CustomerRecord> batch = new ArrayList<>();
		for (CustomerRecord customer : customers(tableSize / 2, count / 2)) {
			batch.add(new CustomerRecord(customer.id(), customer.customerNo(), customer.companyId(), "changed",
					customer.createTime(), customer.updateTime() + 1, null, null, 1L, null, 1, null, null, null, null, null,
					null, 1, customer.phone(), "+86", 1, null, 1, null, null, null, null, null, null, null));
		}
		batch.addAll(customers(tableSize, count / 2));
		return batch;
	}

	// Merges the batch as one call does, the copy's own statistics made (the planner told it holds
	// the whole batch), and counts the rows it read from reporting.customer.
	private long rowsReadMerging(List<CustomerRecord> batch) {
		CustomerUpserts upserts = new CustomerUpserts(this.named, 1);
		long[] result = this.transaction.execute((status) -> {
			CustomerUpserts.Batch merge = upserts.begin(null);
			merge.add(batch);
			this.jdbc.execute("ANALYZE pg_temp.customer_page");
			long before = rowsRead();
			int written = merge.write();
			return new long[] { written, rowsRead() - before };
		});
		assertThat(result[0]).as("rows written").isEqualTo(batch.size());
		return result[1];
	}

	private long rowsRead() {
		return this.jdbc.queryForObject("""
				SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables
				WHERE relid = 'reporting.customer'::regclass""", Long.class);
	}

	// The generic and the custom plans that the session's prepared merge has run so far.
	private long[] mergePlans() {
		return this.jdbc.queryForObject("""
				SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0) FROM pg_prepared_statements
				WHERE statement LIKE 'WITH page AS%'""", (rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) });
	}

	private static List<CustomerRecord> customers(long first, int count) {
		return LongStream.range(first, first + count)
			.mapToObj((id) -> new CustomerRecord(id, "c" + id, 1L, null, 1_000 * id, 1_000 * id, null, null, 1L, null, 1,
					null, null, null, null, null, null, 1, "1390000" + id, "+86", 1, null, 1, null, null, null, null,
					null, null, null))
			.toList();
	}

}
