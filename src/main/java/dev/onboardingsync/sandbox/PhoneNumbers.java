package dev.onboardingsync.sandbox;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Phones as the platform compares them: the national significant number within its area code.
 */
final class PhoneNumbers {

	static final String DEFAULT_AREA = "+86";

	private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

	private PhoneNumbers() {
	}

	/** The comparison key, or {@code null} when the phone is not a valid number of that area. */
	static String key(String phoneArea, String phone) {
		PhoneNumber number = parse(phoneArea, phone);
		return (number != null) ? number.getCountryCode() + ":" + UTIL.getNationalSignificantNumber(number) : null;
	}

	static PhoneNumber parse(String phoneArea, String phone) {
		int countryCode = countryCode(phoneArea);
		if (countryCode <= 0 || phone == null || phone.isBlank()) {
			return null;
		}
		try {
			PhoneNumber number = UTIL.parse(phone, UTIL.getRegionCodeForCountryCode(countryCode));
			return (number.getCountryCode() == countryCode && UTIL.isValidNumber(number)) ? number : null;
		}
		catch (NumberParseException ex) {
			return null;
		}
	}

	/** {@code +86} or {@code 86} to 86; 0 when it is no known calling code. */
	static int countryCode(String phoneArea) {
		if (phoneArea == null) {
			return 0;
		}
		String digits = phoneArea.trim().startsWith("+") ? phoneArea.trim().substring(1) : phoneArea.trim();
		if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(Character::isDigit)) {
			return 0;
		}
		int code = Integer.parseInt(digits);
		return UTIL.getSupportedCallingCodes().contains(code) ? code : 0;
	}

	static boolean isValidForRegion(String nationalNumber, String region) {
		try {
			return UTIL.isValidNumber(UTIL.parse(nationalNumber, region));
		}
		catch (NumberParseException ex) {
			return false;
		}
	}

}
