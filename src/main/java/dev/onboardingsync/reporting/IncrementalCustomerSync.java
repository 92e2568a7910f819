package dev.onboardingsync.reporting;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.onboardingsync.customerapi.CustomerPage;
import dev.onboardingsync.customerapi.CustomerRecord;
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
 * since, not with the list. Read in order, a list that grows at its head hides none of them; each
 * call reads up to {@code pagesPerCall} pages one after the other, and a resumed sync reads on from
 * the next page (customers created meanwhile push the others later, never past it). It sees
 * neither changes to older customers nor deletions: a full sync does ({@code onboarding.sync-full-every}).
 */
final class IncrementalCustomerSync {

	private static final Logger logger = LoggerFactory.getLogger(IncrementalCustomerSync.class);

	private static final String NEXT_PAGE = "sync.incremental.nextPage";

	private static final String SINCE = "sync.incremental.since";

	private static final String UP_TO = "sync.incremental.upTo";

	private static final String UP_TO_TIME = "sync.incremental.upToTime";

	private static final String STARTED_AT = "sync.incremental.startedAt";

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
	 * One call: reads up to {@code pagesPerCall} pages in order, and ends the sync at the first page
	 * that reaches back past the point.
	 * @param since the point the company's copy is complete up to ({@link CustomerSyncRecords#completeUpTo})
	 */
	RepeatStatus execute(StepExecution step, Instant since) {
		ExecutionContext context = step.getExecutionContext();
		if (!context.containsKey(NEXT_PAGE)) {
			context.putLong(NEXT_PAGE, 1);
			context.putLong(SINCE, since.minus(this.overlap).toEpochMilli());
			context.putLong(STARTED_AT, System.currentTimeMillis());
			context.putLong(SyncPages.SEEN, 0);
			logger.info("Incremental sync of the customers created since {} (the last point, less {})",
					Instant.ofEpochMilli(context.getLong(SINCE)), this.overlap);
		}
		long oldest = context.getLong(SINCE);
		for (int read = 0; read < this.pagesPerCall; read++) {
			long current = context.getLong(NEXT_PAGE);
			CustomerPage page = this.pages.read(current);
			this.pages.write(page, context);
			context.putLong(SyncPages.SEEN, context.getLong(SyncPages.SEEN) + page.records().size());
			if (current == 1 && !page.records().isEmpty()) {
				CustomerRecord newest = page.records().get(0);
				context.putString(UP_TO, newest.customerNo());
				context.putLong(UP_TO_TIME, newest.createTime());
			}
			context.putLong(NEXT_PAGE, current + 1);
			boolean reachedBack = page.records().size() < this.pages.pageSize() || page.records()
				.stream()
				.anyMatch((customer) -> customer.createTime() != null && customer.createTime() < oldest);
			if (reachedBack) {
				Map.Entry<String, Long> upTo = context.containsKey(UP_TO)
						? Map.entry(context.getString(UP_TO), context.getLong(UP_TO_TIME)) : null;
				this.records.completeIncremental(step.getJobExecutionId(), Run.of(step).companyId(),
						Instant.ofEpochMilli(context.getLong(STARTED_AT)), context.getLong(SyncPages.SEEN), upTo);
				logger.info("Incremental sync complete: {} customers read in {} pages, up to customer {}",
						context.getLong(SyncPages.SEEN), current, (upTo != null) ? upTo.getKey() : "none");
				return RepeatStatus.FINISHED;
			}
		}
		return RepeatStatus.CONTINUABLE;
	}

}
