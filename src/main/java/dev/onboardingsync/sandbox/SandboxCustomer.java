package dev.onboardingsync.sandbox;

import java.util.List;

import dev.onboardingsync.customerapi.TradeTypeCurrency;

/**
 * A customer as the sandbox holds it. The login password is not kept: nothing reads it back.
 */
public record SandboxCustomer(long id, String customerNo, long createTime, long updateTime, String phoneArea,
		String phone, String email, String emailArea, String country, int registerSource, long customerGroupId,
		String remark, String registerDevice, String utmSource, String utmMedium, String utmCampaign,
		String utmContent, String utmTerm, String thirdServerCode, List<TradeTypeCurrency> tradeTypeCurrencyList) {

	public SandboxCustomer {
		tradeTypeCurrencyList = (tradeTypeCurrencyList != null) ? List.copyOf(tradeTypeCurrencyList) : List.of();
	}

	@Override
	public String toString() {
		return "SandboxCustomer[id=" + this.id + ", customerNo=" + this.customerNo + ", thirdServerCode="
				+ this.thirdServerCode + "]";
	}

}
