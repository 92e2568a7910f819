package dev.onboardingsync.customerapi;

/** Optional body of {@code groupList}: filter by trade type and/or customer. */
public record CustomerGroupListRequest(Integer tradeType, String customerNo) {

	public static CustomerGroupListRequest all() {
		return new CustomerGroupListRequest(null, null);
	}

}
