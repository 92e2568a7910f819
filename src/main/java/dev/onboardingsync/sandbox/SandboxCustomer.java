package dev.onboardingsync.sandbox;

import java.util.List;

import dev.onboardingsync.customerapi.TradeTypeCurrency;

/**
 * A customer as the sandbox holds it. The login password is not kept: nothing reads it back.
 * {@code status} is the platform's customer status as {@code page} and {@code detail} give it: the
 * sandbox answers {@link #ACTIVE} until an operator closes the customer ({@link #CLOSED}), a value
 * of its own, as the seed does not list the platform's.
 */
public record SandboxCustomer(long id, String customerNo, long createTime, long updateTime, String phoneArea,
		String phone, String email, String emailArea, String country, int registerSource, long customerGroupId,
		String remark, String registerDevice, String utmSource, String utmMedium, String utmCampaign,
		String utmContent, String utmTerm, String thirdServerCode, List<TradeTypeCurrency> tradeTypeCurrencyList,
		int status) {

	/** The status of a customer as created. */
	public static final int ACTIVE = 1;

	/** The status of a customer closed through the sandbox's admin endpoint. */
	public static final int CLOSED = 9;

	public SandboxCustomer {
		tradeTypeCurrencyList = (tradeTypeCurrencyList != null) ? List.copyOf(tradeTypeCurrencyList) : List.of();
		// A data file written before customers had a status holds none: they were all active.
		status = (status == 0) ? ACTIVE : status;
	}

	/** The customer closed at {@code now} (epoch milliseconds), its update time moved on. */
	SandboxCustomer closed(long now) {
		return new SandboxCustomer(this.id, this.customerNo, this.createTime, Math.max(now, this.updateTime + 1),
				this.phoneArea, this.phone, this.email, this.emailArea, this.country, this.registerSource,
				this.customerGroupId, this.remark, this.registerDevice, this.utmSource, this.utmMedium, this.utmCampaign,
				this.utmContent, this.utmTerm, this.thirdServerCode, this.tradeTypeCurrencyList, CLOSED);
	}

	@Override
	public String toString() {
		return "SandboxCustomer[id=" + this.id + ", customerNo=" + this.customerNo + ", thirdServerCode="
				+ this.thirdServerCode + "]";
	}

}
