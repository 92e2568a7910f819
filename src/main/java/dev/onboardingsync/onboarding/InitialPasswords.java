package dev.onboardingsync.onboarding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A random initial login password per account, from a secure generator, handed over only as the
 * MD5 hex the platform asks for. Neither the password nor its hash is stored or logged: the
 * customer sets their own through the platform's reset flow.
 */
final class InitialPasswords {

	private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%";

	private static final int LENGTH = 20;

	// The largest multiple of the alphabet's size that a byte can hold: bytes from it up are drawn
	// again, so that every character is equally likely (rejection sampling).
	private static final int UNBIASED_BOUND = 256 - (256 % ALPHABET.length());

	private final SecureRandom random = new SecureRandom();

	String newPasswordMd5() {
		return md5Hex(new String(newPassword()));
	}

	/**
	 * {@value #LENGTH} characters drawn uniformly from the alphabet. The bytes are drawn from the one
	 * generator a batch at a time, not a call per character: every API thread shares it, and twenty
	 * calls a create were a twelfth of the onboard step's API threads' CPU (JFR, issue 13).
	 */
	char[] newPassword() {
		char[] password = new char[LENGTH];
		byte[] bytes = new byte[LENGTH + LENGTH / 2];
		int filled = 0;
		while (filled < LENGTH) {
			this.random.nextBytes(bytes);
			for (int i = 0; i < bytes.length && filled < LENGTH; i++) {
				int value = bytes[i] & 0xFF;
				if (value < UNBIASED_BOUND) {
					password[filled++] = ALPHABET.charAt(value % ALPHABET.length());
				}
			}
		}
		return password;
	}

	static String md5Hex(String value) {
		try {
			// MD5 because the platform's API asks for it; it protects nothing here, the password is random.
			return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has MD5", ex);
		}
	}

}
