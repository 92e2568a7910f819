package dev.onboardingsync.intake;

import java.util.List;

import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.system.Masking;

/**
 * A valid, normalised prospect: phone as the national number within its area, country upper
 * case, defaults applied, and its identity {@code thirdServerCode} derived from the source's id.
 */
public record Prospect(String sourceId, String thirdServerCode, String phoneArea, String phone, String email,
		String emailArea, String country, int registerSource, long customerGroupId,
		List<TradeTypeCurrency> tradeTypeCurrencyList, String remark, String registerDevice, String utmSource,
		String utmMedium, String utmCampaign, String utmContent, String utmTerm, String passwordMd5) {

	public Prospect {
		tradeTypeCurrencyList = (tradeTypeCurrencyList != null) ? List.copyOf(tradeTypeCurrencyList) : List.of();
	}

	@Override
	public String toString() {
		return "Prospect[sourceId=" + this.sourceId + ", thirdServerCode=" + this.thirdServerCode + ", phone="
				+ this.phoneArea + " " + Masking.maskPhone(this.phone) + ", email=" + Masking.maskEmail(this.email)
				+ "]";
	}

}
