package dev.onboardingsync.customerapi;

import dev.onboardingsync.system.Masking;
import java.util.List;

/**
 * Body of {@code addCusAndOpenAccountAndKyc}. {@code pwd} is the MD5 hex of the initial login
 * password. {@code thirdServerCode} (at most 50 characters) is the idempotency key: the platform
 * refuses a second account with the same code.
 */
public record CreateAccountRequest(String phone, String email, String phoneArea, String emailArea, String pwd,
		String country, Integer registerSource, Long customerGroupId, String remark, String registerDevice,
		String utmSource, String utmMedium, String utmCampaign, String utmContent, String utmTerm,
		String thirdServerCode, List<TradeTypeCurrency> tradeTypeCurrencyList) {

	/** Never prints the password; phone and email are masked. */
	@Override
	public String toString() {
		return "CreateAccountRequest[thirdServerCode=" + this.thirdServerCode + ", phoneArea=" + this.phoneArea
				+ ", phone=" + Masking.maskPhone(this.phone) + ", email=" + Masking.maskEmail(this.email) + ", pwd=***"
				+ ", country=" + this.country + ", registerSource=" + this.registerSource + ", customerGroupId="
				+ this.customerGroupId + "]";
	}

}
