package dev.onboardingsync.customerapi;

import dev.onboardingsync.system.Masking;

/**
 * One record of {@code page}, with the seed's field names. Times are epoch milliseconds.
 */
public record CustomerRecord(Long id, String customerNo, Long companyId, String agentCustomerNo, Long createTime,
		Long updateTime, Long loginTime, Long firstAccountActivateTime, Long customerGroupId, String customerGroupName,
		Integer customerType, String email, String firstName, String lastName, String name, String idCard,
		String idCardType, Integer openAccountType, String phone, String phoneArea, Integer registerSource,
		String remark, Integer status, String tgUserId, String tgUserName, String thirdAccountNo,
		String thirdLoginSource, String thirdUserId, Long unitId, String unitName) {

	@Override
	public String toString() {
		return "CustomerRecord[id=" + this.id + ", customerNo=" + this.customerNo + ", phone="
				+ Masking.maskPhone(this.phone) + ", email=" + Masking.maskEmail(this.email) + "]";
	}

}
