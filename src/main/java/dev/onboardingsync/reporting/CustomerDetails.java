package dev.onboardingsync.reporting;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerDetailRequest;
import dev.onboardingsync.customerapi.CustomerNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SimplePropertySqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * Customers' details in the reporting copy (issue 12): for a customer the sync wrote (new or
 * changed), one {@code detail} call per type of {@code onboarding.sync-detail-types}, kept in
 * {@code reporting.customer_detail} whole ({@code jsonb}) with what reports filter on as columns,
 * and written only when the answer changed.
 */
class CustomerDetails {

	private static final Logger logger = LoggerFactory.getLogger(CustomerDetails.class);

	private final CustomerApiClient client;

	private final NamedParameterJdbcTemplate jdbc;

	private final List<String> types;

	/** @param types the detail types to fetch, each one of {@link CustomerDetailRequest#TYPES} */
	CustomerDetails(CustomerApiClient client, NamedParameterJdbcTemplate jdbc, List<String> types) {
		this.client = client;
		this.jdbc = jdbc;
		this.types = List.copyOf(types);
	}

	/** A customer due for its details. */
	record Due(String customerNo, Long id) {
	}

	/**
	 * A customer's details, one row per type; none when the platform no longer has the customer
	 * (the next full sync marks it missing).
	 */
	record Fetched(String customerNo, List<Row> rows) {
	}

	/**
	 * One type of a customer's details, as {@code reporting.customer_detail} keeps it.
	 * @param detail the answer's {@code data}, as JSON text
	 */
	record Row(String customerNo, String type, Integer status, Integer kycStatus, Integer kycAuditStatus,
			Integer activateStatus, OffsetDateTime activateTime, String thirdServerCode, String detail) {
	}

	/** Fetches every configured type of the customer's details, one call after the other. */
	Fetched fetch(Due customer) {
		List<Row> rows = new ArrayList<>(this.types.size());
		for (String type : this.types) {
			JsonNode data;
			try {
				data = this.client.detailData(new CustomerDetailRequest(type,
						(customer.id() != null) ? customer.id().toString() : null, customer.customerNo()));
			}
			catch (CustomerNotFoundException ex) {
				logger.info("Customer {} is gone from the platform: no details", customer.customerNo());
				return new Fetched(customer.customerNo(), List.of());
			}
			rows.add(new Row(customer.customerNo(), type, integer(data, "status"), integer(data, "kycStatus"),
					integer(data, "kycAuditStatus"), integer(data, "activateStatus"), time(data, "activateTime"),
					text(data, "thirdServerCode"), ApiJson.mapper().writeValueAsString(data)));
		}
		return new Fetched(customer.customerNo(), rows);
	}

	/**
	 * Writes the details that changed and marks their customers done, in the chunk's transaction.
	 * @return how many detail rows were written
	 */
	int write(List<Fetched> fetched) {
		int[] written = this.jdbc.batchUpdate("""
				INSERT INTO reporting.customer_detail AS d (customer_no, type, status, kyc_status, kyc_audit_status,
				    activate_status, activate_time, third_server_code, detail)
				VALUES (:customerNo, :type, :status, :kycStatus, :kycAuditStatus, :activateStatus, :activateTime,
				    :thirdServerCode, CAST(:detail AS jsonb))
				ON CONFLICT (customer_no, type) DO UPDATE SET status = EXCLUDED.status,
				    kyc_status = EXCLUDED.kyc_status, kyc_audit_status = EXCLUDED.kyc_audit_status,
				    activate_status = EXCLUDED.activate_status, activate_time = EXCLUDED.activate_time,
				    third_server_code = EXCLUDED.third_server_code, detail = EXCLUDED.detail, changed_at = now()
				WHERE d.detail IS DISTINCT FROM EXCLUDED.detail""", fetched.stream()
			.flatMap((customer) -> customer.rows().stream())
			.map(SimplePropertySqlParameterSource::new)
			.toArray(SqlParameterSource[]::new));
		this.jdbc.update("UPDATE reporting.customer SET detail_due = false WHERE customer_no = ANY(:customerNos)",
				new MapSqlParameterSource("customerNos",
						fetched.stream().map(Fetched::customerNo).toArray(String[]::new)));
		int rows = 0;
		for (int count : written) {
			rows += Math.max(count, 0);
		}
		return rows;
	}

	private static Integer integer(JsonNode data, String field) {
		JsonNode value = data.get(field);
		return (value != null && value.isNumber()) ? value.asInt() : null;
	}

	private static String text(JsonNode data, String field) {
		JsonNode value = data.get(field);
		return (value != null && !value.isNull()) ? value.asString() : null;
	}

	// Epoch milliseconds, 0 for "never".
	private static OffsetDateTime time(JsonNode data, String field) {
		JsonNode value = data.get(field);
		return (value != null && value.isNumber() && value.asLong() != 0)
				? OffsetDateTime.ofInstant(Instant.ofEpochMilli(value.asLong()), ZoneOffset.UTC) : null;
	}

}
