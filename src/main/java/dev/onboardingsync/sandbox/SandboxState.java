package dev.onboardingsync.sandbox;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.onboardingsync.system.PhoneNumbers;

/**
 * What {@code GET /sandbox/state} answers: enough for a test or an operator to see whether any
 * duplicate account was made, and how much traffic and which faults the sandbox served.
 *
 * @param customers customers held now
 * @param maxAccountsPerThirdServerCode most customers sharing one {@code thirdServerCode} (1 means no duplicate)
 * @param maxAccountsPerPhone most customers sharing one phone
 * @param maxAccountsPerEmail most customers sharing one email
 * @param peakConcurrentRequests most platform requests served at once since start or reset
 * @param requests requests received, by endpoint short name
 * @param handled requests that reached the platform's rules, by endpoint short name: those not
 * refused first by the rate limit or by an injected server error, busy or too-many-requests answer.
 * For {@code create}, the accounts made plus the creates refused as duplicate or invalid: a job that
 * never sends a create twice has as many as it made accounts.
 * @param faultsInjected faults injected, by kind, with {@code RATE_LIMITED} for HTTP 429s of the rate limit
 */
public record SandboxState(String companyId, long customers, long groups, long maxAccountsPerThirdServerCode,
		long maxAccountsPerPhone, long maxAccountsPerEmail, int peakConcurrentRequests, Map<String, Long> requests,
		Map<String, Long> handled, Map<String, Long> faultsInjected) {

	/** The state of these customers and this traffic. */
	static SandboxState of(String companyId, List<SandboxCustomer> customers, int groups, SandboxTraffic traffic) {
		return new SandboxState(companyId, customers.size(), groups,
				maxCustomersPer(customers, SandboxCustomer::thirdServerCode),
				maxCustomersPer(customers, (customer) -> PhoneNumbers.key(customer.phoneArea(), customer.phone())),
				maxCustomersPer(customers, (customer) -> CustomerIndexes.emailKey(customer.email())),
				traffic.peakInFlight(), traffic.requests(), traffic.handled(), traffic.faultsInjected());
	}

	/**
	 * The largest number of customers that share one value of a field, counted from the customers
	 * themselves rather than the indexes, so that it checks the uniqueness it reports on.
	 */
	private static long maxCustomersPer(List<SandboxCustomer> customers, Function<SandboxCustomer, String> field) {
		Collection<Long> counts = customers.stream()
			.map(field)
			.filter((value) -> value != null)
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
			.values();
		return counts.stream().mapToLong(Long::longValue).max().orElse(0);
	}

	public long requests(String endpointShortName) {
		return this.requests.getOrDefault(endpointShortName, 0L);
	}

	public long handled(String endpointShortName) {
		return this.handled.getOrDefault(endpointShortName, 0L);
	}

}
