package dev.onboardingsync.system;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Phones as the platform compares them (CUSTOMER-API.md): the national significant number within
 * its area code, validated with libphonenumber.
 */
public final class PhoneNumbers {

	/** The platform's default area code. */
	public static final String DEFAULT_AREA = "+86";

	private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

	private PhoneNumbers() {
	}

	/** The national significant number of a valid phone of that area, e.g. {@code 13800138000}. */
	public static String nationalNumber(PhoneNumber number) {
		return UTIL.getNationalSignificantNumber(number);
	}

	/** The comparison key, or {@code null} when the phone is not a valid number of that area. */
	public static String key(String phoneArea, String phone) {
		TypedPhone typed = parseTyped(phoneArea, phone);
		return (typed != null)
				? typed.number().getCountryCode() + ":" + UTIL.getNationalSignificantNumber(typed.number()) : null;
	}

	/**
	 * The phone parsed in that area with its kind (mobile, fixed line, toll free, personal, ...), or
	 * {@code null} when it is not a valid number of that area. One pass of libphonenumber's metadata:
	 * its {@code isValidNumber} is {@code getNumberType} not {@code UNKNOWN}, so validating and then
	 * asking the kind matched every pattern twice: a fifth of staging's phone checks (BENCHMARKS.md,
	 * "Stale statistics, and the staging thread's own CPU").
	 */
	public static TypedPhone parseTyped(String phoneArea, String phone) {
		int countryCode = countryCode(phoneArea);
		if (countryCode <= 0 || phone == null || phone.isBlank()) {
			return null;
		}
		try {
			PhoneNumber number = UTIL.parse(phone, UTIL.getRegionCodeForCountryCode(countryCode));
			if (number.getCountryCode() != countryCode) {
				return null;
			}
			PhoneNumberType type = UTIL.getNumberType(number);
			return (type != PhoneNumberType.UNKNOWN) ? new TypedPhone(number, type) : null;
		}
		catch (NumberParseException ex) {
			return null;
		}
	}

	/**
	 * A valid phone and its kind.
	 * @param number the phone as libphonenumber parsed it
	 * @param type its kind, never {@code UNKNOWN}
	 */
	public record TypedPhone(PhoneNumber number, PhoneNumberType type) {
	}

	/** The area code of a phone written internationally ({@code +44 20 7946 0958} gives {@code +44}), or {@code null}. */
	public static String areaOf(String internationalPhone) {
		try {
			PhoneNumber number = UTIL.parse(internationalPhone, "ZZ");
			return UTIL.isValidNumber(number) ? "+" + number.getCountryCode() : null;
		}
		catch (NumberParseException ex) {
			return null;
		}
	}

	/** {@code +86} or {@code 86} to 86; 0 when it is no known calling code. */
	public static int countryCode(String phoneArea) {
		if (phoneArea == null) {
			return 0;
		}
		String digits = phoneArea.trim().startsWith("+") ? phoneArea.trim().substring(1) : phoneArea.trim();
		if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			return 0;
		}
		int code = Integer.parseInt(digits);
		return UTIL.getSupportedCallingCodes().contains(code) ? code : 0;
	}

	public static boolean isValidForRegion(String nationalNumber, String region) {
		try {
			return UTIL.isValidNumber(UTIL.parse(nationalNumber, region));
		}
		catch (NumberParseException ex) {
			return false;
		}
	}

}
