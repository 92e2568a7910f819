package dev.onboardingsync.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The {@code thirdServerCode} of a prospect, derived from the source's own id so that the same
 * prospect has the same code in every run (the platform's idempotency key). It is the prefix and
 * the external id when that fits the platform's 50 characters in plain characters; otherwise the
 * prefix, {@code h-} and as many hex digits of the id's SHA-256 as fit in the 50 (at least 38).
 */
final class ThirdServerCodes {

	public static final int MAX_LENGTH = 50;

	private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]+");

	private ThirdServerCodes() {
	}

	public static String of(String prefix, String externalId) {
		String plain = prefix + externalId;
		if (plain.length() <= MAX_LENGTH && PLAIN.matcher(externalId).matches()) {
			return plain;
		}
		return prefix + "h-" + sha256Hex(externalId).substring(0, MAX_LENGTH - prefix.length() - 2);
	}

	private static String sha256Hex(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
