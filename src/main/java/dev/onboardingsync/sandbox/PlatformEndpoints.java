package dev.onboardingsync.sandbox;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.customerapi.CheckCustomerExistRequest;
import dev.onboardingsync.customerapi.CreateAccountRequest;
import dev.onboardingsync.customerapi.CustomerDetailRequest;
import dev.onboardingsync.customerapi.CustomerGroup;
import dev.onboardingsync.customerapi.CustomerGroupListRequest;
import dev.onboardingsync.customerapi.CustomerPage;
import dev.onboardingsync.customerapi.CustomerPageRequest;
import dev.onboardingsync.customerapi.CustomerRecord;
import dev.onboardingsync.customerapi.Endpoint;
import dev.onboardingsync.system.PhoneNumbers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's business rules for the five endpoints: validation, uniqueness, paging order and
 * error codes as CUSTOMER-API.md states them. Transport, authentication and faults are the
 * server's; this class only turns a request body into an answer.
 */
final class PlatformEndpoints {

	static final String INVALID = "A0400";

	static final String UNAUTHORIZED = "A0401";

	static final String NOT_FOUND = "A0404";

	static final String ALREADY_EXISTS = "A0409";

	static final int MAX_PAGE_SIZE = 200;

	private final CustomerStore store;

	private final Clock clock;

	private final JsonMapper json = ApiJson.mapper();

	private final SandboxAnswers answers;

	PlatformEndpoints(CustomerStore store, long companyId, Clock clock) {
		this.store = store;
		this.answers = new SandboxAnswers(store, companyId);
		this.clock = clock;
	}

	Answer handle(Endpoint endpoint, JsonNode body) {
		try {
			return switch (endpoint) {
				case CHECK_CUSTOMER_EXIST -> check(read(body, CheckCustomerExistRequest.class));
				case CREATE_ACCOUNT -> create(read(body, CreateAccountRequest.class));
				case PAGE -> page(read(body, CustomerPageRequest.class));
				case DETAIL -> detail(read(body, CustomerDetailRequest.class));
				case GROUP_LIST -> groupList(read(body, CustomerGroupListRequest.class));
			};
		}
		catch (JacksonException ex) {
			return Answer.error(INVALID, "Invalid request body: " + ex.getOriginalMessage());
		}
	}

	private <T> T read(JsonNode body, Class<T> type) {
		JsonNode value = (body == null || body.isNull() || body.isMissingNode()) ? this.json.createObjectNode() : body;
		return this.json.treeToValue(value, type);
	}

	private Answer check(CheckCustomerExistRequest request) {
		if (request.loginName() == null || request.loginName().isBlank()) {
			return Answer.error(INVALID, "loginName is required");
		}
		Integer type = request.type();
		boolean exists;
		if (type == null) {
			return Answer.error(INVALID, "type is required: 1 email, 2 phone, 3 customer account");
		}
		else if (type == CheckCustomerExistRequest.BY_EMAIL) {
			exists = this.store.existsByEmail(request.loginName());
		}
		else if (type == CheckCustomerExistRequest.BY_PHONE) {
			exists = this.store.existsByPhone(area(request.phoneArea()), request.loginName());
		}
		else if (type == CheckCustomerExistRequest.BY_CUSTOMER_NO) {
			exists = this.store.findByCustomerNo(request.loginName().trim()).isPresent();
		}
		else {
			return Answer.error(INVALID, "type must be 1 email, 2 phone or 3 customer account");
		}
		return Answer.ok(this.json.getNodeFactory().numberNode(exists ? 1 : 0));
	}

	private Answer create(CreateAccountRequest request) {
		String phoneArea = area(request.phoneArea());
		// Parsed once for the check of its validity and the store's uniqueness (libphonenumber's parsing
		// was a fifth of the sandbox's samples in a profile of the onboard step, issue 13).
		String phoneKey = PhoneNumbers.key(phoneArea, request.phone());
		String invalid = CreateAccountValidation.invalid(request, phoneArea, phoneKey, this.store);
		if (invalid != null) {
			return Answer.error(INVALID, invalid);
		}
		CustomerStore.CreateOutcome outcome = this.store.create(request, phoneArea, phoneKey, area(request.emailArea()),
				this.clock.millis());
		if (outcome.conflict() != null) {
			return Answer.error(ALREADY_EXISTS, "Customer already exists: duplicate " + outcome.conflict());
		}
		return Answer.ok(this.json.getNodeFactory().stringNode(outcome.customer().customerNo()));
	}

	private Answer page(CustomerPageRequest request) {
		int size = (request.size() != null) ? request.size() : 20;
		int current = (request.current() != null) ? request.current() : 1;
		if (size < 1 || size > MAX_PAGE_SIZE) {
			return Answer.error(INVALID, "size must be between 1 and " + MAX_PAGE_SIZE);
		}
		if (current < 1) {
			return Answer.error(INVALID, "current must be 1 or more");
		}
		CustomerPage page;
		if (request.customerNo() != null && !request.customerNo().isBlank()) {
			Optional<SandboxCustomer> match = this.store.findByCustomerNo(request.customerNo().trim());
			List<CustomerRecord> records = (current == 1) ? match.map(this.answers::record).stream().toList() : List.of();
			long total = match.isPresent() ? 1 : 0;
			page = new CustomerPage((long) current, (long) size, total, records);
		}
		else {
			CustomerStore.Page found = this.store.page(current, size);
			page = new CustomerPage((long) current, (long) size, (long) found.total(),
					found.records().stream().map(this.answers::record).toList());
		}
		return Answer.ok(this.json.valueToTree(page));
	}

	private Answer detail(CustomerDetailRequest request) {
		if (request.type() == null || !CustomerDetailRequest.TYPES.contains(request.type())) {
			return Answer.error(INVALID, "type must be one of " + String.join(", ", CustomerDetailRequest.TYPES));
		}
		if (blank(request.customerNo()) && blank(request.id())) {
			return Answer.error(INVALID, "customerNo or id is required");
		}
		Optional<SandboxCustomer> customer = !blank(request.customerNo())
				? this.store.findByCustomerNo(request.customerNo().trim()) : findById(request.id());
		return customer.map((found) -> Answer.ok(this.answers.detail(found, request.type())))
			.orElseGet(() -> Answer.error(NOT_FOUND, "Customer not found"));
	}

	private Optional<SandboxCustomer> findById(String id) {
		try {
			return this.store.findById(Long.parseLong(id.trim()));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	private Answer groupList(CustomerGroupListRequest request) {
		List<CustomerGroup> groups = this.store.groups();
		if (!blank(request.customerNo())) {
			groups = this.store.findByCustomerNo(request.customerNo().trim())
				.flatMap((customer) -> this.store.group(customer.customerGroupId()))
				.stream()
				.toList();
		}
		if (request.tradeType() != null) {
			groups = groups.stream().filter((group) -> request.tradeType().equals(group.tradeType())).toList();
		}
		return Answer.ok(this.json.valueToTree(groups));
	}

	private static String area(String phoneArea) {
		return blank(phoneArea) ? PhoneNumbers.DEFAULT_AREA : phoneArea.trim();
	}

	static boolean blank(String value) {
		return value == null || value.isBlank();
	}

	/** A business answer: {@code code "0"} with data, or an error code with its message. */
	record Answer(String code, String msg, JsonNode data) {

		static Answer ok(JsonNode data) {
			return new Answer("0", "Success", data);
		}

		static Answer error(String code, String msg) {
			return new Answer(code, msg, null);
		}

	}

}
