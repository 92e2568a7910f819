package dev.onboardingsync.intake;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import dev.onboardingsync.system.RunLogContext;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads and validates the input on a thread of its own, ahead of the step that stages it: the next
 * rows are read and validated while the step's thread writes a chunk and waits on the database, where
 * the two took turns (issue 13: staging was a serial pipeline, about 4 s of the step thread's CPU and
 * then 4 s of PostgreSQL's per 100,000 rows, BENCHMARKS.md, "Staging"). At most {@code capacity} rows
 * are held ahead.
 * <p>
 * A restart stays exact: the state saved with each chunk ({@link #update}) is the input reader's as it
 * was right after the last row the step took, not after the rows read ahead, so the same command reads
 * again every row no committed chunk holds. A failure of the input reader (a malformed file, a lost
 * source) reaches the step at its own row, after the rows before it, as it did when the step read
 * itself.
 * <p>
 * Spring Batch has no read-ahead of its own: its concurrent chunk processing
 * ({@code ChunkOrientedStepBuilder.taskExecutor}) processes one chunk's items in parallel and still
 * writes after them, so the database and the validation would still take turns.
 */
public class ReadAheadReader implements ItemStreamReader<ValidatedRow> {

	private final ProspectReader input;

	private final ProspectValidator validator;

	private final BlockingQueue<Ahead> ahead;

	private Thread thread;

	private volatile boolean closing;

	// The input reader's state right after the last row the step took (or as opened).
	private ExecutionContext taken;

	// The end of the input, or its failure, once the step reached it.
	private Ahead last;

	/**
	 * @param input the rows, opened, read and closed by this reader only
	 * @param validator validates each row as it is read ahead
	 * @param capacity rows held ahead at most: a chunk's worth lets the next chunk be read while one is
	 * written
	 */
	public ReadAheadReader(ProspectReader input, ProspectValidator validator, int capacity) {
		this.input = input;
		this.validator = validator;
		this.ahead = new ArrayBlockingQueue<>(capacity);
	}

	/** The input's column names in their order, once opened ({@link ProspectReader#header()}). */
	public List<String> header() {
		return this.input.header();
	}

	/**
	 * Opens the input on the caller's thread (so that a missing file or a wrong header fails the step
	 * as before), then starts reading ahead.
	 */
	@Override
	public void open(ExecutionContext executionContext) {
		this.input.open(executionContext);
		this.taken = state();
		this.closing = false;
		this.last = null;
		this.thread = new Thread(RunLogContext.taskDecorator().decorate(this::readAhead), "read-ahead");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** The next validated row, in the input's order; {@code null} at its end. */
	@Override
	public ValidatedRow read() throws Exception {
		Ahead next = (this.last != null) ? this.last : this.ahead.take();
		if (next.failure() != null) {
			this.last = next;
			if (next.failure() instanceof Error error) {
				throw error;
			}
			throw (Exception) next.failure();
		}
		this.taken = next.state();
		if (next.row() == null) {
			this.last = next;
		}
		return next.row();
	}

	/** The input reader's state after the last row taken. */
	@Override
	public void update(ExecutionContext executionContext) {
		this.taken.entrySet().forEach((entry) -> executionContext.put(entry.getKey(), entry.getValue()));
	}

	/** Stops reading ahead (a read under way ends first), then closes the input. */
	@Override
	public void close() {
		this.closing = true;
		if (this.thread != null) {
			this.thread.interrupt();
			try {
				this.thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ItemStreamException("Interrupted while the input's reading ahead stopped", ex);
			}
			this.thread = null;
		}
		this.ahead.clear();
		this.input.close();
	}

	private void readAhead() {
		try {
			while (!this.closing) {
				InputRow row = this.input.read();
				ValidatedRow validated = (row != null) ? this.validator.process(row) : null;
				this.ahead.put(new Ahead(validated, state(), null));
				if (row == null) {
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			// Closed while the step had not taken what was read: nothing more to read.
		}
		catch (Throwable ex) {
			// Any failure, an Error too, reaches the step, which would otherwise wait for a row forever.
			try {
				if (!this.closing) {
					this.ahead.put(new Ahead(null, null, ex));
				}
			}
			catch (InterruptedException interrupted) {
				// Closed meanwhile: no step waits for it.
			}
		}
	}

	private ExecutionContext state() {
		ExecutionContext state = new ExecutionContext();
		this.input.update(state);
		return state;
	}

	/** A row read ahead with the input's state after it, or the end (no row), or a failure. */
	private record Ahead(ValidatedRow row, ExecutionContext state, Throwable failure) {
	}

}
