package dev.onboardingsync.customerapi;

import dev.onboardingsync.system.Masking;
import tools.jackson.databind.JsonNode;

/**
 * {@code data} of {@code detail}, with the seed's field names; it carries {@code thirdServerCode}.
 * Fields the seed shows as bare objects stay untyped.
 */
public record CustomerDetail(Long id, String customerNo, Long companyId, Integer type, Integer customerType,
		String thirdServerCode, String thirdUserId, String thirdLoginSource, String thirdIntactMsg, String phone,
		String phoneArea, String email, String firstName, String lastName, String name, String country,
		String address, String postalCode, String idCard, String idCardType, Long customerGroupId,
		Integer openAccountType, Integer registerSource, Long registerTime, Long createTime, Long loginTime,
		Long activateTime, Integer activateStatus, Integer status, Integer kycStatus, Integer kycAuditStatus,
		String kycAuditRemark, String kycRemark, Integer companyKycStatus, String companyType, String accountRemark,
		JsonNode accountList, String apiCheckRule, Boolean apiCheckSwitch, String assertPassStatus,
		Long associationCompanyId, String customerAgentMark, Integer deposit, Integer withdraw,
		JsonNode earlyWarningLevel, JsonNode forceLevel, JsonNode withdrawLevel, Long googleId, Integer isFund,
		String loginPassStatus, String payPassStatus, Integer optional, Long relationCustomerId, String source,
		Long unitId, String unitName, String utmSource) {

	@Override
	public String toString() {
		return "CustomerDetail[id=" + this.id + ", customerNo=" + this.customerNo + ", thirdServerCode="
				+ this.thirdServerCode + ", phone=" + Masking.maskPhone(this.phone) + ", email="
				+ Masking.maskEmail(this.email) + "]";
	}

}
