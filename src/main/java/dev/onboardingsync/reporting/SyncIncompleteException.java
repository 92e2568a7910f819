package dev.onboardingsync.reporting;

/**
 * A sync that could not prove it read every customer: the platform's list moved in a way paging
 * cannot follow, several times in a row (customers removed while it was read, or a list growing
 * faster than pages can be read). Nothing is wrong with the copy; running the sync again retries,
 * and the exit code is 1 (issue 12).
 */
public class SyncIncompleteException extends RuntimeException {

	SyncIncompleteException(String message) {
		super(message);
	}

}
