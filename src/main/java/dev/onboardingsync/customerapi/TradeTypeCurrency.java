package dev.onboardingsync.customerapi;

/** One entry of a create's {@code tradeTypeCurrencyList}, tied to the customer group. */
public record TradeTypeCurrency(String allCurrency, String tradeType) {
}
