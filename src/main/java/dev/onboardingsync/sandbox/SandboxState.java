package dev.onboardingsync.sandbox;

import java.util.Map;

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
 * @param faultsInjected faults injected, by kind, with {@code RATE_LIMITED} for HTTP 429s of the rate limit
 */
public record SandboxState(String companyId, long customers, long groups, long maxAccountsPerThirdServerCode,
		long maxAccountsPerPhone, long maxAccountsPerEmail, int peakConcurrentRequests, Map<String, Long> requests,
		Map<String, Long> faultsInjected) {

	public long requests(String endpointShortName) {
		return this.requests.getOrDefault(endpointShortName, 0L);
	}

}
