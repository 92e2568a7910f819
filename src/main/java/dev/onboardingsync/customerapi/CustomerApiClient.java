package dev.onboardingsync.customerapi;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import dev.onboardingsync.customerapi.CustomerApiCalls.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's Customer API over HTTP, as CUSTOMER-API.md describes it. Every call carries a new
 * {@code trace}, the {@code companyId} and {@code version} headers, and the {@code token} where
 * the endpoint needs it. A call either returns the decoded {@code data} of a {@code code "0"}
 * answer or throws one of the {@link CustomerApiException} types, which say whether the request
 * was refused for good, may pass, or may have been applied. Thread-safe; the HTTP connection pool
 * holds {@link CustomerApiProperties#maxConcurrency()} connections.
 *
 * <p>
 * This class says what each endpoint's {@code data} holds. How a call goes (budget, timing,
 * classification, logs) is in {@code CustomerApiCalls}, the wire in {@code CustomerApiTransport},
 * the timers in {@code CustomerApiMetrics} (issue 11).
 */
public final class CustomerApiClient implements AutoCloseable {

	private final CustomerApiMetrics metrics;

	private final CustomerApiCalls calls;

	private final JsonMapper json = ApiJson.mapper();

	private CustomerApiClient(CustomerApiProperties properties, MeterRegistry meters) {
		this.metrics = new CustomerApiMetrics(meters);
		this.calls = new CustomerApiCalls(properties, this.metrics);
	}

	/**
	 * Requests sent so far by endpoint short name ({@code create}, {@code check}...), every outcome
	 * summed: the counts of {@code customer.api.requests} in the client's registry.
	 */
	public Map<String, Long> callCounts() {
		return this.metrics.callCounts();
	}

	/** A client whose metrics stay in memory. */
	public static CustomerApiClient create(CustomerApiProperties properties) {
		return create(properties, new SimpleMeterRegistry());
	}

	/**
	 * A client that records {@code customer.api.requests} (a timer per endpoint and outcome) and
	 * {@code customer.api.rate.limit.wait} in the registry.
	 */
	public static CustomerApiClient create(CustomerApiProperties properties, MeterRegistry meters) {
		return new CustomerApiClient(properties, meters);
	}

	/**
	 * Whether a customer with that email, phone or customer number exists.
	 * @return whether it does: the platform's {@code data} is {@code 1}/{@code 0} or {@code true}/{@code false},
	 * as a number, a boolean or a string
	 */
	public boolean checkCustomerExist(CheckCustomerExistRequest request) {
		Reply reply = this.calls.call(Endpoint.CHECK_CUSTOMER_EXIST, request);
		JsonNode data = reply.data();
		if (data != null && data.isNumber()) {
			return data.asInt() != 0;
		}
		if (data != null && data.isBoolean()) {
			return data.asBoolean();
		}
		if (data != null && data.isString()) {
			switch (data.asString().trim().toLowerCase()) {
				case "1", "true" -> {
					return true;
				}
				case "0", "false" -> {
					return false;
				}
				default -> {
				}
			}
		}
		throw unexpected(Endpoint.CHECK_CUSTOMER_EXIST, reply.trace(), "data is neither 1/0 nor true/false", null);
	}

	/**
	 * Creates the customer and opens the account.
	 * @return the new {@code customerNo}
	 * @throws CustomerAlreadyExistsException if the phone, email or {@code thirdServerCode} is taken
	 * @throws AmbiguousResultException if the create may or may not have been applied
	 */
	public String createAccount(CreateAccountRequest request) {
		Reply reply = this.calls.call(Endpoint.CREATE_ACCOUNT, request);
		JsonNode data = reply.data();
		if (data != null && (data.isString() || data.isNumber()) && !data.asString().isBlank()) {
			return data.asString().trim();
		}
		throw unexpected(Endpoint.CREATE_ACCOUNT, reply.trace(), "success without a customerNo", null);
	}

	/** One page of the company's customers, newest first, with the total counted at query time. */
	public CustomerPage page(CustomerPageRequest request) {
		Reply reply = this.calls.call(Endpoint.PAGE, request);
		CustomerPage page = decode(reply, CustomerPage.class);
		if (page == null) {
			throw unexpected(Endpoint.PAGE, reply.trace(), "success without a page", null);
		}
		return page;
	}

	/** @throws CustomerNotFoundException if no such customer exists */
	public CustomerDetail detail(CustomerDetailRequest request) {
		Reply reply = detailReply(request);
		return decode(reply, CustomerDetail.class);
	}

	/**
	 * The {@code data} of {@code detail} as the platform answered it, every field kept, for the
	 * reporting copy of a customer's details (issue 12).
	 * @return a JSON object
	 * @throws CustomerNotFoundException if no such customer exists
	 */
	public JsonNode detailData(CustomerDetailRequest request) {
		return detailReply(request).data();
	}

	private Reply detailReply(CustomerDetailRequest request) {
		Reply reply = this.calls.call(Endpoint.DETAIL, request);
		if (reply.data() == null || !reply.data().isObject()) {
			throw unexpected(Endpoint.DETAIL, reply.trace(), "success without a detail", null);
		}
		return reply;
	}

	/** The customer groups; the seed shows one object, the contract assumes a list: both are accepted. */
	public List<CustomerGroup> groupList(CustomerGroupListRequest request) {
		Reply reply = this.calls.call(Endpoint.GROUP_LIST, request);
		JsonNode data = reply.data();
		if (data == null || data.isNull()) {
			return List.of();
		}
		if (data.isArray()) {
			return List.of(decode(reply, CustomerGroup[].class));
		}
		return List.of(decode(reply, CustomerGroup.class));
	}

	/** Closes the HTTP connection pool. */
	@Override
	public void close() throws IOException {
		this.calls.close();
	}

	private <T> T decode(Reply reply, Class<T> type) {
		try {
			return this.json.treeToValue(reply.data(), type);
		}
		catch (JacksonException ex) {
			throw unexpected(reply.endpoint(), reply.trace(), "data does not match " + type.getSimpleName(), ex);
		}
	}

	private static CustomerApiException unexpected(Endpoint endpoint, String trace, String what, Throwable cause) {
		return FailureClassifier.unexpected(endpoint, trace, what, cause);
	}

}
