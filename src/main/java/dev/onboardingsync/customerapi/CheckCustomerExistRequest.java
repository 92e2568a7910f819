package dev.onboardingsync.customerapi;

import dev.onboardingsync.system.Masking;

/**
 * Body of {@code checkCustomerExist}. {@code type}: 1 email, 2 phone, 3 customer account.
 */
public record CheckCustomerExistRequest(Integer type, String loginName, String phoneArea, String emailArea) {

	public static final int BY_EMAIL = 1;

	public static final int BY_PHONE = 2;

	public static final int BY_CUSTOMER_NO = 3;

	public static CheckCustomerExistRequest byPhone(String phoneArea, String phone) {
		return new CheckCustomerExistRequest(BY_PHONE, phone, phoneArea, null);
	}

	public static CheckCustomerExistRequest byEmail(String emailArea, String email) {
		return new CheckCustomerExistRequest(BY_EMAIL, email, null, emailArea);
	}

	public static CheckCustomerExistRequest byCustomerNo(String customerNo) {
		return new CheckCustomerExistRequest(BY_CUSTOMER_NO, customerNo, null, null);
	}

	@Override
	public String toString() {
		String shown = (this.type != null && this.type == BY_CUSTOMER_NO) ? this.loginName : Masking.mask(this.loginName);
		return "CheckCustomerExistRequest[type=" + this.type + ", loginName=" + shown + ", phoneArea=" + this.phoneArea
				+ ", emailArea=" + this.emailArea + "]";
	}

}
