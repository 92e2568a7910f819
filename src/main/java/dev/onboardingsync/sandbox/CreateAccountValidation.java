package dev.onboardingsync.sandbox;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.onboardingsync.customerapi.CreateAccountRequest;
import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.system.PhoneNumbers;

/**
 * The platform's validation of a create ({@code addCusAndOpenAccountAndKyc}), as the seed's field
 * table and CUSTOMER-API.md state it: what it refuses with {@code A0400}, and why.
 */
final class CreateAccountValidation {

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

	private static final Pattern MD5_HEX = Pattern.compile("^[0-9a-fA-F]{32}$");

	private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

	private CreateAccountValidation() {
	}

	/**
	 * @param phoneArea the request's area, or the default one
	 * @param phoneKey the phone's {@link PhoneNumbers#key} in that area ({@code null}: not a valid number)
	 * @return why the platform refuses the create ({@code A0400}'s message), or {@code null}
	 */
	static String invalid(CreateAccountRequest request, String phoneArea, String phoneKey, CustomerStore store) {
		if (request.phone() == null || request.phone().isBlank()) {
			return "phone is required";
		}
		if (PhoneNumbers.countryCode(phoneArea) == 0) {
			return "phoneArea is not a known calling code";
		}
		if (phoneKey == null) {
			return "phone is not a valid number for area " + phoneArea;
		}
		if (request.email() != null && !request.email().isBlank() && !EMAIL.matcher(request.email().trim()).matches()) {
			return "email is not a valid address";
		}
		if (request.pwd() == null || !MD5_HEX.matcher(request.pwd()).matches()) {
			return "pwd is required as the MD5 hex of the login password";
		}
		if (request.country() == null || !COUNTRIES.contains(request.country())) {
			return "country is required as an ISO 3166 alpha-2 code";
		}
		if (request.registerSource() == null || request.registerSource() < 1 || request.registerSource() > 9) {
			return "registerSource is required, 1 to 9";
		}
		if (request.customerGroupId() == null || store.group(request.customerGroupId()).isEmpty()) {
			return "customerGroupId is required and must name an existing customer group";
		}
		if (request.thirdServerCode() != null && request.thirdServerCode().length() > 50) {
			return "thirdServerCode must be at most 50 characters";
		}
		if (request.thirdServerCode() != null && request.thirdServerCode().isBlank()) {
			return "thirdServerCode must not be blank";
		}
		List<TradeTypeCurrency> currencies = request.tradeTypeCurrencyList();
		if (currencies != null && currencies.stream()
			.anyMatch((entry) -> entry == null || PlatformEndpoints.blank(entry.allCurrency()) || PlatformEndpoints.blank(entry.tradeType()))) {
			return "tradeTypeCurrencyList entries need allCurrency and tradeType";
		}
		return null;
	}

}
