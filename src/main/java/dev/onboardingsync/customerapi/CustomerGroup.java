package dev.onboardingsync.customerapi;

/** One customer group of {@code groupList}. */
public record CustomerGroup(Long id, String name, Integer openAccountType, Integer type, Integer tradeType,
		String assets) {
}
