package dev.onboardingsync.reporting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

import dev.onboardingsync.customerapi.CustomerPage;
import dev.onboardingsync.customerapi.CustomerRecord;
import dev.onboardingsync.system.JobParameterNames;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The pass logic of {@link FullCustomerSync} against a list in memory that changes between
 * page reads; the database side is replaced by fakes that remember what they were given.
 */
class FullCustomerSyncTests {

	private final List<CustomerRecord> list = new ArrayList<>();

	private final Set<String> written = new HashSet<>();

	private final Set<String> seen = new HashSet<>();

	private final List<Long> completedPasses = new ArrayList<>();

	private String completeUpTo;

	private long nextId = 1;

	@Test
	void aCustomerRemovedDuringThePassMakesItBeginAgain() {
		// given: 95 customers; the 4th page read finds an old customer removed just before it
		create(95);
		AtomicInteger reads = new AtomicInteger();
		FullCustomerSync sync = tasklet((current) -> {
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
	void customersCreatedBetweenPagesAreReadWhenTheHeadIsReadAgain() {
		// given: 95 customers, and 7 created after each page read
		create(95);
		FullCustomerSync sync = tasklet((current) -> {
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
		FullCustomerSync sync = tasklet((current) -> {
			if (reads.incrementAndGet() % 2 == 0 && this.list.size() > 60) {
				this.list.remove(this.list.size() - 40);
			}
			return page(current);
		});

		// when, then
		assertThatIllegalStateException().isThrownBy(() -> runToTheEnd(sync))
			.withMessageContaining("removed from the platform while each of 3 passes");
		assertThat(this.completedPasses).isEmpty();
	}

	private FullCustomerSync tasklet(LongFunction<CustomerPage> pages) {
		CustomerUpserts upserts = new CustomerUpserts(null) {
			@Override
			int upsert(Collection<CustomerRecord> customers) {
				customers.forEach((customer) -> FullCustomerSyncTests.this.written.add(customer.customerNo()));
				return customers.size();
			}
		};
		CustomerSyncRecords records = new CustomerSyncRecords(null) {
			@Override
			int add(long passId, Collection<String> customerNos) {
				int before = FullCustomerSyncTests.this.seen.size();
				FullCustomerSyncTests.this.seen.addAll(customerNos);
				return FullCustomerSyncTests.this.seen.size() - before;
			}

			@Override
			long count(long passId) {
				return FullCustomerSyncTests.this.seen.size();
			}

			@Override
			void forget(long passId) {
				FullCustomerSyncTests.this.seen.clear();
			}

			@Override
			long completeFull(long passId, long jobExecutionId, String companyId, Instant startedAt, int passes,
					Map.Entry<String, Long> completeUpTo) {
				FullCustomerSyncTests.this.completedPasses.add(passId);
				FullCustomerSyncTests.this.completeUpTo = completeUpTo.getKey();
				return 0;
			}
		};
		return new FullCustomerSync(new SyncPages(pages, Runnable::run, upserts, 10), records, 4);
	}

	private StepExecution runToTheEnd(FullCustomerSync sync) {
		JobExecution job = new JobExecution(1L, new JobInstance(1L, "customerSyncJob"),
				new JobParametersBuilder().addString(JobParameterNames.COMPANY_ID, "1").toJobParameters());
		StepExecution step = new StepExecution(1L, "syncCustomersStep", job);
		for (int call = 0; call < 1000; call++) {
			if (sync.execute(step) == RepeatStatus.FINISHED) {
				return step;
			}
		}
		throw new AssertionError("The sync did not end");
	}

	// The list newest first, as the platform pages it, with its total, all under one snapshot.
	private CustomerPage page(long current) {
		List<CustomerRecord> newestFirst = new ArrayList<>(this.list);
		Collections.reverse(newestFirst);
		int from = (int) Math.min(newestFirst.size(), (current - 1) * 10);
		int to = Math.min(newestFirst.size(), from + 10);
		return new CustomerPage(current, 10L, (long) newestFirst.size(), newestFirst.subList(from, to));
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
