package dev.onboardingsync.intake;

/**
 * A setting of the source database ({@code intake.table.*}) is wrong: the run ends with exit code
 * 3, since retrying cannot help. The message names the setting.
 */
public class SourceSettingsException extends RuntimeException {

	public SourceSettingsException(String message) {
		super(message);
	}

	public SourceSettingsException(String message, Throwable cause) {
		super(message, cause);
	}

}
