package dev.onboardingsync.reporting;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.onboardingsync.customerapi.CustomerRecord;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * Upserts pages of customers into {@code reporting.customer} by {@code customerNo}, writing a row
 * only when something in it changed. A customer seen on two pages of one chunk (the list shifted)
 * is written once.
 */
class CustomerUpsertWriter implements ItemWriter<List<CustomerRecord>>, StepExecutionListener {

	static final String SEEN = "customers.seen";

	static final String CHANGED = "customers.changed";

	private static final String UPSERT = """
			INSERT INTO reporting.customer (customer_no, id, company_id, agent_customer_no, create_time, update_time,
			    login_time, first_account_activate_time, customer_group_id, customer_group_name, customer_type, email,
			    first_name, last_name, name, id_card, id_card_type, open_account_type, phone, phone_area,
			    register_source, remark, status, tg_user_id, tg_user_name, third_account_no, third_login_source,
			    third_user_id, unit_id, unit_name)
			VALUES (:customerNo, :id, :companyId, :agentCustomerNo, :createTime, :updateTime, :loginTime,
			    :firstAccountActivateTime, :customerGroupId, :customerGroupName, :customerType, :email, :firstName,
			    :lastName, :name, :idCard, :idCardType, :openAccountType, :phone, :phoneArea, :registerSource, :remark,
			    :status, :tgUserId, :tgUserName, :thirdAccountNo, :thirdLoginSource, :thirdUserId, :unitId, :unitName)
			ON CONFLICT (customer_no) DO UPDATE SET id = EXCLUDED.id, company_id = EXCLUDED.company_id,
			    agent_customer_no = EXCLUDED.agent_customer_no, create_time = EXCLUDED.create_time,
			    update_time = EXCLUDED.update_time, login_time = EXCLUDED.login_time,
			    first_account_activate_time = EXCLUDED.first_account_activate_time,
			    customer_group_id = EXCLUDED.customer_group_id, customer_group_name = EXCLUDED.customer_group_name,
			    customer_type = EXCLUDED.customer_type, email = EXCLUDED.email, first_name = EXCLUDED.first_name,
			    last_name = EXCLUDED.last_name, name = EXCLUDED.name, id_card = EXCLUDED.id_card,
			    id_card_type = EXCLUDED.id_card_type, open_account_type = EXCLUDED.open_account_type,
			    phone = EXCLUDED.phone, phone_area = EXCLUDED.phone_area, register_source = EXCLUDED.register_source,
			    remark = EXCLUDED.remark, status = EXCLUDED.status, tg_user_id = EXCLUDED.tg_user_id,
			    tg_user_name = EXCLUDED.tg_user_name, third_account_no = EXCLUDED.third_account_no,
			    third_login_source = EXCLUDED.third_login_source, third_user_id = EXCLUDED.third_user_id,
			    unit_id = EXCLUDED.unit_id, unit_name = EXCLUDED.unit_name, changed_at = now()
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
			       EXCLUDED.unit_name)""";

	private final NamedParameterJdbcTemplate jdbc;

	private final AtomicLong seen = new AtomicLong();

	private final AtomicLong changed = new AtomicLong();

	CustomerUpsertWriter(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void write(Chunk<? extends List<CustomerRecord>> chunk) {
		Map<String, CustomerRecord> byCustomerNo = new LinkedHashMap<>();
		chunk.getItems().forEach((page) -> page.forEach((customer) -> byCustomerNo.put(customer.customerNo(), customer)));
		int[] counts = this.jdbc.batchUpdate(UPSERT,
				byCustomerNo.values().stream().map(CustomerUpsertWriter::parameters).toArray(SqlParameterSource[]::new));
		this.seen.addAndGet(byCustomerNo.size());
		for (int count : counts) {
			this.changed.addAndGet(Math.max(count, 0));
		}
	}

	/** Leaves how many customers were seen and how many written (new or changed) in the step's context. */
	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		ExecutionContext context = stepExecution.getExecutionContext();
		context.putLong(SEEN, context.getLong(SEEN, 0) + this.seen.get());
		context.putLong(CHANGED, context.getLong(CHANGED, 0) + this.changed.get());
		return stepExecution.getExitStatus();
	}

	private static SqlParameterSource parameters(CustomerRecord customer) {
		return new MapSqlParameterSource().addValue("customerNo", customer.customerNo())
			.addValue("id", customer.id())
			.addValue("companyId", customer.companyId())
			.addValue("agentCustomerNo", customer.agentCustomerNo())
			.addValue("createTime", time(customer.createTime()))
			.addValue("updateTime", time(customer.updateTime()))
			.addValue("loginTime", time(customer.loginTime()))
			.addValue("firstAccountActivateTime", time(customer.firstAccountActivateTime()))
			.addValue("customerGroupId", customer.customerGroupId())
			.addValue("customerGroupName", customer.customerGroupName())
			.addValue("customerType", customer.customerType())
			.addValue("email", customer.email())
			.addValue("firstName", customer.firstName())
			.addValue("lastName", customer.lastName())
			.addValue("name", customer.name())
			.addValue("idCard", customer.idCard())
			.addValue("idCardType", customer.idCardType())
			.addValue("openAccountType", customer.openAccountType())
			.addValue("phone", customer.phone())
			.addValue("phoneArea", customer.phoneArea())
			.addValue("registerSource", customer.registerSource())
			.addValue("remark", customer.remark())
			.addValue("status", customer.status())
			.addValue("tgUserId", customer.tgUserId())
			.addValue("tgUserName", customer.tgUserName())
			.addValue("thirdAccountNo", customer.thirdAccountNo())
			.addValue("thirdLoginSource", customer.thirdLoginSource())
			.addValue("thirdUserId", customer.thirdUserId())
			.addValue("unitId", customer.unitId())
			.addValue("unitName", customer.unitName());
	}

	// The platform sends epoch milliseconds, 0 for "never".
	private static OffsetDateTime time(Long epochMillis) {
		return (epochMillis == null || epochMillis == 0) ? null
				: OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
	}

}
