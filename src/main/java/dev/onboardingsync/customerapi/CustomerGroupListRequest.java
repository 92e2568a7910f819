package dev.onboardingsync.customerapi;

/** Optional body of {@code groupList}: filter by trade type and/or customer. */
public record CustomerGroupListRequest(Integer tradeType, String customerNo) {

	/** Every group the platform answers without a filter. */
	public static CustomerGroupListRequest all() {
		return new CustomerGroupListRequest(null, null);
	}

	/** The groups of one trade type. */
	public static CustomerGroupListRequest ofTradeType(int tradeType) {
		return new CustomerGroupListRequest(tradeType, null);
	}

}
