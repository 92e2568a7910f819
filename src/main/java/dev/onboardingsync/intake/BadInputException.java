package dev.onboardingsync.intake;

/**
 * The input as a whole cannot be read: a missing file, a wrong header, a broken CSV structure.
 * Nothing is onboarded from it; the message says what is wrong and how to fix it.
 */
public class BadInputException extends RuntimeException {

	public BadInputException(String message) {
		super(message);
	}

	public BadInputException(String message, Throwable cause) {
		super(message, cause);
	}

}
