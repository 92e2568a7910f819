package dev.onboardingsync.customerapi;

import java.util.Set;

/**
 * Body of {@code detail}. {@code type} is one of {@link #TYPES}.
 */
public record CustomerDetailRequest(String type, String id, String customerNo) {

	public static final Set<String> TYPES = Set.of("baseInfo", "tradeAccount", "kyc", "allKyc",
			"bankList", "walletList", "otherInfo");

	public static CustomerDetailRequest baseInfo(Long id, String customerNo) {
		return new CustomerDetailRequest("baseInfo", (id != null) ? id.toString() : null, customerNo);
	}

}
