package dev.onboardingsync.reporting;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.customerapi.CustomerRecord;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Upserts customers into {@code reporting.customer} by {@code customerNo}, writing a row only when
 * something in it changed, or when it was marked missing and is seen again ({@code missing_since}
 * cleared). A row written is due for its details ({@code detail_due}). A customer given twice (the
 * list shifted between two pages) is written once.
 */
class CustomerUpserts {

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
	 * @return how many rows were written
	 */
	int upsert(Collection<CustomerRecord> customers) {
		Map<String, Map<String, Object>> byCustomerNo = new LinkedHashMap<>();
		customers.forEach((customer) -> byCustomerNo.put(customer.customerNo(), row(customer)));
		if (byCustomerNo.isEmpty()) {
			return 0;
		}
		return this.jdbc.queryForList(UPSERT,
				new MapSqlParameterSource("customers", ApiJson.mapper().writeValueAsString(byCustomerNo.values())),
				String.class)
			.size();
	}

	// The customer as a row of reporting.customer: column names to values.
	private Map<String, Object> row(CustomerRecord customer) {
		Map<String, Object> row = new LinkedHashMap<>();
		COLUMNS.forEach((column) -> row.put(column.name(), column.value().apply(customer)));
		row.put("company_id", this.companyId);
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
				+ ", missing_since = NULL, detail_due = true, changed_at = now()\n"
				+ "WHERE (" + updated.stream().map((name) -> "customer." + name).collect(Collectors.joining(", "))
				+ ") IS DISTINCT FROM ("
				+ updated.stream().map((name) -> "EXCLUDED." + name).collect(Collectors.joining(", "))
				+ ") OR customer.missing_since IS NOT NULL\n"
				+ "RETURNING customer_no";
	}

	private record Column(String name, String type, Function<CustomerRecord, Object> value) {
	}

	// The platform sends epoch milliseconds, 0 for "never"; PostgreSQL reads the ISO 8601 text.
	private static String time(Long epochMillis) {
		return (epochMillis == null || epochMillis == 0) ? null : Instant.ofEpochMilli(epochMillis).toString();
	}

}
