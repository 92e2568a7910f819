package dev.onboardingsync.reporting;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.onboardingsync.customerapi.CustomerRecord;
import dev.onboardingsync.system.PlannerSettings;
import org.postgresql.PGConnection;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Writes customers into {@code reporting.customer} by {@code customerNo}, only those that are new,
 * changed, or marked missing and seen again ({@code missing_since} cleared). A row written is due
 * for its details ({@code detail_due}). A customer given twice (the list shifted between two pages)
 * is written once, as given last. Given a pass of a full sync, the same statement notes the
 * customers as found by it ({@code reporting.customer_seen}: one row for the batch, its customers as
 * an array; issue 13).
 * <p>
 * The customers are compared before anything is written (issue 13): they are copied
 * ({@code COPY}, pgjdbc's {@code CopyManager}) into a temporary table of the session, which writes
 * no WAL, and one statement updates the rows that differ and inserts the customers that are new.
 * An unchanged customer's row is neither written nor locked, so an unchanged re-sync writes no WAL
 * for {@code reporting.customer}: {@code INSERT .. ON CONFLICT DO UPDATE .. WHERE} locks the row it
 * conflicts with even when its {@code WHERE} is false, and the lock is WAL-logged
 * (<a href="https://www.postgresql.org/docs/17/sql-insert.html#SQL-ON-CONFLICT">PostgreSQL: "Only
 * rows for which this expression returns true will be updated, although all rows will be locked
 * when the ON CONFLICT DO UPDATE action is taken"</a>). {@code COPY} text also costs a
 * fraction of building a JSON array and reading it with {@code jsonb_to_recordset} (about 0.2 s
 * against 1.5 s of the database for 100,000 customers, and most of the step thread's CPU).
 */
class CustomerUpserts {

	// The columns of reporting.customer the sync writes, each with its type in the copy and its
	// value in a CustomerRecord: the one list the statements and the rows are made from. Times are
	// copied as the platform sends them (epoch milliseconds, 0 for "never") and converted by the merge.
	private static final List<Column> COLUMNS = List.of(new Column("customer_no", "text", CustomerRecord::customerNo),
			new Column("id", "bigint", CustomerRecord::id),
			new Column("agent_customer_no", "text", CustomerRecord::agentCustomerNo),
			new Column("create_time", "time", CustomerRecord::createTime),
			new Column("update_time", "time", CustomerRecord::updateTime),
			new Column("login_time", "time", CustomerRecord::loginTime),
			new Column("first_account_activate_time", "time", CustomerRecord::firstAccountActivateTime),
			new Column("customer_group_id", "bigint", CustomerRecord::customerGroupId),
			new Column("customer_group_name", "text", CustomerRecord::customerGroupName),
			new Column("customer_type", "integer", CustomerRecord::customerType),
			new Column("email", "text", CustomerRecord::email), new Column("first_name", "text", CustomerRecord::firstName),
			new Column("last_name", "text", CustomerRecord::lastName), new Column("name", "text", CustomerRecord::name),
			new Column("id_card", "text", CustomerRecord::idCard), new Column("id_card_type", "text", CustomerRecord::idCardType),
			new Column("open_account_type", "integer", CustomerRecord::openAccountType),
			new Column("phone", "text", CustomerRecord::phone), new Column("phone_area", "text", CustomerRecord::phoneArea),
			new Column("register_source", "integer", CustomerRecord::registerSource),
			new Column("remark", "text", CustomerRecord::remark), new Column("status", "integer", CustomerRecord::status),
			new Column("tg_user_id", "text", CustomerRecord::tgUserId),
			new Column("tg_user_name", "text", CustomerRecord::tgUserName),
			new Column("third_account_no", "text", CustomerRecord::thirdAccountNo),
			new Column("third_login_source", "text", CustomerRecord::thirdLoginSource),
			new Column("third_user_id", "text", CustomerRecord::thirdUserId),
			new Column("unit_id", "bigint", CustomerRecord::unitId), new Column("unit_name", "text", CustomerRecord::unitName));

	// The session's copy of the customers given, emptied by every merge and at every commit:
	// temporary, so it writes no WAL; created once per pooled connection (a rollback drops it with
	// the transaction that created it, so every batch makes sure of it).
	static final String CREATE_PAGE_TABLE = "CREATE TEMPORARY TABLE IF NOT EXISTS customer_page (ordinal integer, "
			+ COLUMNS.stream()
				.map((column) -> column.name() + " " + (column.type().equals("time") ? "bigint" : column.type()))
				.collect(Collectors.joining(", "))
			+ ") ON COMMIT DELETE ROWS";

	static final String COPY = "COPY pg_temp.customer_page (ordinal, "
			+ COLUMNS.stream().map(Column::name).collect(Collectors.joining(", ")) + ") FROM STDIN";

	// Compares first: the rows that differ are updated, the customers not in the copy inserted; an
	// unchanged row is not touched. The count it returns is the rows it wrote.
	static final String MERGE = merge();

	// Each customer found by its key, and the merge planned for each batch, not once for all (write).
	private static final Map<String, String> MERGE_SETTINGS = Map.of("enable_hashjoin", "off", "enable_mergejoin", "off",
			"plan_cache_mode", "force_custom_plan");

	private final NamedParameterJdbcTemplate jdbc;

	private final long companyId;

	/**
	 * @param companyId the company the job syncs ({@code customer-api.company-id}): what the rows
	 * keep as {@code company_id}, whatever the records say (the seed's examples send 0)
	 */
	CustomerUpserts(NamedParameterJdbcTemplate jdbc, long companyId) {
		this.jdbc = jdbc;
		this.companyId = companyId;
	}

	/**
	 * Writes the customers that are new or changed, in the caller's transaction.
	 * @param passId the pass of a full sync that found them, which notes them, or {@code null}
	 * @return how many rows were written
	 */
	int upsert(Collection<CustomerRecord> customers, Long passId) {
		Batch batch = begin(passId);
		batch.add(customers);
		return batch.write();
	}

	/**
	 * Begins a batch of customers to write in the caller's transaction: they are copied to the
	 * database as they are {@link Batch#add added} (while later pages are still read), and compared
	 * and written at once by {@link Batch#write}, one statement for the batch.
	 * @param passId the pass of a full sync that found them: the statement notes every customer
	 * added (as often as added) in {@code reporting.customer_seen} under it; {@code null} for none
	 */
	Batch begin(Long passId) {
		this.jdbc.getJdbcTemplate().execute(CREATE_PAGE_TABLE);
		return new CopiedBatch(passId);
	}

	/** Customers to write: {@link #add} them as they come, then {@link #write} them. */
	interface Batch {

		/** Adds customers to the batch; a customer given again replaces the one given before. */
		void add(Collection<CustomerRecord> customers);

		/**
		 * Writes the customers added that are new or changed, notes them for the pass if there is
		 * one, and empties the batch.
		 * @return how many rows were written
		 */
		int write();

	}

	private final class CopiedBatch implements Batch {

		private final Long passId;

		private int added;

		private CopiedBatch(Long passId) {
			this.passId = passId;
		}

		@Override
		public void add(Collection<CustomerRecord> customers) {
			if (customers.isEmpty()) {
				return;
			}
			byte[] rows = copyText(customers, this.added);
			this.added += customers.size();
			CustomerUpserts.this.jdbc.getJdbcTemplate().execute((ConnectionCallback<Long>) (connection) -> {
				try {
					return connection.unwrap(PGConnection.class)
						.getCopyAPI()
						.copyIn(COPY, new ByteArrayInputStream(rows));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}

		@Override
		public int write() {
			if (this.added == 0) {
				return 0;
			}
			this.added = 0;
			// The merge finds each customer of the batch by its key, whatever the statistics say: the batch is
			// bounded (a call's pages), the table is not. Left to choose, PostgreSQL read the whole of
			// reporting.customer for every batch: with the table analysed, a batch of 1,600 customers into
			// 100,000 took a merge join over the primary key's every entry and a hash of every row (103 ms
			// against 27 by key, EXPLAIN ANALYZE); during a first sync, which fills the table itself, the
			// statistics lag behind it and it hashed the table (up to 187 ms a call, growing with the table:
			// BENCHMARKS.md, "Each customer found by its key"). And planned for each batch, not once for all: a
			// plan cached while the table was small (pgjdbc prepares a statement run five times, and PostgreSQL
			// then keeps a generic plan) hashed the table too (BENCHMARKS.md, "A plan cached while the table was
			// small"). For the merge alone (PlannerSettings).
			Integer written = PlannerSettings.during(CustomerUpserts.this.jdbc.getJdbcTemplate(), MERGE_SETTINGS,
					() -> CustomerUpserts.this.jdbc.queryForObject(MERGE,
							new MapSqlParameterSource("companyId", CustomerUpserts.this.companyId).addValue("passId",
									this.passId, Types.BIGINT),
							Integer.class));
			return (written != null) ? written : 0;
		}

	}

	// The customers in COPY's text format: one line each, tab-separated, \N for null
	// (https://www.postgresql.org/docs/17/sql-copy.html#SQL-COPY-TEXT-FORMAT).
	private static byte[] copyText(Collection<CustomerRecord> customers, int firstOrdinal) {
		StringBuilder text = new StringBuilder(customers.size() * 256);
		int ordinal = firstOrdinal;
		for (CustomerRecord customer : customers) {
			text.append(ordinal++);
			for (Column column : COLUMNS) {
				text.append('\t');
				Object value = column.value().apply(customer);
				if (value == null || (column.type().equals("time") && ((Long) value) == 0)) {
					text.append("\\N");
				}
				else if (value instanceof String string) {
					escape(string, text);
				}
				else {
					text.append(value);
				}
			}
			text.append('\n');
		}
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static void escape(String value, StringBuilder text) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> text.append("\\\\");
				case '\t' -> text.append("\\t");
				case '\n' -> text.append("\\n");
				case '\r' -> text.append("\\r");
				default -> text.append(c);
			}
		}
	}

	private static String merge() {
		List<String> names = COLUMNS.stream().map(Column::name).toList();
		List<String> written = new ArrayList<>(names);
		written.add(2, "company_id");
		List<String> compared = written.subList(1, written.size());
		String page = "SELECT DISTINCT ON (customer_no) customer_no, id, CAST(:companyId AS bigint) AS company_id, "
				+ COLUMNS.subList(2, COLUMNS.size())
					.stream()
					.map((column) -> column.type().equals("time")
							? "to_timestamp(" + column.name() + " / 1000.0) AS " + column.name() : column.name())
					.collect(Collectors.joining(", "))
				+ "\n  FROM pg_temp.customer_page ORDER BY customer_no, ordinal DESC";
		return "WITH page AS (" + page + "),\n"
				// The batch is emptied by the same statement (the CTEs read the rows as they were before it).
				+ "emptied AS (DELETE FROM pg_temp.customer_page),\n"
				// Whom a pass found: one row for the batch, not one per customer (issue 13).
				+ "noted AS (INSERT INTO reporting.customer_seen (pass_id, customer_nos)\n"
				+ "  SELECT CAST(:passId AS bigint), array_agg(customer_no) FROM pg_temp.customer_page\n"
				// No row for an empty batch: array_agg of no rows is NULL, which customer_seen refuses.
				+ "  HAVING CAST(:passId AS bigint) IS NOT NULL AND count(*) > 0),\n"
				+ "changed AS (UPDATE reporting.customer AS customer SET "
				+ compared.stream().map((name) -> name + " = page." + name).collect(Collectors.joining(", "))
				+ ", missing_since = NULL, detail_due = true, changed_at = now()\n"
				+ "  FROM page WHERE customer.customer_no = page.customer_no AND (("
				+ compared.stream().map((name) -> "customer." + name).collect(Collectors.joining(", "))
				+ ") IS DISTINCT FROM ("
				+ compared.stream().map((name) -> "page." + name).collect(Collectors.joining(", "))
				+ ") OR customer.missing_since IS NOT NULL)\n  RETURNING 1),\n"
				+ "added AS (INSERT INTO reporting.customer (" + String.join(", ", written) + ")\n"
				+ "  SELECT " + String.join(", ", written) + " FROM page\n"
				+ "  WHERE NOT EXISTS (SELECT 1 FROM reporting.customer existing WHERE existing.customer_no = page.customer_no)\n"
				// No ON CONFLICT: one sync of a company runs at a time (its run lock, which both jobs take), and
				// nothing else inserts customers, so the NOT EXISTS of the statement's snapshot holds. Should
				// another transaction insert the same customer_no meanwhile (the key is customer_no alone: another
				// company's sync, were the platform's numbers to repeat across companies), the call fails on the
				// key and the same command resumes it, its NOT EXISTS then seeing that row. ON CONFLICT's
				// speculative insertion cost about 14 % of the database's CPU of a first sync (psql replay of
				// 100,000 customers, issue 13).
				+ "  RETURNING 1)\n"
				+ "SELECT (SELECT count(*) FROM changed) + (SELECT count(*) FROM added)";
	}

	private record Column(String name, String type, Function<CustomerRecord, Object> value) {
	}

}
