package dev.onboardingsync.intake;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import dev.onboardingsync.system.RunLogContext;
import org.slf4j.MDC;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * An input that counts its reads, signals when it reaches a read, and may fail at one: a test's view
 * of how far {@link ReadAheadReader} read ahead.
 */
final class CountingProspectReader implements ProspectReader {

	final CountDownLatch reachedRead = new CountDownLatch(1);

	final AtomicInteger reads = new AtomicInteger();

	volatile boolean closed;

	// The logging context the reads saw.
	volatile String runInContext;

	private final ProspectReader input;

	private final int signalAt;

	private final int failAt;

	private final IntFunction<Exception> failure;

	/**
	 * @param signalAt the read (1-based) that counts {@link #reachedRead} down
	 * @param failAt the read that throws what {@code failure} gives for it
	 */
	CountingProspectReader(ProspectReader input, int signalAt, int failAt, IntFunction<Exception> failure) {
		this.input = input;
		this.signalAt = signalAt;
		this.failAt = failAt;
		this.failure = failure;
	}

	CountingProspectReader(ProspectReader input, int signalAt) {
		this(input, signalAt, Integer.MAX_VALUE, null);
	}

	@Override
	public InputRow read() throws Exception {
		int read = this.reads.incrementAndGet();
		this.runInContext = MDC.get(RunLogContext.RUN_ID);
		if (read == this.failAt) {
			throw this.failure.apply(read);
		}
		InputRow row = this.input.read();
		if (read == this.signalAt) {
			this.reachedRead.countDown();
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
