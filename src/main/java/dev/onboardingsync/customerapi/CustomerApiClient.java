package dev.onboardingsync.customerapi;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.onboardingsync.customerapi.CustomerApiTransport.Answer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.client.ResourceAccessException;

/**
 * The platform's Customer API over HTTP, as CUSTOMER-API.md describes it. Every call carries a new
 * {@code trace}, the {@code companyId} and {@code version} headers, and the {@code token} where
 * the endpoint needs it. A call either returns the decoded {@code data} of a {@code code "0"}
 * answer or throws one of the {@link CustomerApiException} types, which say whether the request
 * was refused for good, may pass, or may have been applied. Thread-safe; the HTTP connection pool
 * holds {@link CustomerApiProperties#maxConcurrency()} connections.
 */
public final class CustomerApiClient implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(CustomerApiClient.class);

	private final CustomerApiTransport transport;

	private final RequestRateLimiter rateLimiter;

	private final FailureClassifier classifier;

	private final JsonMapper json = ApiJson.mapper();

	private final CustomerApiMetrics metrics;

	private CustomerApiClient(CustomerApiProperties properties, MeterRegistry meters) {
		this.transport = new CustomerApiTransport(properties);
		this.rateLimiter = new RequestRateLimiter(properties.maxRequestsPerSecond());
		this.classifier = new FailureClassifier(properties.errorCodes(), properties.baseUrl());
		this.metrics = new CustomerApiMetrics(meters);
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

	/** Whether a customer with that email, phone or customer number exists. */
	public boolean checkCustomerExist(CheckCustomerExistRequest request) {
		Reply reply = call(Endpoint.CHECK_CUSTOMER_EXIST, request);
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
		Reply reply = call(Endpoint.CREATE_ACCOUNT, request);
		JsonNode data = reply.data();
		if (data != null && (data.isString() || data.isNumber()) && !data.asString().isBlank()) {
			return data.asString().trim();
		}
		throw unexpected(Endpoint.CREATE_ACCOUNT, reply.trace(), "success without a customerNo", null);
	}

	public CustomerPage page(CustomerPageRequest request) {
		Reply reply = call(Endpoint.PAGE, request);
		CustomerPage page = decode(reply, CustomerPage.class);
		if (page == null) {
			throw unexpected(Endpoint.PAGE, reply.trace(), "success without a page", null);
		}
		return page;
	}

	/** @throws CustomerNotFoundException if no such customer exists */
	public CustomerDetail detail(CustomerDetailRequest request) {
		Reply reply = call(Endpoint.DETAIL, request);
		CustomerDetail detail = decode(reply, CustomerDetail.class);
		if (detail == null) {
			throw unexpected(Endpoint.DETAIL, reply.trace(), "success without a detail", null);
		}
		return detail;
	}

	/** The customer groups; the seed shows one object, the contract assumes a list: both are accepted. */
	public List<CustomerGroup> groupList(CustomerGroupListRequest request) {
		Reply reply = call(Endpoint.GROUP_LIST, request);
		JsonNode data = reply.data();
		if (data == null || data.isNull()) {
			return List.of();
		}
		if (data.isArray()) {
			return List.of(decode(reply, CustomerGroup[].class));
		}
		return List.of(decode(reply, CustomerGroup.class));
	}

	@Override
	public void close() throws IOException {
		this.transport.close();
	}

	private <T> T decode(Reply reply, Class<T> type) {
		try {
			return this.json.treeToValue(reply.data(), type);
		}
		catch (JacksonException ex) {
			throw unexpected(reply.endpoint(), reply.trace(), "data does not match " + type.getSimpleName(), ex);
		}
	}

	private Reply call(Endpoint endpoint, Object body) {
		String trace = UUID.randomUUID().toString();
		try {
			this.metrics.recordRateLimitWait(this.rateLimiter.acquire());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw logged(new TransientApiException(endpoint, trace, null, null,
					"Interrupted before the request was sent", ex));
		}
		Timer.Sample sample = this.metrics.start();
		try {
			return interpret(endpoint, trace, send(endpoint, trace, body), sample);
		}
		catch (CustomerApiException ex) {
			this.metrics.stop(sample, endpoint, ex.outcome());
			throw ex;
		}
	}

	private Answer send(Endpoint endpoint, String trace, Object body) {
		try {
			return this.transport.post(endpoint, trace, this.json.writeValueAsBytes(body));
		}
		catch (ResourceAccessException ex) {
			throw logged(this.classifier.ofIo(endpoint, trace, ex));
		}
	}

	private Reply interpret(Endpoint endpoint, String trace, Answer answer, Timer.Sample sample) {
		CustomerApiException refused = this.classifier.ofStatus(endpoint, trace, answer.status(), answer.retryAfter(),
				answer.location());
		if (refused instanceof RateLimitedException limited && answer.status() == 429) {
			this.rateLimiter.pause(limited.retryAfter().orElse(FailureClassifier.DEFAULT_RETRY_AFTER));
		}
		if (refused != null) {
			throw logged(refused);
		}
		ApiEnvelope envelope;
		try {
			envelope = this.json.readValue(answer.body(), ApiEnvelope.class);
		}
		catch (JacksonException ex) {
			throw logged(unexpected(endpoint, trace, "unparseable body", ex));
		}
		if (envelope == null || envelope.code() == null) {
			throw logged(unexpected(endpoint, trace, "body without a code", null));
		}
		if (envelope.successful()) {
			this.metrics.stop(sample, endpoint, CustomerApiMetrics.SUCCESS);
			return new Reply(endpoint, trace, envelope.data());
		}
		throw logged(this.classifier.ofCode(endpoint, trace, envelope.code(), envelope.msg()));
	}

	private static CustomerApiException unexpected(Endpoint endpoint, String trace, String what, Throwable cause) {
		return FailureClassifier.unexpected(endpoint, trace, what, cause);
	}

	private static CustomerApiException logged(CustomerApiException ex) {
		if (ex instanceof CustomerAlreadyExistsException || ex instanceof CustomerNotFoundException) {
			logger.debug("{}", ex.getMessage());
		}
		else if (ex instanceof CustomerRejectedException) {
			logger.info("{}", ex.getMessage());
		}
		else {
			logger.warn("{}", ex.getMessage());
		}
		return ex;
	}

	private record Reply(Endpoint endpoint, String trace, JsonNode data) {
	}

}
