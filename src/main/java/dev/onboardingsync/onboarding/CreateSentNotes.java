package dev.onboardingsync.onboarding;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Notes creates about to be sent ({@link Ledger#noteCreatesSent}) for many API threads at once,
 * as a group commit: a thread that finds no note being written writes its own and every other
 * waiting one in one statement and one transaction; the threads that arrive meanwhile wait for
 * the next one. Each thread returns only once its own note is committed (or throws, and then sends
 * nothing), so a create is still noted before it is sent; the ledger's cost per create falls from one transaction to one per
 * group (the onboard step's profile put a committed note per prospect at most of its JDBC time,
 * issue 13). Kept by hand, in a few lines, as no library at hand commits a group of rows for
 * waiting threads.
 */
final class CreateSentNotes {

	private final Ledger ledger;

	private final Object lock = new Object();

	private List<Note> waiting = new ArrayList<>();

	private boolean writing;

	CreateSentNotes(Ledger ledger) {
		this.ledger = ledger;
	}

	/**
	 * Notes that a create for the prospect is about to be sent, and waits until it is committed.
	 * @return false when the prospect was already {@code UNCERTAIN}: an earlier create may have been sent
	 * @throws org.springframework.dao.DataAccessException if the note could not be committed (the
	 * create must not be sent)
	 */
	boolean note(long prospectId) {
		Note note = new Note(prospectId);
		List<Note> group;
		synchronized (this.lock) {
			this.waiting.add(note);
			while (this.writing && !note.done) {
				waitForGroup(note);
			}
			if (note.done) {
				return note.result();
			}
			this.writing = true;
			group = this.waiting;
			this.waiting = new ArrayList<>();
		}
		Set<Long> marked = null;
		RuntimeException failure = null;
		try {
			marked = new HashSet<>(this.ledger.noteCreatesSent(group.stream().map(Note::prospectId).toList()));
		}
		catch (RuntimeException ex) {
			failure = ex;
		}
		finally {
			// Whatever happened (an Error too: neither marked nor failed), the group is done and the next
			// writer may go. The failure of an Error is made only then: an exception made for every group
			// in case one fails filled in its stack trace each time (issue 13).
			if (marked == null && failure == null) {
				failure = new IllegalStateException("The note of a create could not be written; it was not sent");
			}
			synchronized (this.lock) {
				for (Note noted : group) {
					noted.done = true;
					noted.failure = failure;
					// The first note of a prospect marked it; a second one in the same group found it marked.
					noted.marked = (marked != null) && marked.remove(noted.prospectId);
				}
				this.writing = false;
				this.lock.notifyAll();
			}
		}
		return note.result();
	}

	// Called holding the lock. An interrupted thread takes its note back unless a group is being
	// written with it (then it may be committed: the prospect is UNCERTAIN, which is safe).
	private void waitForGroup(Note note) {
		try {
			this.lock.wait();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.waiting.remove(note);
			throw new IllegalStateException("Interrupted while noting a create; it was not sent", ex);
		}
	}

	private static final class Note {

		private final long prospectId;

		private boolean done;

		private boolean marked;

		private RuntimeException failure;

		Note(long prospectId) {
			this.prospectId = prospectId;
		}

		long prospectId() {
			return this.prospectId;
		}

		boolean result() {
			if (this.failure != null) {
				throw this.failure;
			}
			return this.marked;
		}

	}

}
