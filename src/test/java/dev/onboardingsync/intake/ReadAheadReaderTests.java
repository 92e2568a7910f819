package dev.onboardingsync.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import dev.onboardingsync.system.RunLogContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class ReadAheadReaderTests {

	static final ProspectValidator VALIDATOR = new ProspectValidator(properties(null));

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

	@TempDir
	private Path directory;

	@Test
	void givesEveryRowValidatedInTheInputsOrderThenItsEnd() throws Exception {
		// given: 25 rows, the tenth's phone invalid
		ReadAheadReader reader = new ReadAheadReader(csv(25, 10), VALIDATOR, 4, CLOSE_TIMEOUT);

		// when
		List<ValidatedRow> rows = new ArrayList<>();
		ValidatedRow pastTheEnd;
		reader.open(new ExecutionContext());
		try {
			for (ValidatedRow row = reader.read(); row != null; row = reader.read()) {
				rows.add(row);
			}
			pastTheEnd = reader.read();
		}
		finally {
			reader.close();
		}

		// then
		assertThat(rows).extracting((row) -> row.row().lineNumber())
			.containsExactlyElementsOf(LongStream.rangeClosed(2, 26).boxed().toList());
		assertThat(rows).filteredOn((row) -> !row.isAccepted())
			.singleElement()
			.satisfies((row) -> assertThat(row.row().value(ProspectField.EXTERNAL_ID)).isEqualTo("r-10"));
		assertThat(pastTheEnd).isNull();
		assertThat(reader.header()).contains("external_id", "phone");
	}

	@Test
	void savesTheInputsStateAfterTheLastRowTakenNotAfterTheRowsReadAhead() throws Exception {
		// given: 40 rows, 10 held ahead at most
		CountingProspectReader input = new CountingProspectReader(csv(40, 0), 14);
		ReadAheadReader reader = new ReadAheadReader(input, VALIDATOR, 10, CLOSE_TIMEOUT);
		ExecutionContext saved = new ExecutionContext();

		// when: the step takes 3 rows while the input is read to its 14th (10 held, one waiting for room)
		reader.open(new ExecutionContext());
		try {
			for (int taken = 0; taken < 3; taken++) {
				reader.read();
			}
			assertThat(input.reachedRead.await(30, TimeUnit.SECONDS)).as("read ahead to row 14").isTrue();
			reader.update(saved);
		}
		finally {
			reader.close();
		}

		// then: a restart from that state goes on at the 4th row, none of those read ahead lost
		assertThat(restartedAt(csv(40, 0), saved)).isEqualTo("r-4");
		assertThat(saved.getLong(ReadAheadReader.ROWS_TAKEN)).isEqualTo(3);
	}

	@Test
	void aFailureOfTheInputReachesTheStepAtItsOwnRowAfterTheRowsBeforeIt() throws Exception {
		// given: an input that fails when its 5th row is read
		ReadAheadReader reader = new ReadAheadReader(new CountingProspectReader(csv(20, 0), Integer.MAX_VALUE, 5,
				(read) -> new BadInputException("row " + read + " is malformed")), VALIDATOR, 10, CLOSE_TIMEOUT);

		// when
		List<String> taken = new ArrayList<>();
		reader.open(new ExecutionContext());
		try {
			for (int row = 0; row < 4; row++) {
				taken.add(reader.read().row().value(ProspectField.EXTERNAL_ID));
			}

			// then: the four rows before it, then the same failure, and again if read once more
			assertThat(taken).containsExactly("r-1", "r-2", "r-3", "r-4");
			assertThatThrownBy(reader::read).isInstanceOf(BadInputException.class).hasMessage("row 5 is malformed");
			assertThatThrownBy(reader::read).isInstanceOf(BadInputException.class);
		}
		finally {
			reader.close();
		}
	}

	@Test
	void anErrorOrAnInterruptOfTheInputReachesTheStepRatherThanLeavingItWaiting() throws Exception {
		// given: inputs that throw an Error, and an InterruptedException, at their 3rd read
		ReadAheadReader error = new ReadAheadReader(new CountingProspectReader(csv(10, 0), Integer.MAX_VALUE, 3,
				(read) -> {
					throw new ExceptionInInitializerError("read " + read);
				}), VALIDATOR, 10, CLOSE_TIMEOUT);
		ReadAheadReader interrupted = new ReadAheadReader(new CountingProspectReader(csv(10, 0), Integer.MAX_VALUE, 3,
				(read) -> new InterruptedException("read " + read)), VALIDATOR, 10, CLOSE_TIMEOUT);

		// then: each after the rows before it
		for (ReadAheadReader reader : List.of(error, interrupted)) {
			reader.open(new ExecutionContext());
			try {
				assertThat(reader.read()).isNotNull();
				assertThat(reader.read()).isNotNull();
				assertThatThrownBy(reader::read).hasMessage("read 3");
			}
			finally {
				reader.close();
			}
		}
	}

	@Test
	void closingStopsReadingAheadWhileItWaitsForTheStepAndClosesTheInput() throws Exception {
		// given: 100 rows, 2 held ahead, the step taking one
		CountingProspectReader input = new CountingProspectReader(csv(100, 0), 4);
		ReadAheadReader reader = new ReadAheadReader(input, VALIDATOR, 2, CLOSE_TIMEOUT);
		reader.open(new ExecutionContext());
		reader.read();
		assertThat(input.reachedRead.await(30, TimeUnit.SECONDS)).as("waiting with its queue full").isTrue();

		// when
		reader.close();

		// then: nothing read after it was closed, and the input closed
		assertThat(input.reads.get()).isEqualTo(4);
		assertThat(input.closed).isTrue();
	}

	@Test
	void closingOnAnInterruptedThreadStillClosesTheInput() throws Exception {
		// given
		CountingProspectReader input = new CountingProspectReader(csv(100, 0), 4);
		ReadAheadReader reader = new ReadAheadReader(input, VALIDATOR, 2, CLOSE_TIMEOUT);
		reader.open(new ExecutionContext());
		reader.read();

		// when
		Thread.currentThread().interrupt();
		try {
			reader.close();
		}
		finally {
			// then: the step's thread keeps its interrupt (cleared here for the next test)
			assertThat(Thread.interrupted()).isTrue();
		}
		assertThat(input.closed).isTrue();
	}

	@Test
	void anInputThatFailsToOpenIsClosedAllTheSame() throws Exception {
		// given: a file without the columns a prospect needs
		Path file = Files.writeString(this.directory.resolve("wrong-header.csv"), "name,city\nAda,London\n");
		CountingProspectReader input = new CountingProspectReader(InputReaders.reader(file.toString(), properties(null)), 1);
		ReadAheadReader reader = new ReadAheadReader(input, VALIDATOR, 2, CLOSE_TIMEOUT);

		// when
		assertThatThrownBy(() -> reader.open(new ExecutionContext())).hasRootCauseInstanceOf(BadInputException.class);
		reader.close();

		// then: as Spring Batch closes a stream whose opening failed
		assertThat(input.closed).isTrue();
		assertThat(input.reads.get()).isZero();
	}

	@Test
	void readsAheadInTheRunsLoggingContext() throws Exception {
		// given
		CountingProspectReader input = new CountingProspectReader(csv(3, 0), 1);
		ReadAheadReader reader = new ReadAheadReader(input, VALIDATOR, 2, CLOSE_TIMEOUT);

		// when
		MDC.put(RunLogContext.RUN_ID, "42");
		try {
			reader.open(new ExecutionContext());
			reader.read();
		}
		finally {
			MDC.remove(RunLogContext.RUN_ID);
			reader.close();
		}

		// then
		assertThat(input.runInContext).isEqualTo("42");
	}

	/** The external id of the first row a reader opened with the saved state gives. */
	static String restartedAt(ProspectReader input, ExecutionContext saved) throws Exception {
		ReadAheadReader restarted = new ReadAheadReader(input, VALIDATOR, 10, CLOSE_TIMEOUT);
		restarted.open(saved);
		try {
			return restarted.read().row().value(ProspectField.EXTERNAL_ID);
		}
		finally {
			restarted.close();
		}
	}

	static IntakeProperties properties(IntakeProperties.SourceTable table) {
		return new IntakeProperties(",", null, new IntakeProperties.Defaults("+86", "+86", null, 3, 1, List.of("USDT:1")),
				Map.of(), "os-",
				(table != null) ? table
						: new IntakeProperties.SourceTable(null, null, null, null, null, "external_id", 500),
				Set.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE));
	}

	// A file of rows r-1..r-n, the one given (1-based, 0 for none) with an invalid phone.
	private ProspectReader csv(int rows, int invalid) throws IOException {
		StringBuilder text = new StringBuilder("external_id,phone,country\n");
		for (int row = 1; row <= rows; row++) {
			text.append("r-").append(row).append(',').append((row == invalid) ? "12" : "138" + String.format("%08d", row))
				.append(",CN\n");
		}
		Path file = Files.writeString(Files.createTempFile(this.directory, "rows", ".csv"), text);
		return InputReaders.reader(file.toString(), properties(null));
	}

}
