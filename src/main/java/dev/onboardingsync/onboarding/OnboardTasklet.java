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
 * A failure (a call whose retries are spent, the database) stops the workers taking prospects; the
 * step records, in one last transaction, what those still running settle within
 * {@link #MAX_DRAIN}, then fails with the failure. A stop ({@code JobOperator.stop}, SIGTERM) does
 * the same and ends the step {@code STOPPED}.
 */
public class OnboardTasklet implements StoppableTasklet, StepExecutionListener, ItemStream {

	/** The longest a transaction waits for settlements before it records what it has. */
	static final Duration MAX_WAIT = Duration.ofSeconds(1);

	/**
	 * The longest a failed or stopped step waits for the prospects still running: a call's read
	 * timeout (10 s by default) and a back-off (up to {@code onboarding.retry.max-delay}) fit
	 * in it; what runs longer is settled by the next run.
	 */
	static final Duration MAX_DRAIN = Duration.ofSeconds(60);

	private static final Logger logger = LoggerFactory.getLogger(OnboardTasklet.class);

	private final ItemStreamReader<PendingProspect> reader;

	private final OnboardingProcessor processor;

	private final Ledger ledger;

	private final Run run;

	private final AsyncTaskExecutor executor;

	private final int workers;

	private final int settlementsPerChunk;

	private final RunLockGuard lockGuard;

	private final ProgressLogger progress;

	private final BlockingQueue<Settlement> settled = new LinkedBlockingQueue<>();

	private final AtomicInteger working = new AtomicInteger();

	private final AtomicReference<Exception> failure = new AtomicReference<>();

	private volatile boolean stopping;

	private long stoppingSince;

	private boolean started;

	private StepExecution stepExecution;

	/**
	 * @param reader the run's unsettled prospects, in id order; read by every worker in turn
	 * @param executor the API threads: at least {@code workers} of them
	 * @param workers prospects settled at once ({@code customer-api.max-concurrency})
	 * @param settlementsPerChunk settlements recorded per transaction at most ({@code onboarding.onboard-chunk-size})
	 */
	OnboardTasklet(ItemStreamReader<PendingProspect> reader, OnboardingProcessor processor, Ledger ledger, Run run,
			AsyncTaskExecutor executor, int workers, int settlementsPerChunk, RunLockGuard lockGuard,
			ProgressLogger progress) {
		this.reader = reader;
		this.processor = processor;
		this.ledger = ledger;
		this.run = run;
		this.executor = executor;
		this.workers = workers;
		this.settlementsPerChunk = settlementsPerChunk;
		this.lockGuard = lockGuard;
		this.progress = progress;
	}

	/** Opens the reader (the step opens its streams before the first transaction). */
	@Override
	public void open(ExecutionContext executionContext) {
		this.reader.open(executionContext);
	}

	/** Closes the reader once no worker reads it any more. */
	@Override
	public void close() {
		this.reader.close();
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.stepExecution = stepExecution;
		this.progress.beforeStep(stepExecution);
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
		List<Settlement> settlements;
		try {
			this.lockGuard.check();
			if (!this.started) {
				this.started = true;
				for (int i = 0; i < this.workers; i++) {
					this.working.incrementAndGet();
					this.executor.execute(this::work);
				}
			}
			settlements = collect();
			if (!settlements.isEmpty()) {
				this.ledger.settle(this.run, settlements);
				for (int i = 0; i < settlements.size(); i++) {
					contribution.incrementReadCount();
				}
				contribution.incrementWriteCount(settlements.size());
			}
		}
		catch (Exception ex) {
			halt();
			throw ex;
		}
		this.progress.logIfDue();
		if (this.stopping) {
			Exception failed = this.failure.get();
			if (failed != null && settlements.isEmpty()) {
				// What was settled is recorded (the last transaction); now the step fails, to be resumed.
				throw failed;
			}
			// Stopped (its step execution is to terminate): Spring Batch ends the step STOPPED now.
			return RepeatStatus.CONTINUABLE;
		}
		return (this.working.get() > 0 || !this.settled.isEmpty()) ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
	}

	@Override
	public void stop(StepExecution stepExecution) {
		logger.info("Stopping the onboard step: no prospect is taken any more; those running are recorded");
		stepExecution.setTerminateOnly();
		if (this.stepExecution != null) {
			this.stepExecution.setTerminateOnly();
		}
		halt();
	}

	/** {@link #stop(StepExecution)}, for callers of the interface's older form. */
	@Override
	@SuppressWarnings("removal")
	public void stop() {
		halt();
		if (this.stepExecution != null) {
			this.stepExecution.setTerminateOnly();
		}
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		halt();
		this.progress.afterStep(stepExecution);
		return stepExecution.getExitStatus();
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
			// After its last settlement is queued: no worker working means every settlement is in the queue.
			this.working.decrementAndGet();
		}
	}

	private PendingProspect next() throws Exception {
		synchronized (this.reader) {
			return this.reader.read();
		}
	}

	// What the workers settled since the last transaction: up to the chunk's size, within MAX_WAIT;
	// once the step halts, all that the workers still settle, within MAX_DRAIN, in this one
	// transaction: Spring Batch ends a stopped step after it.
	private List<Settlement> collect() throws InterruptedException {
		List<Settlement> settlements = new ArrayList<>();
		long deadline = System.nanoTime() + MAX_WAIT.toNanos();
		while (true) {
			boolean draining = this.stopping;
			int limit = draining ? Integer.MAX_VALUE : this.settlementsPerChunk;
			this.settled.drainTo(settlements, limit - settlements.size());
			if (settlements.size() >= limit || (this.working.get() == 0 && this.settled.isEmpty())
					|| (draining ? drainedTooLong() : System.nanoTime() - deadline >= 0)) {
				return settlements;
			}
			Settlement next = this.settled.poll(50, TimeUnit.MILLISECONDS);
			if (next != null) {
				settlements.add(next);
			}
		}
	}

	private synchronized void halt() {
		if (!this.stopping) {
			this.stopping = true;
			this.stoppingSince = System.nanoTime();
			this.processor.end();
		}
	}

	private synchronized boolean drainedTooLong() {
		if (!this.stopping || System.nanoTime() - this.stoppingSince < MAX_DRAIN.toNanos()) {
			return false;
		}
		logger.warn("{} prospects were still being settled {} after the onboard step halted; the next run settles them",
				this.working.get(), MAX_DRAIN);
		return true;
	}

}
