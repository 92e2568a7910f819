package dev.onboardingsync.onboarding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.onboardingsync.customerapi.Endpoint;
import dev.onboardingsync.customerapi.TransientApiException;
import dev.onboardingsync.system.Mode;
import dev.onboardingsync.system.ProgressLogger;
import dev.onboardingsync.system.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * {@link OnboardTasklet} alone, its processor and ledger mocked: prospects are taken by as many
 * workers as calls may be in flight, with no barrier between the step's transactions; every
 * settlement is recorded once; a failure or a stop takes no further prospect (issue 13).
 */
class OnboardTaskletTests {

	private static final Run RUN = new Run(1, "1", Mode.LIVE);

	private static final int WORKERS = 4;

	private final OnboardingProcessor processor = mock(OnboardingProcessor.class);

	private final Ledger ledger = mock(Ledger.class);

	private final Queue<Long> recorded = new ConcurrentLinkedQueue<>();

	private final AtomicInteger processed = new AtomicInteger();

	private final AtomicInteger taken = new AtomicInteger();

	private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

	private final StepExecution stepExecution = MetaDataInstanceFactory.createStepExecution();

	OnboardTaskletTests() {
		this.executor.setCorePoolSize(WORKERS);
		this.executor.initialize();
		willAnswer((invocation) -> {
			List<Settlement> settlements = invocation.getArgument(1);
			settlements.forEach((settlement) -> this.recorded.add(settlement.prospectId()));
			return null;
		}).given(this.ledger).settle(eq(RUN), any());
		willAnswer((invocation) -> {
			this.ledger.settle(invocation.getArgument(0), invocation.getArgument(1));
			return null;
		}).given(this.ledger).settleApart(eq(RUN), any());
	}

	@AfterEach
	void stopExecutor() {
		this.executor.shutdown();
	}

	@Test
	void aSlowProspectHoldsBackNoOtherAndEverySettlementIsRecordedOnce() throws Exception {
		// given: 20 prospects, 3 settlements per transaction, and prospect 1 that takes until released
		CountDownLatch release = new CountDownLatch(1);
		given(this.processor.process(any())).willAnswer((invocation) -> {
			PendingProspect prospect = invocation.getArgument(0);
			this.processed.incrementAndGet();
			if (prospect.id() == 1) {
				release.await(30, TimeUnit.SECONDS);
			}
			return settlement(prospect);
		});
		OnboardTasklet tasklet = tasklet(prospects(20), 3);

		// when: the step's transactions run while prospect 1 is in flight
		List<RepeatStatus> statuses = new ArrayList<>();
		while (this.recorded.size() < 19 && statuses.size() < 30) {
			statuses.add(execute(tasklet));
		}

		// then: the 19 others were taken, settled and recorded meanwhile, three at most per transaction
		assertThat(this.recorded).hasSize(19).doesNotContain(1L);
		assertThat(statuses).containsOnly(RepeatStatus.CONTINUABLE);

		// when: prospect 1 is answered
		release.countDown();
		RepeatStatus last = RepeatStatus.CONTINUABLE;
		for (int i = 0; i < 200 && last == RepeatStatus.CONTINUABLE; i++) {
			last = execute(tasklet);
		}

		// then: the step is done, with each prospect read, settled and recorded exactly once
		assertThat(last).isEqualTo(RepeatStatus.FINISHED);
		assertThat(new ArrayList<>(this.recorded)).doesNotHaveDuplicates().hasSize(20);
		assertThat(this.processed).hasValue(20);
		assertThat(this.stepExecution.getReadCount()).isEqualTo(20);
		assertThat(this.stepExecution.getWriteCount()).isEqualTo(20);
	}

	@Test
	void settlementsLeftWhenTheWorkersAreDoneAreAllRecordedBeforeTheStepFinishes() throws Exception {
		// given: 50 prospects settled at once, while the step records 3 per transaction
		given(this.processor.process(any())).willAnswer((invocation) -> {
			this.processed.incrementAndGet();
			return settlement(invocation.getArgument(0));
		});
		OnboardTasklet tasklet = tasklet(prospects(50), 3);
		execute(tasklet);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.processed.get() == 50 && this.executor.getActiveCount() == 0);

		// when: the workers are done, but most settlements are still to record
		List<RepeatStatus> statuses = new ArrayList<>();
		do {
			statuses.add(execute(tasklet));
		}
		while (statuses.get(statuses.size() - 1) == RepeatStatus.CONTINUABLE && statuses.size() < 100);

		// then: the step finishes only once all of them are recorded, 3 per transaction
		assertThat(statuses).hasSizeGreaterThanOrEqualTo(15).endsWith(RepeatStatus.FINISHED);
		assertThat(new ArrayList<>(this.recorded)).doesNotHaveDuplicates().hasSize(50);
		assertThat(this.stepExecution.getWriteCount()).isEqualTo(50);
	}

	@Test
	void aFailureTakesNoFurtherProspectRecordsThoseSettledAndFailsTheStep() throws Exception {
		// given: prospect 5's calls fail beyond their retries
		TransientApiException busy = new TransientApiException(Endpoint.CREATE_ACCOUNT, "trace-5", "B0001", "busy",
				"Platform busy", null);
		given(this.processor.process(any())).willAnswer((invocation) -> {
			PendingProspect prospect = invocation.getArgument(0);
			this.processed.incrementAndGet();
			if (prospect.id() == 5) {
				throw busy;
			}
			return settlement(prospect);
		});
		// the prospects taken when the step first halts (the workers race until then, so any count)
		AtomicInteger takenAtTheHalt = new AtomicInteger(-1);
		willAnswer((invocation) -> {
			takenAtTheHalt.compareAndSet(-1, this.taken.get());
			return null;
		}).given(this.processor).end();
		OnboardTasklet tasklet = tasklet(prospects(1_000), 10);

		// when / then: the step fails with that failure, and its end records what the workers still settled
		assertThatExceptionOfType(TransientApiException.class).isThrownBy(() -> {
			for (int i = 0; i < 200; i++) {
				execute(tasklet);
			}
		}).isSameAs(busy);
		tasklet.afterStep(this.stepExecution);
		// after the halt, a worker took at most the prospect it was already taking (the failed worker
		// none); all settled were recorded
		verify(this.processor, atLeastOnce()).end();
		assertThat(takenAtTheHalt.get()).isGreaterThanOrEqualTo(5);
		assertThat(this.taken.get()).isLessThanOrEqualTo(takenAtTheHalt.get() + WORKERS - 1).isLessThan(1_000);
		assertThat(this.processed).hasValue(this.taken.get());
		assertThat(new ArrayList<>(this.recorded)).doesNotHaveDuplicates()
			.hasSize(this.processed.get() - 1)
			.doesNotContain(5L);
		// and the step counts each, those its end recorded too (its last progress line, BATCH_STEP_EXECUTION)
		assertThat(this.stepExecution.getWriteCount()).isEqualTo(this.recorded.size());
	}

	@Test
	void aStopTakesNoFurtherProspectAndLeavesTheRestUnsettled() throws Exception {
		// given: a step under way
		CountDownLatch stopped = new CountDownLatch(1);
		given(this.processor.process(any())).willAnswer((invocation) -> {
			PendingProspect prospect = invocation.getArgument(0);
			if (this.processed.incrementAndGet() == 10) {
				stopped.await(30, TimeUnit.SECONDS);
			}
			return settlement(prospect);
		});
		OnboardTasklet tasklet = tasklet(prospects(1_000), 5);
		execute(tasklet);

		// when: the job is stopped (JobOperator.stop, SIGTERM), the step's next transaction runs, and the step ends
		tasklet.stop(this.stepExecution);
		int takenBeforeTheStop = this.taken.get();
		stopped.countDown();
		RepeatStatus status = execute(tasklet);
		tasklet.afterStep(this.stepExecution);

		// then: Spring Batch is told to end the step (STOPPED), not that it finished; no prospect was
		// taken after the stop, and what the workers still settled is recorded as the step ends
		assertThat(this.stepExecution.isTerminateOnly()).isTrue();
		assertThat(status).isEqualTo(RepeatStatus.CONTINUABLE);
		verify(this.processor, atLeastOnce()).end();
		assertThat(this.taken.get()).isLessThanOrEqualTo(takenBeforeTheStop + WORKERS).isLessThan(1_000);
		assertThat(this.processed).hasValue(this.taken.get());
		assertThat(this.executor.getActiveCount()).isZero();
		assertThat(new ArrayList<>(this.recorded)).doesNotHaveDuplicates().hasSize(this.processed.get());
		assertThat(this.stepExecution.getWriteCount()).isEqualTo(this.recorded.size());
		assertThat(this.stepExecution.getReadCount()).isEqualTo(this.recorded.size());
	}

	private OnboardTasklet tasklet(List<PendingProspect> prospects, int settlementsPerChunk) {
		Queue<PendingProspect> queue = new ConcurrentLinkedQueue<>(prospects);
		ItemStreamReader<PendingProspect> reader = () -> {
			PendingProspect next = queue.poll();
			if (next != null) {
				this.taken.incrementAndGet();
			}
			return next;
		};
		OnboardTasklet tasklet = new OnboardTasklet(reader, this.processor, this.ledger, RUN,
				new OnboardTasklet.Workers(this.executor, WORKERS, settlementsPerChunk, Duration.ofSeconds(30)), () -> {
				}, new ProgressLogger("prospects", (step) -> prospects.size(), Duration.ofHours(1)));
		tasklet.beforeStep(this.stepExecution);
		return tasklet;
	}

	// One of the step's transactions: the tasklet, then its contribution applied, as TaskletStep does.
	private RepeatStatus execute(OnboardTasklet tasklet) throws Exception {
		StepContribution contribution = this.stepExecution.createStepContribution();
		RepeatStatus status = tasklet.execute(contribution, null);
		this.stepExecution.apply(contribution);
		return status;
	}

	private static List<PendingProspect> prospects(int count) {
		List<PendingProspect> prospects = new ArrayList<>();
		for (long id = 1; id <= count; id++) {
			prospects.add(new PendingProspect(id, "code-" + id, ProspectStatus.PENDING, "+86", "139" + (10_000_000 + id),
					null, null, "CN", 1, 1, null, null, null, null, null, null, null, null, null));
		}
		return Collections.unmodifiableList(prospects);
	}

	private static Settlement settlement(PendingProspect prospect) {
		return new Settlement(prospect.id(), prospect.thirdServerCode(), ProspectStatus.CREATED, "C" + prospect.id(),
				null, null);
	}

}
