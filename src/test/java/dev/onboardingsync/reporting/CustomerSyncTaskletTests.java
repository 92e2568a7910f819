package dev.onboardingsync.reporting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

import dev.onboardingsync.customerapi.CustomerPage;
import dev.onboardingsync.customerapi.CustomerRecord;
import dev.onboardingsync.onboarding.OnboardingProperties.SyncMode;
import dev.onboardingsync.system.JobParameterNames;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The full and the incremental sync, through {@link CustomerSyncTasklet} as the step calls it, against a list in memory that changes between
 * page reads; the database side is replaced by fakes that remember what they were given.
 */
class CustomerSyncTaskletTests {

	private final List<CustomerRecord> list = new ArrayList<>();

	private final Set<String> written = new HashSet<>();

	private final Set<String> seen = new HashSet<>();

	// The customers noted by passes, each as often as noted: what CustomerSyncRecords.count gives.
	private long noted;

	private final List<Long> completedPasses = new ArrayList<>();

	private String completeUpTo;

	private boolean incrementalCompleted;

	private long lastPoint;

	private int pageSize = 10;

	private boolean removing = true;

	private StepExecution lastStep;

	private long nextId = 1;

	@Test
	void aCustomerRemovedDuringThePassMakesItBeginAgain() {
		// given: 95 customers; the 4th page read finds an old customer removed just before it
		create(95);
		AtomicInteger reads = new AtomicInteger();
		CustomerSyncTasklet sync = tasklet((current) -> {
			if (reads.incrementAndGet() == 4) {
				this.list.remove(this.list.size() - 50);
			}
			return page(current);
		});

		// when
		StepExecution step = runToTheEnd(sync);

		// then: the second pass proves it read every customer
		assertThat(step.getExecutionContext().getInt("sync.passes")).isEqualTo(2);
		assertThat(this.completedPasses).hasSize(1);
		assertThat(this.written).containsAll(customerNos());
		assertThat(this.seen).containsExactlyInAnyOrderElementsOf(customerNos());
	}

	@Test
	void aPassWhoseNotesTheDatabaseLostBeginsAgain() {
		// given: 95 customers; while the pass reads, the job's database restarts and empties the
		// unlogged notes of whom the pass found (reporting.customer_seen)
		create(95);
		AtomicInteger reads = new AtomicInteger();
		CustomerSyncTasklet sync = tasklet((current) -> {
			if (reads.incrementAndGet() == 6) {
				this.seen.clear();
				this.noted = 0;
			}
			return page(current);
		});

		// when
		StepExecution step = runToTheEnd(sync);

		// then: the customers it noted no longer add up to those it counted, so the pass began again
		// rather than mark missing the customers it had found; the second one found every customer
		assertThat(step.getExecutionContext().getInt("sync.passes")).isEqualTo(2);
		assertThat(this.completedPasses).hasSize(1);
		assertThat(this.seen).containsExactlyInAnyOrderElementsOf(customerNos());
		assertThat(this.noted).isEqualTo(step.getExecutionContext().getLong("sync.passSeen"));
	}

	@Test
	void customersCreatedBetweenPagesAreReadWhenTheHeadIsReadAgain() {
		// given: 95 customers, and 7 created after each page read
		create(95);
		CustomerSyncTasklet sync = tasklet((current) -> {
			CustomerPage page = page(current);
			create(7);
			return page;
		});

		// when
		StepExecution step = runToTheEnd(sync);

		// then: one pass, every customer read up to the newest when the head was read again
		assertThat(step.getExecutionContext().getInt("sync.passes")).isEqualTo(1);
		List<String> upTo = customerNos().subList(0, customerNos().indexOf(this.completeUpTo) + 1);
		assertThat(upTo).hasSizeGreaterThan(95 + 7 * 10);
		assertThat(this.written).containsAll(upTo);
	}

	@Test
	void customersRemovedInEveryPassFailTheSyncToBeRunAgain() {
		// given: an old customer removed before every other page read
		create(95);
		AtomicInteger reads = new AtomicInteger();
		CustomerSyncTasklet sync = tasklet((current) -> {
			if (this.removing && reads.incrementAndGet() % 2 == 0 && this.list.size() > 60) {
				this.list.remove(this.list.size() - 40);
			}
			return page(current);
		});

		// when, then
		assertThatExceptionOfType(SyncIncompleteException.class).isThrownBy(() -> runToTheEnd(sync))
			.withMessageContaining("removed from the platform while each of 3 passes");
		assertThat(this.completedPasses).isEmpty();

		// when: the removals stop, and the sync is run again (a new execution of its step)
		this.removing = false;
		StepExecution again = runToTheEnd(sync, stepAfter(this.lastStep));

		// then: it gets passes of its own, and completes
		assertThat(again.getExecutionContext().getInt("sync.passes")).isEqualTo(1);
		assertThat(this.completedPasses).hasSize(1);
		assertThat(this.seen).containsExactlyInAnyOrderElementsOf(customerNos());
	}

	@Test
	void aCallThatFailsLeavesTheStepsStateAsItFoundIt() {
		// given: the second page of the head read again fails once, after customers were created
		create(95);
		AtomicInteger reads = new AtomicInteger();
		AtomicBoolean failed = new AtomicBoolean();
		CustomerSyncTasklet sync = tasklet((current) -> {
			if (reads.incrementAndGet() == 11) {
				create(15);
			}
			if (reads.get() > 11 && current == 2 && !failed.getAndSet(true)) {
				throw new IllegalStateException("the platform failed");
			}
			return page(current);
		});

		// when: the step fails, and its state is saved (as Spring Batch does), then it resumes
		assertThatIllegalStateException().isThrownBy(() -> runToTheEnd(sync)).withMessage("the platform failed");
		long pass = this.lastStep.getExecutionContext().getLong("sync.pass");
		runToTheEnd(sync, stepAfter(this.lastStep));

		// then: the pass resumed where the last good call left it, and completed without beginning again
		assertThat(this.completedPasses).containsExactly(pass);
		assertThat(this.seen).containsExactlyInAnyOrderElementsOf(customerNos());
	}

	@Test
	void anIncrementalSyncResumedWithAnotherPageSizeReadsOnFromWhereItWas() {
		// given: 300 customers, the last sync complete up to the 100th; 200 created since
		create(300);
		this.lastPoint = this.list.get(99).createTime();
		CustomerSyncTasklet sync = tasklet(this::page, SyncMode.INCREMENTAL, 1);
		StepExecution step = step(1);

		// when: 5 pages of 10 read, then the sync resumed with pages of 30
		for (int call = 0; call < 5; call++) {
			sync.execute(new StepContribution(step), null);
		}
		this.pageSize = 30;
		StepExecution resumed = runToTheEnd(tasklet(this::page, SyncMode.INCREMENTAL, 1), stepAfter(step));

		// then: every customer created since the point
		assertThat(resumed.getExecutionContext().getString("sync.kind")).isEqualTo("INCREMENTAL");
		assertThat(this.written).containsAll(customerNos().subList(100, 300));
		assertThat(this.incrementalCompleted).isTrue();
	}

	@Test
	void anIncrementalSyncThatCustomersWereRemovedInFrontOfBeginsAgain() {
		// given: 300 customers, the point at the 100th; 40 of the newest removed while it reads its 5th page
		create(300);
		this.lastPoint = this.list.get(99).createTime();
		AtomicInteger reads = new AtomicInteger();
		CustomerSyncTasklet sync = tasklet((current) -> {
			if (reads.incrementAndGet() == 5) {
				for (int i = 0; i < 40; i++) {
					this.list.remove(this.list.size() - 30);
				}
			}
			return page(current);
		}, SyncMode.INCREMENTAL, 1);

		// when
		StepExecution step = runToTheEnd(sync);

		// then: it read again, and holds every customer created since the point still listed
		assertThat(step.getExecutionContext().getInt("sync.incremental.attempts")).isEqualTo(2);
		assertThat(this.written).containsAll(customerNos().subList(100, customerNos().size()));
	}

	@Test
	void anIncrementalSyncMissesNoneWhenCustomersCreatedMeanwhileAreRemovedAgain() {
		// given: 300 customers, the point at the 100th; 30 created after the 2nd page read, removed again
		// after the 5th, which moves the older ones back to the head, past pages already read
		create(300);
		this.lastPoint = this.list.get(99).createTime();
		List<String> before = customerNos();
		AtomicInteger reads = new AtomicInteger();
		CustomerSyncTasklet sync = tasklet((current) -> {
			int read = reads.incrementAndGet();
			if (read == 3) {
				create(30);
			}
			if (read == 6) {
				for (int i = 0; i < 30; i++) {
					this.list.remove(this.list.size() - 1);
				}
			}
			return page(current);
		}, SyncMode.INCREMENTAL, 1);

		// when
		runToTheEnd(sync);

		// then: every customer that existed when it began, created since the point
		assertThat(this.written).containsAll(before.subList(100, 300));
	}

	private CustomerSyncTasklet tasklet(LongFunction<CustomerPage> pages) {
		return tasklet(pages, SyncMode.FULL, 4);
	}

	private CustomerSyncTasklet tasklet(LongFunction<CustomerPage> pages, SyncMode mode, int pagesPerCall) {
		CustomerUpserts upserts = new CustomerUpserts(null, 1) {
			@Override
			Batch begin(Long passId) {
				List<String> batch = new ArrayList<>();
				return new Batch() {
					@Override
					public void add(Collection<CustomerRecord> customers) {
						customers.forEach((customer) -> batch.add(customer.customerNo()));
					}

					@Override
					public int write() {
						CustomerSyncTaskletTests.this.written.addAll(batch);
						if (passId != null) {
							CustomerSyncTaskletTests.this.seen.addAll(batch);
							CustomerSyncTaskletTests.this.noted += batch.size();
						}
						int written = batch.size();
						batch.clear();
						return written;
					}
				};
			}
		};
		CustomerSyncRecords records = new CustomerSyncRecords(null) {
			@Override
			long count(long passId) {
				return CustomerSyncTaskletTests.this.noted;
			}

			@Override
			long found(long passId) {
				return CustomerSyncTaskletTests.this.seen.size();
			}

			@Override
			void beginPass(long passId, String companyId) {
			}

			@Override
			void forget(long passId) {
				CustomerSyncTaskletTests.this.seen.clear();
				CustomerSyncTaskletTests.this.noted = 0;
			}

			@Override
			long completeFull(long passId, long jobExecutionId, String companyId, Instant startedAt, int passes,
					Map.Entry<String, Long> completeUpTo) {
				CustomerSyncTaskletTests.this.completedPasses.add(passId);
				CustomerSyncTaskletTests.this.completeUpTo = completeUpTo.getKey();
				return 0;
			}

			@Override
			void completeIncremental(long jobExecutionId, String companyId, Instant startedAt, long customers,
					Map.Entry<String, Long> completeUpTo) {
				CustomerSyncTaskletTests.this.incrementalCompleted = true;
			}

			@Override
			Optional<Instant> lastFullSync(String companyId) {
				return Optional.of(Instant.now());
			}

			@Override
			Optional<Instant> completeUpTo(String companyId) {
				return Optional.of(Instant.ofEpochMilli(CustomerSyncTaskletTests.this.lastPoint));
			}
		};
		SyncPages syncPages = new SyncPages(pages, Runnable::run, upserts, this.pageSize);
		return new CustomerSyncTasklet(new FullCustomerSync(syncPages, records, pagesPerCall),
				new IncrementalCustomerSync(syncPages, records, pagesPerCall, Duration.ZERO), records, mode,
				Duration.ofDays(7));
	}

	private StepExecution runToTheEnd(CustomerSyncTasklet sync) {
		return runToTheEnd(sync, step(1));
	}

	// Calls the tasklet until it ends, as its step does: each call a transaction of the fakes, rolled
	// back on a failure; the step's state is kept then too, as Spring Batch saves it.
	private StepExecution runToTheEnd(CustomerSyncTasklet sync, StepExecution step) {
		this.lastStep = step;
		for (int call = 0; call < 1000; call++) {
			Set<String> seenBefore = Set.copyOf(this.seen);
			long notedBefore = this.noted;
			Set<String> writtenBefore = Set.copyOf(this.written);
			try {
				if (sync.execute(new StepContribution(step), null) == RepeatStatus.FINISHED) {
					return step;
				}
			}
			catch (RuntimeException ex) {
				this.seen.retainAll(seenBefore);
				this.seen.addAll(seenBefore);
				this.noted = notedBefore;
				this.written.retainAll(writtenBefore);
				throw ex;
			}
		}
		throw new AssertionError("The sync did not end");
	}

	private static StepExecution step(long id) {
		JobExecution job = new JobExecution(id, new JobInstance(1L, "customerSyncJob"),
				new JobParametersBuilder().addString(JobParameterNames.COMPANY_ID, "1").toJobParameters());
		return new StepExecution(id, "syncCustomersStep", job);
	}

	// The next execution of the step, with the state the last one saved, as a restart has.
	private static StepExecution stepAfter(StepExecution last) {
		StepExecution next = step(last.getId() + 1);
		next.setExecutionContext(new ExecutionContext(last.getExecutionContext()));
		return next;
	}

	// The list newest first, as the platform pages it, with its total, all under one snapshot.
	private CustomerPage page(long current) {
		List<CustomerRecord> newestFirst = new ArrayList<>(this.list);
		Collections.reverse(newestFirst);
		int from = (int) Math.min(newestFirst.size(), (current - 1) * this.pageSize);
		int to = Math.min(newestFirst.size(), from + this.pageSize);
		return new CustomerPage(current, (long) this.pageSize, (long) newestFirst.size(),
				List.copyOf(newestFirst.subList(from, to)));
	}

	private void create(int customers) {
		for (int i = 0; i < customers; i++) {
			long id = this.nextId++;
			this.list.add(new CustomerRecord(id, "c" + id, 1L, null, 1_000 * id, 1_000 * id, null, null, 1L, null, 1,
					null, null, null, null, null, null, 1, "1390000" + id, "+86", 1, null, 1, null, null, null, null,
					null, null, null));
		}
	}

	private List<String> customerNos() {
		return this.list.stream().map(CustomerRecord::customerNo).toList();
	}

}
