package dev.onboardingsync.reporting;

import java.time.Duration;
import java.time.Instant;

import dev.onboardingsync.customerapi.CustomerPage;
import dev.onboardingsync.system.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * An incremental sync (issue 12): the pages of the list from the first, in order, until one holds
 * a customer created more than {@code overlap} before the point the copy is complete up to (the
 * last completed sync's {@code complete_up_to_time}). Its calls grow with the customers created
 * since, not with the list. Read in order, a list that grows at its head hides none of them. Each
 * call reads up to {@code pagesPerCall} pages one after the other ({@link SyncPages#readOn}): where
 * to read on is kept counted from the end of the list, which customers created or removed ahead of
 * it do not move, so that neither they nor a resume with another page size make it skip any. At the end the
 * head is read again ({@link ListHead}): the customers created meanwhile, and the check that no
 * customer at or older than the first one read was removed while it read, which would have moved
 * others past it; else it begins again (at most {@value #MAX_ATTEMPTS} times per run of the step).
 * It sees neither changes to older customers nor deletions: a full sync does
 * ({@code onboarding.sync-full-every}).
 */
final class IncrementalCustomerSync {

	static final int MAX_ATTEMPTS = 3;

	private static final Logger logger = LoggerFactory.getLogger(IncrementalCustomerSync.class);

	// Where to read on, counted from the end of the list, and the last page's total (SyncPages.readOn).
	private static final String FROM_END = "sync.incremental.fromEnd";

	private static final String TOTAL = "sync.incremental.total";

	private static final String SINCE_SET = "sync.incremental.begun";

	private static final String SINCE = "sync.incremental.since";

	private static final String HEAD = "sync.incremental.head";

	private static final String START_TOTAL = "sync.incremental.startTotal";

	private static final String STARTED_AT = "sync.incremental.startedAt";

	private static final String ATTEMPTS = "sync.incremental.attempts";

	private static final String ATTEMPTS_OF = "sync.incremental.attemptsOf";

	private final SyncPages pages;

	private final CustomerSyncRecords records;

	private final int pagesPerCall;

	private final Duration overlap;

	/**
	 * @param pagesPerCall pages read per call, and transaction
	 * @param overlap how far before the last point it reads again ({@code onboarding.sync-overlap}):
	 * customers whose creation committed late, with an earlier {@code createTime}
	 */
	IncrementalCustomerSync(SyncPages pages, CustomerSyncRecords records, int pagesPerCall, Duration overlap) {
		this.pages = pages;
		this.records = records;
		this.pagesPerCall = pagesPerCall;
		this.overlap = overlap;
	}

	/**
	 * One call: reads up to {@code pagesPerCall} pages in order, and at the first page that reaches
	 * back past the point reads the head again and ends the sync.
	 * @param since the point the company's copy is complete up to ({@link CustomerSyncRecords#completeUpTo})
	 */
	RepeatStatus execute(StepExecution step, Instant since) {
		ExecutionContext context = step.getExecutionContext();
		if (!context.containsKey(SINCE_SET)) {
			begin(step, context, since);
		}
		long oldest = context.getLong(SINCE);
		for (int read = 0; read < this.pagesPerCall; read++) {
			SyncPages.ReadOn next = context.containsKey(FROM_END)
					? this.pages.readOn(context.getLong(FROM_END), context.getLong(TOTAL)) : this.pages.readFirst();
			CustomerPage page = next.page();
			this.pages.write(page, context, null);
			context.putLong(SyncPages.SEEN, context.getLong(SyncPages.SEEN) + page.records().size());
			if (!context.containsKey(FROM_END)) {
				context.putString(HEAD, page.records().isEmpty() ? "" : ListHead.key(page.records().get(0)));
				context.putLong(START_TOTAL, page.total());
			}
			context.putLong(FROM_END, next.nextFromEnd());
			context.putLong(TOTAL, page.total());
			boolean reachedBack = page.records().size() < this.pages.pageSize() || page.records()
				.stream()
				.anyMatch((customer) -> customer.createTime() != null && customer.createTime() < oldest);
			if (reachedBack) {
				return end(step, context);
			}
		}
		return RepeatStatus.CONTINUABLE;
	}

	private void begin(StepExecution step, ExecutionContext context, Instant since) {
		// Attempts are counted per step execution: running the sync again gets as many again.
		int attempts = (context.getLong(ATTEMPTS_OF, -1) == step.getId()) ? context.getInt(ATTEMPTS) + 1 : 1;
		if (attempts > MAX_ATTEMPTS) {
			throw new SyncIncompleteException("customers were removed from the platform while each of " + MAX_ATTEMPTS
					+ " incremental syncs read its list, so none could prove it read every new customer. Nothing is"
					+ " lost: run the same command again.");
		}
		context.putInt(ATTEMPTS, attempts);
		context.putLong(ATTEMPTS_OF, step.getId());
		context.remove(FROM_END);
		context.putString(SINCE_SET, "true");
		context.putLong(SINCE, since.minus(this.overlap).toEpochMilli());
		context.putLong(STARTED_AT, System.currentTimeMillis());
		context.putLong(SyncPages.SEEN, 0);
		logger.info("Incremental sync of the customers created since {} (the last point, less {})",
				Instant.ofEpochMilli(context.getLong(SINCE)), this.overlap);
	}

	private RepeatStatus end(StepExecution step, ExecutionContext context) {
		ListHead.Reading head = ListHead.read(this.pages, context.getString(HEAD), context.getLong(START_TOTAL),
				(page) -> {
					this.pages.write(page, context, null);
					context.putLong(SyncPages.SEEN, context.getLong(SyncPages.SEEN) + page.records().size());
				});
		if (head.removed()) {
			logger.warn("Incremental sync {} cannot prove it read every new customer: customers were removed from the"
					+ " platform meanwhile; reading again", context.getInt(ATTEMPTS));
			context.remove(SINCE_SET);
			return RepeatStatus.CONTINUABLE;
		}
		this.records.completeIncremental(step.getJobExecutionId(), Run.of(step).companyId(),
				Instant.ofEpochMilli(context.getLong(STARTED_AT)), context.getLong(SyncPages.SEEN), head.completeUpTo());
		logger.info("Incremental sync complete: {} customers read, up to customer {}", context.getLong(SyncPages.SEEN),
				(head.completeUpTo() != null) ? head.completeUpTo().getKey() : "none");
		return RepeatStatus.FINISHED;
	}

}
