package dev.onboardingsync.onboarding;

import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * A note that could not be written fails its create, however the write failed, and the next note
 * is written: no group is left holding the writer's turn.
 */
class CreateSentNotesTests {

	private final Ledger ledger = mock(Ledger.class);

	private final CreateSentNotes notes = new CreateSentNotes(this.ledger);

	@Test
	void aNoteTheDatabaseRefusedFailsItsCreateAndTheNextNoteIsWritten() {
		given(this.ledger.noteCreatesSent(any())).willThrow(new DataAccessResourceFailureException("database down"))
			.willReturn(Set.of(2L));

		assertThatThrownBy(() -> this.notes.note(1L)).isInstanceOf(DataAccessResourceFailureException.class)
			.hasMessage("database down");
		assertThat(this.notes.note(2L)).isTrue();
	}

	@Test
	void aNoteWhoseWriteFailedWithAnErrorFailsItsCreateAndTheNextNoteIsWritten() {
		given(this.ledger.noteCreatesSent(any())).willThrow(new OutOfMemoryError("heap")).willReturn(Set.of());

		assertThatThrownBy(() -> this.notes.note(1L)).isInstanceOf(OutOfMemoryError.class);
		// and a prospect already noted by an earlier attempt says so
		assertThat(this.notes.note(2L)).isFalse();
	}

}
