package dev.onboardingsync.run;

/** A setting or argument is missing or wrong; the message names it and its expected form. */
public class BadConfigurationException extends RuntimeException {

	public BadConfigurationException(String message) {
		super(message);
	}

}
