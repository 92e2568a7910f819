package dev.onboardingsync.sandbox;

import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.customerapi.CustomerDetail;
import dev.onboardingsync.customerapi.CustomerGroup;
import dev.onboardingsync.customerapi.CustomerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A sandbox customer as the platform's answers show it: a record of {@code page}, and the
 * {@code data} of {@code detail} of each type the seed lists, which follows the customer (issue 12).
 */
final class SandboxAnswers {

	private final CustomerStore store;

	private final long companyId;

	private final JsonMapper json = ApiJson.mapper();

	SandboxAnswers(CustomerStore store, long companyId) {
		this.store = store;
		this.companyId = companyId;
	}

	/** The customer as a record of {@code page}. */
	CustomerRecord record(SandboxCustomer customer) {
		String groupName = this.store.group(customer.customerGroupId()).map(CustomerGroup::name).orElse(null);
		return new CustomerRecord(customer.id(), customer.customerNo(), this.companyId, null, customer.createTime(),
				customer.updateTime(), null, customer.createTime(), customer.customerGroupId(), groupName, 1,
				customer.email(), null, null, null, null, null, 1, customer.phone(), customer.phoneArea(),
				customer.registerSource(), customer.remark(), customer.status(), null, null, null, null, null, null, null);
	}

	private CustomerDetail baseDetail(SandboxCustomer customer) {
		return new CustomerDetail(customer.id(), customer.customerNo(), this.companyId, 1, 1,
				customer.thirdServerCode(), null, null, null, customer.phone(), customer.phoneArea(), customer.email(),
				null, null, null, customer.country(), null, null, null, null, customer.customerGroupId(), 1,
				customer.registerSource(), customer.createTime(), customer.createTime(), null, customer.createTime(), 1,
				customer.status(), 0, 0, null, null, 0, null, null, null, null, false, null, null, null, 0, 0, null, null, null, null, 0,
				null, null, 0, null, null, null, null, customer.utmSource());
	}

	// The detail every type shares, with what the type adds: it follows the customer (a closed one is
	// not active, and its KYC is frozen), so a changed customer has a changed detail.
	/** The {@code data} of {@code detail} of that type. */
	JsonNode detail(SandboxCustomer customer, String type) {
		ObjectNode detail = this.json.valueToTree(baseDetail(customer));
		boolean active = customer.status() == SandboxCustomer.ACTIVE;
		detail.put("activateStatus", active ? 1 : 0);
		detail.put("kycStatus", active ? 2 : 3);
		switch (type) {
			case "tradeAccount" -> {
				ObjectNode accounts = detail.putObject("accountList");
				customer.tradeTypeCurrencyList()
					.forEach((entry) -> accounts.put(entry.tradeType(), entry.allCurrency() + "-" + customer.customerNo()));
			}
			case "kyc", "allKyc" -> {
				detail.put("kycAuditStatus", active ? 1 : 2);
				detail.put("kycRemark", active ? "approved" : "frozen: customer closed");
				if (type.equals("allKyc")) {
					detail.putObject("kycPage").put("country", customer.country()).put("updateTime", customer.updateTime());
				}
			}
			case "bankList" -> detail.putArray("bankList");
			case "walletList" -> detail.putArray("walletList");
			case "otherInfo" -> detail.putObject("otherInfo").put("registerDevice", customer.registerDevice());
			default -> {
			}
		}
		return detail;
	}

}
