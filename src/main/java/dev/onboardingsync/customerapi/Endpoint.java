package dev.onboardingsync.customerapi;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The five operations of the platform's Customer API, each posted to {@code /openapi-b/{bizType}}.
 * Whether an endpoint needs the token, and whether it changes state (which decides if a failure
 * after the request was sent is ambiguous), are part of the contract in CUSTOMER-API.md.
 */
public enum Endpoint {

	CHECK_CUSTOMER_EXIST("check", "customer.app.CustomerWebApiService.checkCustomerExist", false, false),

	CREATE_ACCOUNT("create", "customer.admin.WhiteCustomerAdminApiService.addCusAndOpenAccountAndKyc", true, true),

	PAGE("page", "customer.admin.WhiteCustomerAdminApiService.page", true, false),

	DETAIL("detail", "customer.admin.WhiteCustomerAdminApiService.detail", true, false),

	GROUP_LIST("group-list", "customer.admin.CustomerGroupAdminApiService.groupList", true, false);

	private final String shortName;

	private final String bizType;

	private final boolean tokenRequired;

	private final boolean mutating;

	Endpoint(String shortName, String bizType, boolean tokenRequired, boolean mutating) {
		this.shortName = shortName;
		this.bizType = bizType;
		this.tokenRequired = tokenRequired;
		this.mutating = mutating;
	}

	/** The name used in settings, metrics and logs, e.g. {@code create}. */
	public String shortName() {
		return this.shortName;
	}

	public String bizType() {
		return this.bizType;
	}

	public String path() {
		return "/openapi-b/" + this.bizType;
	}

	public boolean tokenRequired() {
		return this.tokenRequired;
	}

	public boolean mutating() {
		return this.mutating;
	}

	public static Endpoint fromBizType(String bizType) {
		for (Endpoint endpoint : values()) {
			if (endpoint.bizType.equals(bizType)) {
				return endpoint;
			}
		}
		return null;
	}

	public static Endpoint fromShortName(String shortName) {
		for (Endpoint endpoint : values()) {
			if (endpoint.shortName.equalsIgnoreCase(shortName)) {
				return endpoint;
			}
		}
		throw new IllegalArgumentException("Unknown endpoint '" + shortName + "': expected one of "
				+ Arrays.stream(values()).map(Endpoint::shortName).collect(Collectors.joining(", ")));
	}

}
