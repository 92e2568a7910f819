package dev.onboardingsync.system;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data before it reaches a log: phones keep their first three and last two digits,
 * emails their first character and domain. {@link #maskText} masks both wherever they appear in
 * free text, such as a platform's error message.
 */
public final class Masking {

	private static final Pattern EMAIL = Pattern.compile("[^\\s@\"',;:<>()\\[\\]]+@[^\\s@\"',;:<>()\\[\\]]+");

	// Seven or more digits, possibly grouped by spaces or dashes: long enough to be a phone number.
	private static final Pattern PHONE = Pattern.compile("\\+?\\d(?:[\\s-]?\\d){6,}");

	private Masking() {
	}

	public static String maskPhone(String phone) {
		if (phone == null || phone.isEmpty()) {
			return phone;
		}
		int length = phone.length();
		if (length < 7) {
			return "*".repeat(length);
		}
		return phone.substring(0, 3) + "*".repeat(length - 5) + phone.substring(length - 2);
	}

	public static String maskEmail(String email) {
		if (email == null || email.isEmpty()) {
			return email;
		}
		int at = email.lastIndexOf('@');
		if (at <= 0) {
			return "*".repeat(email.length());
		}
		return email.charAt(0) + "***" + email.substring(at);
	}

	/** Masks a login name that is either an email or a phone. */
	public static String mask(String loginName) {
		return (loginName != null && loginName.indexOf('@') >= 0) ? maskEmail(loginName) : maskPhone(loginName);
	}

	public static String maskText(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String masked = replaceAll(EMAIL.matcher(text), true);
		return replaceAll(PHONE.matcher(masked), false);
	}

	private static String replaceAll(Matcher matcher, boolean email) {
		StringBuilder out = new StringBuilder();
		while (matcher.find()) {
			String found = matcher.group();
			matcher.appendReplacement(out, Matcher.quoteReplacement(email ? maskEmail(found) : maskPhone(found)));
		}
		matcher.appendTail(out);
		return out.toString();
	}

}
