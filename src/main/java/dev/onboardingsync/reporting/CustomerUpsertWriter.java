package dev.onboardingsync.reporting;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicLong;

import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.customerapi.CustomerRecord;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Upserts pages of customers into {@code reporting.customer} by {@code customerNo}, writing a row
 * only when something in it changed. A customer seen on two pages of one chunk (the list shifted)
 * is written once.
 */
class CustomerUpsertWriter implements ItemWriter<List<CustomerRecord>>, StepExecutionListener {

	static final String SEEN = "customers.seen";

	static final String CHANGED = "customers.changed";

	// The columns of reporting.customer the sync writes, each with its type and its value in a
	// CustomerRecord: the one list the statement and the rows are made from.
	private static final List<Column> COLUMNS = List.of(new Column("customer_no", "text", CustomerRecord::customerNo),
			new Column("id", "bigint", CustomerRecord::id), new Column("company_id", "bigint", CustomerRecord::companyId),
			new Column("agent_customer_no", "text", CustomerRecord::agentCustomerNo),
			new Column("create_time", "timestamptz", (customer) -> time(customer.createTime())),
			new Column("update_time", "timestamptz", (customer) -> time(customer.updateTime())),
			new Column("login_time", "timestamptz", (customer) -> time(customer.loginTime())),
			new Column("first_account_activate_time", "timestamptz", (customer) -> time(customer.firstAccountActivateTime())),
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

	// One statement a chunk, the customers as one JSON array: the rows it returns are the rows it wrote
	// (new, or changed: an unchanged customer is not rewritten), however the driver reports batch
	// counts (with reWriteBatchedInserts=true, "success, no count").
	static final String UPSERT = upsert();

		private final NamedParameterJdbcTemplate jdbc;

	private final AtomicLong seen = new AtomicLong();

	private final AtomicLong changed = new AtomicLong();

	CustomerUpsertWriter(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void write(Chunk<? extends List<CustomerRecord>> chunk) {
		Map<String, Map<String, Object>> byCustomerNo = new LinkedHashMap<>();
		chunk.getItems()
			.forEach((page) -> page.forEach((customer) -> byCustomerNo.put(customer.customerNo(), row(customer))));
		int written = this.jdbc.queryForList(UPSERT,
				new MapSqlParameterSource("customers", ApiJson.mapper().writeValueAsString(byCustomerNo.values())),
				String.class)
			.size();
		this.seen.addAndGet(byCustomerNo.size());
		this.changed.addAndGet(written);
	}

	/** Leaves how many customers were seen and how many written (new or changed) in the step's context. */
	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		ExecutionContext context = stepExecution.getExecutionContext();
		context.putLong(SEEN, context.getLong(SEEN, 0) + this.seen.get());
		context.putLong(CHANGED, context.getLong(CHANGED, 0) + this.changed.get());
		return stepExecution.getExitStatus();
	}

	// The customer as a row of reporting.customer: column names to values.
	private static Map<String, Object> row(CustomerRecord customer) {
		Map<String, Object> row = new LinkedHashMap<>();
		COLUMNS.forEach((column) -> row.put(column.name(), column.value().apply(customer)));
		return row;
	}

	private static String upsert() {
		List<String> names = COLUMNS.stream().map(Column::name).toList();
		List<String> updated = names.subList(1, names.size());
		return "INSERT INTO reporting.customer AS customer (" + String.join(", ", names) + ")\n"
				+ "SELECT " + String.join(", ", names) + "\n"
				+ "FROM jsonb_to_recordset(CAST(:customers AS jsonb)) AS c("
				+ COLUMNS.stream().map((column) -> column.name() + " " + column.type()).collect(Collectors.joining(", "))
				+ ")\n"
				+ "ON CONFLICT (customer_no) DO UPDATE SET "
				+ updated.stream().map((name) -> name + " = EXCLUDED." + name).collect(Collectors.joining(", "))
				+ ", changed_at = now()\n"
				+ "WHERE (" + updated.stream().map((name) -> "customer." + name).collect(Collectors.joining(", "))
				+ ") IS DISTINCT FROM ("
				+ updated.stream().map((name) -> "EXCLUDED." + name).collect(Collectors.joining(", ")) + ")\n"
				+ "RETURNING customer_no";
	}

	private record Column(String name, String type, Function<CustomerRecord, Object> value) {
	}

	// The platform sends epoch milliseconds, 0 for "never"; PostgreSQL reads the ISO 8601 text.
	private static String time(Long epochMillis) {
		return (epochMillis == null || epochMillis == 0) ? null : Instant.ofEpochMilli(epochMillis).toString();
	}

}
