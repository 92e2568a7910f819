package dev.onboardingsync.system;

import java.time.Duration;
import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Logs a step's progress at most once per interval, after a chunk is written (or when a tasklet
 * calls {@link #logIfDue}): done of total, items per second and the time left at that rate. The
 * chunk being written counts as done: Spring Batch 6 applies a chunk's counts to the step execution
 * only after its write listeners and chunk listeners have run ({@code ChunkOrientedStep}), so a line
 * from the step execution alone would lag a chunk.
 */
public class ProgressLogger implements StepExecutionListener, ItemWriteListener<Object> {

	private static final Logger logger = LoggerFactory.getLogger(ProgressLogger.class);

	private final String what;

	private final ToLongFunction<StepExecution> total;

	private final Duration interval;

	private StepExecution stepExecution;

	private long totalItems;

	private long startNanos;

	private long lastLogNanos;

	private final ToLongFunction<StepExecution> doneBefore;

	private long before;

	private long doneAtStart;

	/** @param total counted when the step starts; less than 0 when unknown */
	public ProgressLogger(String what, ToLongFunction<StepExecution> total, Duration interval) {
		this(what, total, (step) -> 0L, interval);
	}

	/**
	 * @param total counted when the step starts, over all the step's executions; less than 0 when unknown
	 * @param doneBefore what the step's earlier executions of the run did, when this one starts (a resumed
	 * step's count goes on from it)
	 */
	public ProgressLogger(String what, ToLongFunction<StepExecution> total, ToLongFunction<StepExecution> doneBefore,
			Duration interval) {
		this.what = what;
		this.total = total;
		this.doneBefore = doneBefore;
		this.interval = interval;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.stepExecution = stepExecution;
		this.totalItems = this.total.applyAsLong(stepExecution);
		this.startNanos = System.nanoTime();
		this.lastLogNanos = this.startNanos;
		this.before = this.doneBefore.applyAsLong(stepExecution);
		this.doneAtStart = this.before + stepExecution.getWriteCount();
	}

	@Override
	public void afterWrite(Chunk<?> items) {
		logIfDue(items.size());
	}

	/**
	 * Logs the progress if the interval has passed since it was last logged: a tasklet's {@link #afterWrite}.
	 * @param written the items the transaction under way wrote, which its contribution holds and the step
	 * execution does not yet
	 */
	public void logIfDue(long written) {
		long now = System.nanoTime();
		if (now - this.lastLogNanos >= this.interval.toNanos()) {
			this.lastLogNanos = now;
			logger.info("{}", line(now, written, true));
		}
	}

	/** The step's last line, with its status and no time left: a stopped or failed step is not going on. */
	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		logger.info("{} ({})", line(System.nanoTime(), 0, false), stepExecution.getStatus());
		return stepExecution.getExitStatus();
	}

	/**
	 * The progress line at {@code now} ({@link System#nanoTime()}), with {@code written} items not yet
	 * applied, and the time left at the rate if {@code eta}.
	 */
	String line(long now, long written, boolean eta) {
		long done = this.before + this.stepExecution.getWriteCount() + this.stepExecution.getFilterCount() + written;
		double seconds = Math.max(1e-3, (now - this.startNanos) / 1e9);
		double rate = (done - this.doneAtStart) / seconds;
		StringBuilder line = new StringBuilder(this.stepExecution.getStepName()).append(": ").append(done);
		if (this.totalItems >= 0) {
			line.append('/').append(this.totalItems).append(' ').append(this.what);
			// Rounded down: 99,990 of 100,000 is not yet 100.0 %.
			line.append(String.format(" (%.1f%%)",
					(this.totalItems == 0) ? 100.0 : Math.floor(1000.0 * done / this.totalItems) / 10));
		}
		else {
			line.append(' ').append(this.what);
		}
		line.append(String.format(", %.0f %s/s", rate, this.what));
		if (eta && this.totalItems > done && rate > 0) {
			line.append(", ETA ").append(Duration.ofSeconds((long) ((this.totalItems - done) / rate)).toString()
				.substring(2).toLowerCase());
		}
		return line.toString();
	}

}
