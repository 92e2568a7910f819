package dev.onboardingsync.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ReadAheadReaderTests {

	private static final ProspectValidator VALIDATOR = new ProspectValidator(new IntakeProperties(",", null,
			new IntakeProperties.Defaults("+86", "+86", null, 3, 1, List.of("USDT:1")), Map.of(),
			"os-", new IntakeProperties.SourceTable(null, null, null, null, null, "external_id", 500),
			Set.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)));

	@TempDir
	private Path directory;

	@Test
	void givesEveryRowValidatedInTheInputsOrderThenItsEnd() throws Exception {
		// given: 25 rows, the tenth's phone invalid
		ReadAheadReader reader = new ReadAheadReader(csv(25, 10), VALIDATOR, 4);

		// when
		reader.open(new ExecutionContext());
		List<ValidatedRow> rows = new ArrayList<>();
		for (ValidatedRow row = reader.read(); row != null; row = reader.read()) {
			rows.add(row);
		}
		ValidatedRow pastTheEnd = reader.read();
		reader.close();

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
		Counting input = new Counting(csv(40, 0), 14, Integer.MAX_VALUE);
		ReadAheadReader reader = new ReadAheadReader(input, VALIDATOR, 10);
		reader.open(new ExecutionContext());

		// when: the step takes 3 rows while the input is read ahead to its 14th (10 held, one waiting)
		for (int taken = 0; taken < 3; taken++) {
			reader.read();
		}
		assertThat(input.reachedRow.await(30, TimeUnit.SECONDS)).as("read ahead to row 14").isTrue();
		ExecutionContext saved = new ExecutionContext();
		reader.update(saved);
		reader.close();

		// then: a restart from that state goes on at the 4th row, the 4 ahead of it not lost
		ReadAheadReader restarted = new ReadAheadReader(csv(40, 0), VALIDATOR, 10);
		restarted.open(saved);
		ValidatedRow next = restarted.read();
		restarted.close();
		assertThat(input.reads.get()).isGreaterThanOrEqualTo(14);
		assertThat(next.row().value(ProspectField.EXTERNAL_ID)).isEqualTo("r-4");
	}

	@Test
	void aFailureOfTheInputReachesTheStepAtItsOwnRowAfterTheRowsBeforeIt() throws Exception {
		// given: an input that fails when its 5th row is read
		ReadAheadReader reader = new ReadAheadReader(new Counting(csv(20, 0), Integer.MAX_VALUE, 5), VALIDATOR, 10);
		reader.open(new ExecutionContext());

		// when
		List<String> taken = new ArrayList<>();
		for (int row = 0; row < 4; row++) {
			taken.add(reader.read().row().value(ProspectField.EXTERNAL_ID));
		}

		// then: the four rows before it, then the failure, and again if read once more
		assertThat(taken).containsExactly("r-1", "r-2", "r-3", "r-4");
		assertThatThrownBy(reader::read).isInstanceOf(BadInputException.class).hasMessageContaining("row 5");
		assertThatThrownBy(reader::read).isInstanceOf(BadInputException.class);
		reader.close();
	}

	@Test
	void closingStopsReadingAheadWhileItWaitsForTheStepAndClosesTheInput() throws Exception {
		// given: 100 rows, 2 held ahead, the step taking one
		Counting input = new Counting(csv(100, 0), 4, Integer.MAX_VALUE);
		ReadAheadReader reader = new ReadAheadReader(input, VALIDATOR, 2);
		reader.open(new ExecutionContext());
		reader.read();
		assertThat(input.reachedRow.await(30, TimeUnit.SECONDS)).as("waiting with its queue full").isTrue();

		// when
		assertTimeoutPreemptively(Duration.ofSeconds(30), reader::close);

		// then: nothing read after it was closed, and the input closed
		int readsWhenClosed = input.reads.get();
		assertThat(input.closed).isTrue();
		assertThat(readsWhenClosed).isEqualTo(4);
	}

	// A file of rows r-1..r-n, the one given (1-based, 0 for none) with an invalid phone.
	private ProspectReader csv(int rows, int invalid) throws IOException {
		StringBuilder text = new StringBuilder("external_id,phone,country\n");
		for (int row = 1; row <= rows; row++) {
			text.append("r-").append(row).append(',').append((row == invalid) ? "12" : "138" + String.format("%08d", row))
				.append(",CN\n");
		}
		Path file = Files.writeString(Files.createTempFile(this.directory, "rows", ".csv"), text);
		Map<ProspectField, String> columns = new EnumMap<>(ProspectField.class);
		for (ProspectField field : ProspectField.values()) {
			columns.put(field, field.defaultColumn());
		}
		return new CsvProspectReader(file, ',', columns);
	}

	// An input that counts its reads, signals when it reaches a row, and may fail at one.
	private static final class Counting implements ProspectReader {

		private final ProspectReader input;

		private final int signalAt;

		private final int failAt;

		private final CountDownLatch reachedRow = new CountDownLatch(1);

		private final AtomicInteger reads = new AtomicInteger();

		private volatile boolean closed;

		private Counting(ProspectReader input, int signalAt, int failAt) {
			this.input = input;
			this.signalAt = signalAt;
			this.failAt = failAt;
		}

		@Override
		public InputRow read() throws Exception {
			int read = this.reads.incrementAndGet();
			if (read == this.failAt) {
				throw new BadInputException("row " + read + " is malformed");
			}
			InputRow row = this.input.read();
			if (read == this.signalAt) {
				this.reachedRow.countDown();
			}
			return row;
		}

		@Override
		public List<String> header() {
			return this.input.header();
		}

		@Override
		public void open(ExecutionContext executionContext) {
			this.input.open(executionContext);
		}

		@Override
		public void update(ExecutionContext executionContext) {
			this.input.update(executionContext);
		}

		@Override
		public void close() {
			this.closed = true;
			this.input.close();
		}

	}

}
