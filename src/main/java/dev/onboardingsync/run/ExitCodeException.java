package dev.onboardingsync.run;

/** Ends the command with a given exit code and message, before or instead of a run. */
class ExitCodeException extends RuntimeException {

	private final ExitCodes exitCode;

	ExitCodeException(ExitCodes exitCode, String message) {
		super(message);
		this.exitCode = exitCode;
	}

	ExitCodes exitCode() {
		return this.exitCode;
	}

}
