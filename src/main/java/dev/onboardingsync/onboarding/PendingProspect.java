package dev.onboardingsync.onboarding;

import java.util.List;

import dev.onboardingsync.customerapi.CreateAccountRequest;
import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.system.Masking;

/**
 * A prospect of this run still to settle, as the ledger holds it.
 */
record PendingProspect(long id, String thirdServerCode, ProspectStatus status, String phoneArea, String phone,
		String email, String emailArea, String country, int registerSource, long customerGroupId,
		String tradeTypeCurrency, String remark, String registerDevice, String utmSource, String utmMedium,
		String utmCampaign, String utmContent, String utmTerm, String passwordMd5) {

	CreateAccountRequest toCreateRequest(String pwdMd5) {
		// No list at all rather than an empty one, as the ledger cannot tell them apart.
		List<TradeTypeCurrency> currencies = TradeTypeCurrency.parseList(this.tradeTypeCurrency);
		return new CreateAccountRequest(this.phone, this.email, this.phoneArea, this.emailArea, pwdMd5, this.country,
				this.registerSource, this.customerGroupId, this.remark, this.registerDevice, this.utmSource,
				this.utmMedium, this.utmCampaign, this.utmContent, this.utmTerm, this.thirdServerCode,
				currencies.isEmpty() ? null : currencies);
	}

	@Override
	public String toString() {
		return "PendingProspect[id=" + this.id + ", thirdServerCode=" + this.thirdServerCode + ", status="
				+ this.status + ", phone=" + Masking.maskPhone(this.phone) + "]";
	}

}
