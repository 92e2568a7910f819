package dev.onboardingsync.sandbox;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.onboardingsync.system.PhoneNumbers;

/**
 * The sandbox's lookups of customers by {@code customerNo}, id, phone (as the platform compares
 * them), email (in any case) and {@code thirdServerCode}. Not thread-safe: {@link CustomerStore}
 * guards it with its lock.
 */
final class CustomerIndexes {

	private final Map<String, SandboxCustomer> byCustomerNo = new HashMap<>();

	private final Map<Long, SandboxCustomer> byId = new HashMap<>();

	private final Map<String, SandboxCustomer> byPhone = new HashMap<>();

	private final Map<String, SandboxCustomer> byEmail = new HashMap<>();

	private final Map<String, SandboxCustomer> byThirdServerCode = new HashMap<>();

	/** Indexes the customer, or its new state in place of the old one (same keys). */
	void put(SandboxCustomer customer) {
		put(customer, PhoneNumbers.key(customer.phoneArea(), customer.phone()));
	}

	/** {@link #put(SandboxCustomer)}, its phone's {@link PhoneNumbers#key} already computed. */
	void put(SandboxCustomer customer, String phoneKey) {
		this.byCustomerNo.put(customer.customerNo(), customer);
		this.byId.put(customer.id(), customer);
		this.byPhone.put(phoneKey, customer);
		String email = emailKey(customer.email());
		if (email != null) {
			this.byEmail.put(email, customer);
		}
		if (customer.thirdServerCode() != null) {
			this.byThirdServerCode.put(customer.thirdServerCode(), customer);
		}
	}

	/** Forgets the customer: its keys are free again. */
	void remove(SandboxCustomer customer) {
		this.byCustomerNo.remove(customer.customerNo());
		this.byId.remove(customer.id());
		this.byPhone.remove(PhoneNumbers.key(customer.phoneArea(), customer.phone()));
		String email = emailKey(customer.email());
		if (email != null) {
			this.byEmail.remove(email);
		}
		if (customer.thirdServerCode() != null) {
			this.byThirdServerCode.remove(customer.thirdServerCode());
		}
	}

	SandboxCustomer byCustomerNo(String customerNo) {
		return this.byCustomerNo.get(customerNo);
	}

	SandboxCustomer byId(long id) {
		return this.byId.get(id);
	}

	/** @param phoneKey {@link PhoneNumbers#key} */
	boolean hasPhone(String phoneKey) {
		return this.byPhone.containsKey(phoneKey);
	}

	/** @param emailKey {@link #emailKey} */
	boolean hasEmail(String emailKey) {
		return emailKey != null && this.byEmail.containsKey(emailKey);
	}

	boolean hasThirdServerCode(String thirdServerCode) {
		return thirdServerCode != null && this.byThirdServerCode.containsKey(thirdServerCode);
	}

	void clear() {
		this.byCustomerNo.clear();
		this.byId.clear();
		this.byPhone.clear();
		this.byEmail.clear();
		this.byThirdServerCode.clear();
	}

	/** An email as the platform compares it: trimmed, in lower case; {@code null} for none. */
	static String emailKey(String email) {
		return (email == null || email.isBlank()) ? null : email.trim().toLowerCase(Locale.ROOT);
	}

}
