package dev.onboardingsync.reporting;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

	// One statement a chunk, the customers as one JSON array: the rows it returns are the rows it wrote,
	// however the driver reports batch counts (with reWriteBatchedInserts=true, "success, no count").
	private static final String UPSERT = """
			INSERT INTO reporting.customer AS customer (customer_no, id, company_id, agent_customer_no, create_time,
			    update_time, login_time, first_account_activate_time, customer_group_id, customer_group_name,
			    customer_type, email, first_name, last_name, name, id_card, id_card_type, open_account_type, phone, phone_area,
			    register_source, remark, status, tg_user_id, tg_user_name, third_account_no, third_login_source,
			    third_user_id, unit_id, unit_name)
			SELECT customer_no, id, company_id, agent_customer_no, create_time, update_time, login_time,
			    first_account_activate_time, customer_group_id, customer_group_name, customer_type, email,
			    first_name, last_name, name, id_card, id_card_type, open_account_type, phone, phone_area,
			    register_source, remark, status, tg_user_id, tg_user_name, third_account_no, third_login_source,
			    third_user_id, unit_id, unit_name
			FROM jsonb_to_recordset(CAST(:customers AS jsonb)) AS c(customer_no text, id bigint, company_id bigint,
			    agent_customer_no text, create_time timestamptz, update_time timestamptz, login_time timestamptz,
			    first_account_activate_time timestamptz,
			    customer_group_id bigint, customer_group_name text, customer_type integer, email text,
			    first_name text, last_name text, name text, id_card text, id_card_type text,
			    open_account_type integer, phone text, phone_area text, register_source integer, remark text,
			    status integer, tg_user_id text, tg_user_name text, third_account_no text, third_login_source text,
			    third_user_id text, unit_id bigint, unit_name text)
			ON CONFLICT (customer_no) DO UPDATE SET
			    id = EXCLUDED.id, company_id = EXCLUDED.company_id, agent_customer_no = EXCLUDED.agent_customer_no,
			    create_time = EXCLUDED.create_time, update_time = EXCLUDED.update_time,
			    login_time = EXCLUDED.login_time,
			    first_account_activate_time = EXCLUDED.first_account_activate_time,
			    customer_group_id = EXCLUDED.customer_group_id, customer_group_name = EXCLUDED.customer_group_name,
			    customer_type = EXCLUDED.customer_type, email = EXCLUDED.email, first_name = EXCLUDED.first_name,
			    last_name = EXCLUDED.last_name, name = EXCLUDED.name, id_card = EXCLUDED.id_card,
			    id_card_type = EXCLUDED.id_card_type, open_account_type = EXCLUDED.open_account_type,
			    phone = EXCLUDED.phone, phone_area = EXCLUDED.phone_area,
			    register_source = EXCLUDED.register_source, remark = EXCLUDED.remark, status = EXCLUDED.status,
			    tg_user_id = EXCLUDED.tg_user_id, tg_user_name = EXCLUDED.tg_user_name,
			    third_account_no = EXCLUDED.third_account_no, third_login_source = EXCLUDED.third_login_source,
			    third_user_id = EXCLUDED.third_user_id, unit_id = EXCLUDED.unit_id, unit_name = EXCLUDED.unit_name,
			    changed_at = now()
			WHERE (customer.id, customer.company_id, customer.agent_customer_no, customer.create_time,
			       customer.update_time, customer.login_time, customer.first_account_activate_time,
			       customer.customer_group_id, customer.customer_group_name, customer.customer_type, customer.email,
			       customer.first_name, customer.last_name, customer.name, customer.id_card, customer.id_card_type,
			       customer.open_account_type, customer.phone, customer.phone_area, customer.register_source,
			       customer.remark, customer.status, customer.tg_user_id, customer.tg_user_name,
			       customer.third_account_no, customer.third_login_source, customer.third_user_id, customer.unit_id,
			       customer.unit_name)
			  IS DISTINCT FROM
			      (EXCLUDED.id, EXCLUDED.company_id, EXCLUDED.agent_customer_no, EXCLUDED.create_time,
			       EXCLUDED.update_time, EXCLUDED.login_time, EXCLUDED.first_account_activate_time,
			       EXCLUDED.customer_group_id, EXCLUDED.customer_group_name, EXCLUDED.customer_type, EXCLUDED.email,
			       EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.name, EXCLUDED.id_card, EXCLUDED.id_card_type,
			       EXCLUDED.open_account_type, EXCLUDED.phone, EXCLUDED.phone_area, EXCLUDED.register_source,
			       EXCLUDED.remark, EXCLUDED.status, EXCLUDED.tg_user_id, EXCLUDED.tg_user_name,
			       EXCLUDED.third_account_no, EXCLUDED.third_login_source, EXCLUDED.third_user_id, EXCLUDED.unit_id,
			       EXCLUDED.unit_name)
			RETURNING customer_no""";

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
		row.put("customer_no", customer.customerNo());
		row.put("id", customer.id());
		row.put("company_id", customer.companyId());
		row.put("agent_customer_no", customer.agentCustomerNo());
		row.put("create_time", time(customer.createTime()));
		row.put("update_time", time(customer.updateTime()));
		row.put("login_time", time(customer.loginTime()));
		row.put("first_account_activate_time", time(customer.firstAccountActivateTime()));
		row.put("customer_group_id", customer.customerGroupId());
		row.put("customer_group_name", customer.customerGroupName());
		row.put("customer_type", customer.customerType());
		row.put("email", customer.email());
		row.put("first_name", customer.firstName());
		row.put("last_name", customer.lastName());
		row.put("name", customer.name());
		row.put("id_card", customer.idCard());
		row.put("id_card_type", customer.idCardType());
		row.put("open_account_type", customer.openAccountType());
		row.put("phone", customer.phone());
		row.put("phone_area", customer.phoneArea());
		row.put("register_source", customer.registerSource());
		row.put("remark", customer.remark());
		row.put("status", customer.status());
		row.put("tg_user_id", customer.tgUserId());
		row.put("tg_user_name", customer.tgUserName());
		row.put("third_account_no", customer.thirdAccountNo());
		row.put("third_login_source", customer.thirdLoginSource());
		row.put("third_user_id", customer.thirdUserId());
		row.put("unit_id", customer.unitId());
		row.put("unit_name", customer.unitName());
		return row;
	}

	// The platform sends epoch milliseconds, 0 for "never"; PostgreSQL reads the ISO 8601 text.
	private static String time(Long epochMillis) {
		return (epochMillis == null || epochMillis == 0) ? null : Instant.ofEpochMilli(epochMillis).toString();
	}

}
