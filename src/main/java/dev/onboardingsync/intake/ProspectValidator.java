package dev.onboardingsync.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.system.PhoneNumbers;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Validates and normalises an input row into a {@link Prospect}, or rejects it with every reason
 * found: phones with libphonenumber against their area code, emails, ISO country codes, register
 * source 1..9, the derived {@code thirdServerCode}, and the password column when the input has one.
 * Stateless and thread-safe.
 */
public class ProspectValidator implements ItemProcessor<InputRow, ValidatedRow> {

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");

	private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]+");

	private static final Pattern MD5_HEX = Pattern.compile("^[0-9a-fA-F]{32}$");

	private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

	private static final int MAX_EXTERNAL_ID = 200;

	private final IntakeProperties properties;

	private final String phoneNumberTypes;

	public ProspectValidator(IntakeProperties properties) {
		this.properties = properties;
		this.phoneNumberTypes = properties.phoneNumberTypes().stream().map(Enum::name).sorted().collect(Collectors.joining(","));
	}

	@Override
	public ValidatedRow process(InputRow row) {
		if (row.problem() != null) {
			return ValidatedRow.rejected(row, "row " + row.problem());
		}
		List<String> problems = new ArrayList<>();
		IntakeProperties.Defaults defaults = this.properties.defaults();

		String externalId = row.value(ProspectField.EXTERNAL_ID);
		if (externalId == null) {
			problems.add("external id is missing");
		}
		else if (externalId.length() > MAX_EXTERNAL_ID) {
			problems.add("external id is longer than " + MAX_EXTERNAL_ID + " characters");
		}

		String phoneArea = null;
		String phone = null;
		String rawPhone = row.value(ProspectField.PHONE);
		if (rawPhone == null) {
			problems.add("phone is missing");
		}
		else {
			String areaColumn = row.value(ProspectField.PHONE_AREA);
			phoneArea = area(areaColumn, rawPhone, defaults.phoneArea());
			PhoneNumbers.TypedPhone typed = (phoneArea != null) ? PhoneNumbers.parseTyped(phoneArea, rawPhone) : null;
			if (phoneArea == null && areaColumn != null) {
				problems.add(notAnArea("phone area", areaColumn));
			}
			else if (typed == null) {
				problems.add("phone is not a valid number" + ((phoneArea != null) ? " for area " + phoneArea : ""));
			}
			else if (!this.properties.phoneNumberTypes().contains(typed.type())) {
				problems.add("phone is not a mobile number (libphonenumber: " + typed.type()
						+ "; intake.phone-number-types allows " + this.phoneNumberTypes + ")");
			}
			else {
				phone = PhoneNumbers.nationalNumber(typed.number());
			}
		}

		String email = row.value(ProspectField.EMAIL);
		if (email != null && (email.length() > 254 || !EMAIL.matcher(email).matches())) {
			problems.add("email is not a valid address");
		}
		String emailArea = defaults.emailArea();
		String emailAreaColumn = row.value(ProspectField.EMAIL_AREA);
		if (emailAreaColumn != null) {
			// A calling code as the phone's area is (the seed's emailArea, "+86"), written the same way.
			emailArea = callingCode(emailAreaColumn);
			if (emailArea == null) {
				problems.add(notAnArea("email area", emailAreaColumn));
			}
		}

		String country = orDefault(row.value(ProspectField.COUNTRY), defaults.country());
		if (country == null) {
			problems.add("country is missing (set intake.defaults.country for inputs without one)");
		}
		else {
			country = country.toUpperCase(Locale.ROOT);
			if (!COUNTRIES.contains(country)) {
				problems.add("country '" + country + "' is not an ISO 3166 alpha-2 code");
			}
		}

		Long registerSource = number(row.value(ProspectField.REGISTER_SOURCE), defaults.registerSource(),
				"register source", problems);
		if (registerSource != null && (registerSource < 1 || registerSource > 9)) {
			problems.add("register source must be 1 to 9");
		}
		Long groupId = number(row.value(ProspectField.CUSTOMER_GROUP_ID), defaults.customerGroupId(),
				"customer group id", problems);

		String passwordMd5 = row.value(ProspectField.PASSWORD_MD5);
		if (passwordMd5 != null && !MD5_HEX.matcher(passwordMd5).matches()) {
			problems.add("password must be given as 32 hex digits (the MD5 of the initial password)");
		}

		if (!problems.isEmpty()) {
			return ValidatedRow.rejected(row, String.join("; ", problems));
		}
		return ValidatedRow.accepted(row,
				new Prospect(externalId, ThirdServerCodes.of(this.properties.thirdServerCodePrefix(), externalId),
						phoneArea, phone, email, emailArea, country, registerSource.intValue(), groupId,
						tradeTypeCurrencies(groupId), row.value(ProspectField.REMARK),
						row.value(ProspectField.REGISTER_DEVICE), row.value(ProspectField.UTM_SOURCE),
						row.value(ProspectField.UTM_MEDIUM), row.value(ProspectField.UTM_CAMPAIGN),
						row.value(ProspectField.UTM_CONTENT), row.value(ProspectField.UTM_TERM),
						(passwordMd5 != null) ? passwordMd5.toLowerCase(Locale.ROOT) : null));
	}

	// The area column wins; a phone written with + carries its own; else the run's default.
	// "+86", "86" or "0086" as "+86"; null when it is no known calling code.
	private static String callingCode(String column) {
		int code = PhoneNumbers.countryCode(column.startsWith("00") ? column.substring(2) : column);
		return (code > 0) ? "+" + code : null;
	}

	private static String area(String column, String phone, String fallback) {
		if (column != null) {
			return callingCode(column);
		}
		if (phone.startsWith("+") || phone.startsWith("00")) {
			return PhoneNumbers.areaOf(phone.startsWith("00") ? "+" + phone.substring(2) : phone);
		}
		return fallback;
	}

	private List<TradeTypeCurrency> tradeTypeCurrencies(long groupId) {
		List<String> pairs = this.properties.groupTradeTypeCurrencies().get(groupId);
		if (pairs == null && groupId == this.properties.defaults().customerGroupId()) {
			pairs = this.properties.defaults().tradeTypeCurrencies();
		}
		if (pairs == null) {
			return List.of();
		}
		return pairs.stream().map(TradeTypeCurrency::parse).toList();
	}

	private static String orDefault(String value, String fallback) {
		return (value != null) ? value : fallback;
	}

	private static String notAnArea(String name, String value) {
		return name + " '" + value + "' is not a country calling code such as +86";
	}

	// Written in ASCII digits: Long.valueOf alone takes any script's digits ("١" as 1).
	private static Long number(String value, long fallback, String name, List<String> problems) {
		if (value == null) {
			return fallback;
		}
		if (!WHOLE_NUMBER.matcher(value).matches()) {
			problems.add(name + " '" + value + "' is not a whole number");
			return null;
		}
		try {
			return Long.valueOf(value);
		}
		catch (NumberFormatException ex) {
			problems.add(name + " '" + value + "' is too large");
			return null;
		}
	}

}
