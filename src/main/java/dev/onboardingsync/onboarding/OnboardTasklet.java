package dev.onboardingsync.onboarding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.onboardingsync.system.ProgressLogger;
import dev.onboardingsync.system.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.core.task.AsyncTaskExecutor;

/**
 * The onboard step's work. As many workers as calls may be in flight
 * ({@code customer-api.max-concurrency}) each take the next unsettled prospect from the reader and
 * settle it ({@link OnboardingProcessor}), one after another, so that the calls in flight stay at
 * that number from the first prospect to the last: no chunk waits for its slowest item, or for a
 * retry's back-off, before the next prospects go out (issue 13; a chunk-oriented step with a task
 * executor has that barrier in Spring Batch 6).
 * <p>
 * Each execution of this tasklet is one of the step's transactions (a chunk, to Spring Batch): it
 * records in the ledger the settlements done since the last, at most {@code onboard-chunk-size}
 * of them, waiting at most {@link #MAX_WAIT} for them, and checks the run's lock first. Nothing
 * positional is saved: the ledger's status is the process indicator, so a run killed at any point
 * settles on restart what it had not recorded, by a check first where a create was noted.
 * <p>
 * However the step ends (a failure: a call whose retries are spent, the database, the lock; a stop:
 * {@code JobOperator.stop}, SIGTERM), the workers take no further prospect and make no further call
 * ({@link OnboardingProcessor#end()}); once the step's work has ended, {@link #afterStep} waits for
 * those still running, at most the drain timeout, and records what they settled in a transaction of
 * its own. A failure fails the step; a stop ends it {@code STOPPED}.
 */
public class OnboardTasklet implements StoppableTasklet, StepExecutionListener, ItemStream {

	/** The longest a transaction waits for settlements before it records what it has. */
	static final Duration MAX_WAIT = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(OnboardTasklet.class);

	private final ItemStreamReader<PendingProspect> reader;

	private final OnboardingProcessor processor;

	private final Ledger ledger;

	private final Run run;

	private final Workers workers;

	private final RunLockGuard lockGuard;

	private final ProgressLogger progress;

	private final BlockingQueue<Settlement> settled = new LinkedBlockingQueue<>();

	private final AtomicInteger working = new AtomicInteger();

	private final AtomicReference<Exception> failure = new AtomicReference<>();

	private volatile boolean stopping;

	private boolean readerClosed;

	private boolean started;

	private StepExecution stepExecution;

	/**
	 * @param reader the run's unsettled prospects, in id order; read by every worker in turn
	 * @param workers the API threads, how many to use, and how to record
	 */
	OnboardTasklet(ItemStreamReader<PendingProspect> reader, OnboardingProcessor processor, Ledger ledger, Run run,
			Workers workers, RunLockGuard lockGuard, ProgressLogger progress) {
		this.reader = reader;
		this.processor = processor;
		this.ledger = ledger;
		this.run = run;
		this.workers = workers;
		this.lockGuard = lockGuard;
		this.progress = progress;
	}

	/** Opens the reader (the step opens its streams before the first transaction). */
	@Override
	public void open(ExecutionContext executionContext) {
		this.reader.open(executionContext);
	}

	/** Closes the reader (the step closes its streams after {@link #afterStep}); a worker reads no more. */
	@Override
	public void close() {
		synchronized (this.reader) {
			this.readerClosed = true;
			this.reader.close();
		}
	}

	/**
	 * Takes back the run's prospects that another run staged again meanwhile ({@link Ledger#takeBackPending}),
	 * before the reader and the progress count the run's unsettled prospects.
	 */
	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.stepExecution = stepExecution;
		int takenBack = this.ledger.takeBackPending(this.run, stepExecution.getJobExecutionId());
		if (takenBack > 0) {
			logger.info("Run {} takes back {} of its prospects that another run of the company staged again and left"
					+ " unsettled: it settles them now, with the values that run staged", this.run.runId(), takenBack);
		}
		this.progress.beforeStep(stepExecution);
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
		Exception failed = this.failure.get();
		if (failed != null) {
			// Thrown before this transaction records anything: afterStep records what is left.
			throw failed;
		}
		int recorded;
		try {
			this.lockGuard.check();
			startWorkers();
			recorded = record(collect(), contribution);
		}
		catch (Exception ex) {
			halt();
			throw ex;
		}
		this.progress.logIfDue(recorded);
		// Read before the flag: a worker that halts sets it before it stops working.
		boolean done = this.working.get() == 0 && this.settled.isEmpty();
		if (this.stopping) {
			// A failure is thrown by the next execution; a stop ends the step STOPPED after this one.
			return RepeatStatus.CONTINUABLE;
		}
		return done ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
	}

	@Override
	public void stop(StepExecution stepExecution) {
		logger.info("Stopping the onboard step: no prospect is taken any more; those running are recorded");
		stepExecution.setTerminateOnly();
		halt();
	}

	/** {@link #stop(StepExecution)}, for callers of the interface's older form. */
	@Override
	@SuppressWarnings("removal")
	public void stop() {
		if (this.stepExecution != null) {
			this.stepExecution.setTerminateOnly();
		}
		halt();
	}

	/**
	 * However the step ended: no further prospect is taken or call made; what the workers still
	 * running settle within the drain timeout is recorded, in a transaction of its own.
	 */
	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		halt();
		long deadline = System.nanoTime() + this.workers.drainTimeout().toNanos();
		try {
			while (this.working.get() > 0 && System.nanoTime() - deadline < 0) {
				TimeUnit.MILLISECONDS.sleep(20);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		List<Settlement> left = new ArrayList<>();
		this.settled.drainTo(left);
		if (this.working.get() > 0) {
			logger.warn("{} prospects were still being settled {} after the onboard step ended; the next run settles them",
					this.working.get(), this.workers.drainTimeout());
		}
		if (!left.isEmpty()) {
			try {
				this.ledger.settleApart(this.run, left);
				// Written in a transaction of the step's end: counted as the step's, as its chunks' are
				// (Spring Batch saves the step execution after its listeners).
				stepExecution.setReadCount(stepExecution.getReadCount() + left.size());
				stepExecution.setWriteCount(stepExecution.getWriteCount() + left.size());
				logger.info("Recorded {} prospects settled as the onboard step ended", left.size());
			}
			catch (RuntimeException ex) {
				logger.warn("Could not record {} prospects settled as the onboard step ended ({}); the next run settles"
						+ " them again, by a check first", left.size(), ex.getMessage());
			}
		}
		this.progress.afterStep(stepExecution);
		return stepExecution.getExitStatus();
	}

	private void startWorkers() {
		if (this.started) {
			return;
		}
		this.started = true;
		for (int i = 0; i < this.workers.count(); i++) {
			this.working.incrementAndGet();
			try {
				this.workers.executor().execute(this::work);
			}
			catch (RuntimeException ex) {
				this.working.decrementAndGet();
				throw ex;
			}
		}
	}

	// One worker: the next prospect, settled, until none is left or the step halts.
	private void work() {
		try {
			PendingProspect prospect;
			while (!this.stopping && (prospect = next()) != null) {
				this.settled.add(this.processor.process(prospect));
			}
		}
		catch (Exception ex) {
			if (!this.stopping) {
				this.failure.compareAndSet(null, ex);
			}
			halt();
		}
		catch (Error ex) {
			this.failure.compareAndSet(null, new IllegalStateException("An API thread failed", ex));
			halt();
			throw ex;
		}
		finally {
			// After its last settlement is queued and after a halt: no worker working means every
			// settlement is in the queue, and a failure is seen.
			this.working.decrementAndGet();
		}
	}

	private PendingProspect next() throws Exception {
		synchronized (this.reader) {
			return this.readerClosed ? null : this.reader.read();
		}
	}

	// What the workers settled since the last transaction: up to the chunk's size, within MAX_WAIT.
	private List<Settlement> collect() throws InterruptedException {
		List<Settlement> settlements = new ArrayList<>();
		long deadline = System.nanoTime() + MAX_WAIT.toNanos();
		int limit = this.workers.settlementsPerChunk();
		while (true) {
			this.settled.drainTo(settlements, limit - settlements.size());
			if (settlements.size() >= limit || this.stopping || System.nanoTime() - deadline >= 0
					|| (this.working.get() == 0 && this.settled.isEmpty())) {
				return settlements;
			}
			Settlement next = this.settled.poll(50, TimeUnit.MILLISECONDS);
			if (next != null) {
				settlements.add(next);
			}
		}
	}

	// Records the settlements in the step's transaction; returns how many.
	private int record(List<Settlement> settlements, StepContribution contribution) {
		if (settlements.isEmpty()) {
			return 0;
		}
		this.ledger.settle(this.run, settlements);
		for (int i = 0; i < settlements.size(); i++) {
			contribution.incrementReadCount();
		}
		contribution.incrementWriteCount(settlements.size());
		return settlements.size();
	}

	private void halt() {
		this.stopping = true;
		this.processor.end();
	}

	/**
	 * The API threads the workers run on, and their measures.
	 * @param executor the API threads: at least {@code count} of them
	 * @param count prospects settled at once ({@code customer-api.max-concurrency})
	 * @param settlementsPerChunk settlements recorded per transaction at most ({@code onboarding.onboard-chunk-size})
	 * @param drainTimeout how long the step's end waits for the prospects still running: one call's
	 * connect and read timeouts ({@code customer-api.*-timeout}); a prospect still running after it
	 * is settled by the next run
	 */
	record Workers(AsyncTaskExecutor executor, int count, int settlementsPerChunk, Duration drainTimeout) {
	}

}
