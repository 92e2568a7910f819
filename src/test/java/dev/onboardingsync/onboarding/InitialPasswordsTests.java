package dev.onboardingsync.onboarding;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InitialPasswordsTests {

	private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%";

	private final InitialPasswords passwords = new InitialPasswords();

	@Test
	void drawsTwentyCharactersOfTheAlphabetEachAboutEquallyOften() {
		int[] counts = new int[ALPHABET.length()];
		Set<String> drawn = new HashSet<>();
		int draws = 10_000;
		for (int i = 0; i < draws; i++) {
			char[] password = this.passwords.newPassword();
			assertThat(password).hasSize(20);
			for (char character : password) {
				int index = ALPHABET.indexOf(character);
				assertThat(index).as("'%s' is in the alphabet", character).isNotNegative();
				counts[index]++;
			}
			drawn.add(new String(password));
		}
		assertThat(drawn).hasSize(draws);
		// 200,000 characters, about 3,226 of each (a standard deviation of 1.8 %): a plain modulo of a
		// byte would fold 248 to 255 onto the first eight characters and draw them 25 % more often.
		double expected = draws * 20.0 / ALPHABET.length();
		for (int count : counts) {
			assertThat(count).isBetween((int) (expected * 0.92), (int) (expected * 1.08));
		}
	}

	@Test
	void handsOverTheMd5HexOfThePassword() {
		assertThat(InitialPasswords.md5Hex("password")).isEqualTo("5f4dcc3b5aa765d61d8327deb882cf99");
		assertThat(this.passwords.newPasswordMd5()).matches("[0-9a-f]{32}");
	}

}
