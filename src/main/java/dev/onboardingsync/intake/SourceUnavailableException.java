package dev.onboardingsync.intake;

/**
 * The source database ({@code intake.table.url}) cannot be reached now: the run ends with exit
 * code 1, worth running again once it answers (issue 8). The message says so and names the setting.
 */
public class SourceUnavailableException extends RuntimeException {

	public SourceUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
