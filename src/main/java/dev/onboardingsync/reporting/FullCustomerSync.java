package dev.onboardingsync.reporting;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.onboardingsync.customerapi.CustomerPage;
import dev.onboardingsync.system.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * A full sync of the platform's customer list into {@code reporting.customer}, complete however the
 * list moves while it is read (issue 12). Each call ({@link CustomerSyncTasklet}) writes a batch of
 * pages, read concurrently, in the step's transaction, with the pass's state in the step's
 * execution context, so a failed or killed sync resumes where it stopped; the next batch is read
 * meanwhile. Each page is copied to the database as it comes, and the batch compared and written
 * in one statement at its end ({@link SyncPages#writes}, issue 13). A pass:
 * <ol>
 * <li>reads page 1: the list's total {@code T0} and its newest customer, the head {@code H0};</li>
 * <li>reads pages until every position of the list as it stood then is covered
 * ({@link CustomerListCoverage}: pages cut at different moments are placed by their own total);</li>
 * <li>reads the head again, page after page in order, until it meets {@code H0}: the customers
 * created meanwhile, up to the newest on its first page ({@code complete_up_to});</li>
 * <li>checks that no customer older than {@code H0} was removed meanwhile: where {@code H0} stands
 * now plus the total must give {@code T0} again. Else positions moved the other way and the pass
 * is begun again (at most {@value #MAX_PASSES} passes; then the sync fails, to be run again).</li>
 * </ol>
 * The customers of the copy the complete pass did not find are marked missing ({@link CustomerSyncRecords}).
 * See {@code docs/customer-sync.md}.
 */
final class FullCustomerSync {

	/** Customers the sync newly marked missing, in the step's execution context. */
	static final String NEWLY_MISSING = "customers.newlyMissing";

	static final int MAX_PASSES = 3;

	// Calls in a row that cover nothing new before the head is read to see whether customers were
	// removed, and before the sync gives up: the list grows faster than pages can be read.
	private static final int STALLED_CALLS_BEFORE_CHECK = 2;

	private static final int MAX_STALLED_CALLS = 20;

	private static final Logger logger = LoggerFactory.getLogger(FullCustomerSync.class);

	private static final String PASS = "sync.pass";

	private static final String PASSES = "sync.passes";

	private static final String PASSES_OF = "sync.passesOf";

	private static final String START_TOTAL = "sync.startTotal";

	private static final String HEAD = "sync.head";

	private static final String COVERAGE = "sync.coverage";

	private static final String PASS_SEEN = "sync.passSeen";

	private static final String STALLED = "sync.stalled";

	private static final String STARTED_AT = "sync.startedAt";

	private final SyncPages pages;

	private final CustomerSyncRecords seen;

	private final int pagesPerCall;

	// The pages being read for the next call, which a failed or killed call leaves unread: they are
	// not in the coverage, so the next call plans them again.
	private Batch next;

	/** @param pagesPerCall pages read concurrently per call, and transaction ({@code onboarding.sync-pages-per-chunk}) */
	FullCustomerSync(SyncPages pages, CustomerSyncRecords seen, int pagesPerCall) {
		this.pages = pages;
		this.seen = seen;
		this.pagesPerCall = pagesPerCall;
	}

	/** One call: begins a pass, reads a batch of pages, or ends the pass. */
	RepeatStatus execute(StepExecution step) {
		ExecutionContext context = step.getExecutionContext();
		if (!context.containsKey(PASS)) {
			beginPass(step, context);
			return RepeatStatus.CONTINUABLE;
		}
		CustomerListCoverage coverage = CustomerListCoverage.fromText(context.getLong(START_TOTAL), this.pages.pageSize(),
				context.getString(COVERAGE));
		if (coverage.complete()) {
			abandonReadAhead();
			return endPass(step, context);
		}
		long before = coverage.coveredPositions();
		Batch batch = (this.next != null && this.next.stepId() == step.getId()) ? this.next
				: new Batch(step.getId(), coverage.pagesToRead(this.pagesPerCall), null);
		List<CompletableFuture<CustomerPage>> reads = (batch.reads() != null) ? batch.reads()
				: this.pages.start(batch.numbers());
		// The next batch is read while this one is written: no call waits on the database.
		List<Long> following = coverage.pagesToRead(this.pagesPerCall, Set.copyOf(batch.numbers()));
		this.next = following.isEmpty() ? null
				: new Batch(step.getId(), following, this.pages.start(following));
		Iterator<Long> numbers = batch.numbers().iterator();
		SyncPages.Writes writes = this.pages.writes(context.getLong(PASS));
		this.pages.forEach(reads, (page) -> {
			writes.add(page);
			coverage.add(numbers.next(), page.total(), page.records().size());
		});
		noted(context, writes.complete(context));
		context.putString(COVERAGE, coverage.toText());
		int stalled = (coverage.coveredPositions() == before) ? context.getInt(STALLED, 0) + 1 : 0;
		context.putInt(STALLED, stalled);
		// Positions that stay unread are those of a customer removed meanwhile, or of a list that grows
		// faster than it is read: the head tells which.
		if (stalled == STALLED_CALLS_BEFORE_CHECK && readHead(context).removed()) {
			beginAgain(context, "customers were removed from the platform meanwhile");
		}
		else if (stalled > MAX_STALLED_CALLS) {
			throw new SyncIncompleteException("the platform's customer list grew faster than the sync could read it: "
					+ MAX_STALLED_CALLS + " reads in a row found nothing new. Nothing is lost: run the same command again"
					+ " at a quieter time, or raise onboarding.sync-pages-per-chunk.");
		}
		return RepeatStatus.CONTINUABLE;
	}

	private void beginPass(StepExecution step, ExecutionContext context) {
		// Passes are counted per step execution: running the sync again gets as many again.
		int passes = (context.getLong(PASSES_OF, -1) == step.getId()) ? context.getInt(PASSES) + 1 : 1;
		if (passes > MAX_PASSES) {
			throw new SyncIncompleteException("customers were removed from the platform while each of " + MAX_PASSES
					+ " passes read its list, so no pass could prove it read every customer. Nothing is lost: run"
					+ " the same command again.");
		}
		CustomerPage first = this.pages.read(1);
		// Unique: a step execution begins fewer than 10 passes.
		long passId = step.getId() * 10 + passes;
		this.seen.beginPass(passId, Run.of(step).companyId());
		context.putLong(PASS, passId);
		context.putInt(PASSES, passes);
		context.putLong(PASSES_OF, step.getId());
		context.putLong(START_TOTAL, first.total());
		context.putString(HEAD, first.records().isEmpty() ? "" : ListHead.key(first.records().get(0)));
		context.putLong(PASS_SEEN, 0);
		context.putLong(SyncPages.SEEN, 0);
		if (!context.containsKey(STARTED_AT)) {
			context.putLong(STARTED_AT, System.currentTimeMillis());
		}
		CustomerListCoverage coverage = new CustomerListCoverage(first.total(), this.pages.pageSize());
		record(context, first);
		coverage.add(1, first.total(), first.records().size());
		context.putString(COVERAGE, coverage.toText());
		logger.info("Sync pass {}: {} customers on the platform", passes, first.total());
	}

	// The head read again in order until H0, then the check that nothing older than it was removed.
	private RepeatStatus endPass(StepExecution step, ExecutionContext context) {
		ListHead.Reading head = readHead(context);
		long passId = context.getLong(PASS);
		if (head.removed()) {
			beginAgain(context, "customers were removed from the platform meanwhile");
			return RepeatStatus.CONTINUABLE;
		}
		if (this.seen.count(passId) != context.getLong(PASS_SEEN)) {
			beginAgain(context, "the job's database lost the pass's list of customers found (it restarted)");
			return RepeatStatus.CONTINUABLE;
		}
		context.putLong(SyncPages.SEEN, this.seen.found(passId));
		long newlyMissing = this.seen.completeFull(passId, step.getJobExecutionId(), Run.of(step).companyId(),
				Instant.ofEpochMilli(context.getLong(STARTED_AT)), context.getInt(PASSES), head.completeUpTo());
		context.putLong(NEWLY_MISSING, newlyMissing);
		logger.info("Sync complete: {} customers found, up to customer {}; {} newly missing", context.getLong(SyncPages.SEEN),
				(head.completeUpTo() != null) ? head.completeUpTo().getKey() : "none", newlyMissing);
		return RepeatStatus.FINISHED;
	}

	private ListHead.Reading readHead(ExecutionContext context) {
		return ListHead.read(this.pages, context.getString(HEAD), context.getLong(START_TOTAL),
				(page) -> record(context, page));
	}

	private void beginAgain(ExecutionContext context, String why) {
		logger.warn("Sync pass {} cannot prove it read every customer: {}; reading the list again",
				context.getInt(PASSES), why);
		this.seen.forget(context.getLong(PASS));
		abandonReadAhead();
		context.remove(PASS);
		context.remove(STALLED);
	}

	/**
	 * Drops the pages being read for the next call, those not begun yet unread: after a failed call,
	 * at the end of a pass, when the pass begins again.
	 */
	void abandonReadAhead() {
		if (this.next != null) {
			this.next.reads().forEach((read) -> read.cancel(false));
			this.next = null;
		}
	}

	// Writes what the page holds that is new or changed, and notes whom the pass found.
	private void record(ExecutionContext context, CustomerPage page) {
		this.pages.write(page, context, context.getLong(PASS));
		noted(context, page.records().size());
	}

	// Counts the customers noted in the same transaction as the notes: what the pass's count of
	// reporting.customer_seen must give at its end. Customers found (SyncPages.SEEN) count each
	// customer once when the pass completes; until then, as noted.
	private void noted(ExecutionContext context, int customers) {
		context.putLong(PASS_SEEN, context.getLong(PASS_SEEN) + customers);
		context.putLong(SyncPages.SEEN, context.getLong(SyncPages.SEEN, 0) + customers);
	}

	/** Pages read in one call: their numbers, and their reads when they began before the call. */
	private record Batch(long stepId, List<Long> numbers, List<CompletableFuture<CustomerPage>> reads) {
	}

}
