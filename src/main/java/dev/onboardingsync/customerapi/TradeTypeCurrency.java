package dev.onboardingsync.customerapi;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One entry of a create's {@code tradeTypeCurrencyList}, tied to the customer group. As text (the
 * settings' and the ledger's form) it is {@code currency:tradeType}, a list of them joined by
 * commas: {@code USDT:1,USD:5}; this record is the one codec of that form.
 */
public record TradeTypeCurrency(String allCurrency, String tradeType) {

	/**
	 * Reads {@code currency:tradeType}, each part trimmed.
	 * @throws IllegalArgumentException if there is no colon
	 */
	public static TradeTypeCurrency parse(String pair) {
		int colon = pair.indexOf(':');
		if (colon < 0) {
			throw new IllegalArgumentException("'" + pair + "' is not currency:tradeType");
		}
		return new TradeTypeCurrency(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
	}

	/** Reads {@code currency:tradeType} pairs joined by commas; an empty list for {@code null} or blank text. */
	public static List<TradeTypeCurrency> parseList(String text) {
		return (text == null || text.isBlank()) ? List.of()
				: Arrays.stream(text.split(",")).map(TradeTypeCurrency::parse).toList();
	}

	/** The list as {@code currency:tradeType} pairs joined by commas; empty text for an empty list. */
	public static String format(List<TradeTypeCurrency> list) {
		return list.stream().map(TradeTypeCurrency::toString).collect(Collectors.joining(","));
	}

	/** {@code currency:tradeType}. */
	@Override
	public String toString() {
		return this.allCurrency + ":" + this.tradeType;
	}

}
