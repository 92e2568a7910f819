package dev.onboardingsync.intake;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.onboardingsync.system.RunLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads and validates the input on a thread of its own, ahead of the step that stages it: the next
 * rows are read and validated while the step's thread writes a chunk and waits on the database, where
 * the two took turns (issue 13: staging was a serial pipeline, about 4 s of the step thread's CPU and
 * then 4 s of PostgreSQL's per 100,000 rows; BENCHMARKS.md, "Reading ahead"). It holds at most
 * {@code capacity} rows ahead of the step, and reads one more while it waits for room.
 * <p>
 * A restart stays exact: the state saved with each chunk ({@link #update}) is the input reader's as it
 * was right after the last row the step took, not after the rows read ahead, so the same command reads
 * again every row no committed chunk holds. A failure of the input reader or of the validation (a
 * malformed file, a lost source) reaches the step at its own row, after the rows before it, as the
 * same exception it was when the step read itself.
 * <p>
 * Spring Batch has no read-ahead of its own: its concurrent chunk processing
 * ({@code ChunkOrientedStepBuilder.taskExecutor}) processes one chunk's items in parallel and still
 * writes after them, so the database and the validation would still take turns.
 */
public class ReadAheadReader implements ItemStreamReader<ValidatedRow> {

	/**
	 * Rows the step took in all its executions of the run, in the step's execution context: where a
	 * resumed step's progress goes on from (a fresh user's try read 87,500/120,000 at the end of a
	 * resumed staging, issue 13). Absent from contexts saved before it was kept.
	 */
	public static final String ROWS_TAKEN = "readAhead.rowsTaken";

	private static final Logger logger = LoggerFactory.getLogger(ReadAheadReader.class);

	private final ProspectReader input;

	private final ProspectValidator validator;

	private final BlockingQueue<Ahead> ahead;

	private final Duration closeTimeout;

	// Closed once: by close(), or, if it gave up waiting, by the thread reading ahead as it ends.
	private final AtomicBoolean inputOpen = new AtomicBoolean();

	private Thread thread;

	private volatile boolean closing;

	// Set when close() gave up waiting for a read under way: the reading thread closes the input as it ends.
	private volatile boolean abandoned;

	// The input reader's state right after the last row the step took (or as opened).
	private ExecutionContext taken;

	// The end of the input, or its failure, once the step reached it.
	private Ahead last;

	private long rowsTaken;

	/**
	 * @param input the rows, opened, read and closed by this reader only
	 * @param validator validates each row as it is read ahead; stateless and thread-safe
	 * @param capacity rows held ahead at most: a chunk's worth lets the next chunk be read while one is
	 * written
	 * @param closeTimeout how long {@link #close} waits for a read under way (a source table's page
	 * query) before it lets the reading thread close the input itself when it ends
	 */
	public ReadAheadReader(ProspectReader input, ProspectValidator validator, int capacity, Duration closeTimeout) {
		this.input = input;
		this.validator = validator;
		this.ahead = new ArrayBlockingQueue<>(capacity);
		this.closeTimeout = closeTimeout;
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
		// Closed by close() even if its opening fails half-way (a file opened, its header wrong), as when the
		// step held the input itself.
		this.inputOpen.set(true);
		this.input.open(executionContext);
		this.taken = state();
		this.rowsTaken = executionContext.getLong(ROWS_TAKEN, 0L);
		this.closing = false;
		this.abandoned = false;
		this.last = null;
		this.thread = new Thread(RunLogContext.taskDecorator().decorate(this::readAhead), "read-ahead");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * The next validated row, in the input's order; {@code null} at its end.
	 * @throws Exception the input's or the validation's failure at this row, again at every later call
	 */
	@Override
	public ValidatedRow read() throws Exception {
		Ahead next = (this.last != null) ? this.last : next();
		if (next.failure() != null) {
			this.last = next;
			if (next.failure() instanceof Exception exception) {
				throw exception;
			}
			if (next.failure() instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(next.failure());
		}
		this.taken = next.state();
		if (next.row() == null) {
			this.last = next;
		}
		else {
			this.rowsTaken++;
		}
		return next.row();
	}

	// Waits for the next row; should the thread reading ahead have ended without handing over a row, the
	// end or a failure (a failure while it handed one over), the step fails rather than waiting forever.
	private Ahead next() throws InterruptedException {
		while (true) {
			Ahead next = this.ahead.poll(1, TimeUnit.SECONDS);
			if (next != null) {
				return next;
			}
			if (!this.thread.isAlive() && this.ahead.isEmpty()) {
				throw new IllegalStateException("The input's reading ahead ended without handing over a row, the input's"
						+ " end or a failure. Nothing is lost: run the same command again.");
			}
		}
	}

	/** The input reader's state after the last row taken, and the rows taken ({@link #ROWS_TAKEN}). */
	@Override
	public void update(ExecutionContext executionContext) {
		this.taken.entrySet().forEach((entry) -> executionContext.put(entry.getKey(), entry.getValue()));
		executionContext.putLong(ROWS_TAKEN, this.rowsTaken);
	}

	/**
	 * Stops reading ahead, then closes the input. A read under way is interrupted where it can be (a
	 * file's); one that cannot (a source table's page query) is waited for up to the close timeout, after
	 * which the reading thread closes the input itself when the read ends.
	 */
	@Override
	public void close() {
		this.closing = true;
		if (this.thread != null) {
			this.thread.interrupt();
			boolean interrupted = false;
			long deadline = System.nanoTime() + this.closeTimeout.toNanos();
			while (this.thread.isAlive() && System.nanoTime() < deadline) {
				try {
					this.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
				}
				catch (InterruptedException ex) {
					// The input is closed all the same; the step's thread keeps its interrupt.
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
			if (this.thread.isAlive()) {
				this.abandoned = true;
				if (this.thread.isAlive()) {
					logger.warn("The input's read under way did not end within {}; the input is closed when it does",
							this.closeTimeout);
					return;
				}
			}
			this.thread = null;
		}
		this.ahead.clear();
		closeInput();
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
		catch (Throwable ex) {
			// Any failure, an Error or an interrupt from the input too, reaches the step, which would
			// otherwise wait for a row; an interrupt while closing is the close.
			handOver(ex);
		}
		finally {
			if (this.abandoned) {
				closeInput();
			}
		}
	}

	private void handOver(Throwable failure) {
		try {
			if (!this.closing) {
				this.ahead.put(new Ahead(null, null, failure));
			}
		}
		catch (InterruptedException ex) {
			// Closed meanwhile: no step waits for it.
		}
	}

	private void closeInput() {
		if (this.inputOpen.compareAndSet(true, false)) {
			this.input.close();
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
