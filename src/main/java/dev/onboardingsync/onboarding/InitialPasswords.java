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

	private final SecureRandom random = new SecureRandom();

	String newPasswordMd5() {
		char[] password = new char[LENGTH];
		for (int i = 0; i < LENGTH; i++) {
			password[i] = ALPHABET.charAt(this.random.nextInt(ALPHABET.length()));
		}
		return md5Hex(new String(password));
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
