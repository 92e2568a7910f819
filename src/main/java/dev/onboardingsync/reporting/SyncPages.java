package dev.onboardingsync.reporting;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import dev.onboardingsync.customerapi.CustomerPage;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Pages of the platform's customer list, read on the API threads and written into
 * {@code reporting.customer}: what the full and the incremental sync share.
 */
class SyncPages {

	/** Customers found by the sync, in the step's execution context. */
	static final String SEEN = "customers.seen";

	/** Customers the sync wrote (new or changed), in the step's execution context. */
	static final String CHANGED = "customers.changed";

	private final LongFunction<CustomerPage> pages;

	private final Executor executor;

	private final CustomerUpserts upserts;

	private final int pageSize;

	/**
	 * @param pages reads one page of the list by its number (1-based), retried as the step's policy
	 * says, each of {@code pageSize} customers
	 * @param executor the API threads pages are read on
	 */
	SyncPages(LongFunction<CustomerPage> pages, Executor executor, CustomerUpserts upserts, int pageSize) {
		this.pages = pages;
		this.executor = executor;
		this.upserts = upserts;
		this.pageSize = pageSize;
	}

	/** Customers per page. */
	int pageSize() {
		return this.pageSize;
	}

	/** Starts reading the pages concurrently, to {@link #join} later: while earlier ones are written. */
	List<CompletableFuture<CustomerPage>> start(List<Long> numbers) {
		return numbers.stream()
			.map((number) -> CompletableFuture.supplyAsync(() -> this.pages.apply(number), this.executor))
			.toList();
	}

	/** The pages {@link #start} began to read, in its order; the first failure is thrown. */
	List<CustomerPage> join(List<CompletableFuture<CustomerPage>> reads) {
		List<CustomerPage> read = new ArrayList<>(reads.size());
		forEach(reads, read::add);
		return read;
	}

	/**
	 * Hands each page {@link #start} began to read to the action as soon as it and those before it
	 * are read, in order: the first pages are written while the others are still read. On the first
	 * failure the reads not begun yet are dropped, and it is thrown.
	 */
	void forEach(List<CompletableFuture<CustomerPage>> reads, Consumer<CustomerPage> action) {
		try {
			for (CompletableFuture<CustomerPage> page : reads) {
				action.accept(page.join());
			}
		}
		catch (CompletionException ex) {
			reads.forEach((page) -> page.cancel(false));
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
		catch (RuntimeException ex) {
			reads.forEach((page) -> page.cancel(false));
			throw ex;
		}
	}

	/** Reads one page. */
	CustomerPage read(long number) {
		return join(start(List.of(number))).get(0);
	}

	/**
	 * A page read on in order, and where the next one begins.
	 * @param number the page's number
	 * @param nextFromEnd how many customers of its list come after it: where the next page begins,
	 * counted from the end of the list
	 */
	record ReadOn(CustomerPage page, long number, long nextFromEnd) {
	}

	/** Reads page 1, the list's head. */
	ReadOn readFirst() {
		CustomerPage page = read(1);
		return new ReadOn(page, 1, page.total() - this.pageSize);
	}

	/**
	 * Reads the page that follows the customers read so far, in order, however the list moved since:
	 * where to go on is counted from the end of the list, which neither customers created at its head
	 * nor customers removed ahead of it change; a page that begins past that point (customers were
	 * removed ahead since the last total) is read one earlier, so that none is skipped (issue 12).
	 * @param fromEnd {@link ReadOn#nextFromEnd} of the last page read
	 * @param total the last page's total
	 */
	ReadOn readOn(long fromEnd, long total) {
		long current = Math.max(1, (total - fromEnd) / this.pageSize + 1);
		while (true) {
			CustomerPage page = read(current);
			if (current == 1 || page.total() - (current - 1) * this.pageSize >= fromEnd) {
				return new ReadOn(page, current, page.total() - current * this.pageSize);
			}
			current--;
		}
	}

	/**
	 * Writes what the page holds that is new or changed, counted in the step's execution context.
	 * @param passId the pass of a full sync that notes the page's customers as found, or {@code null}
	 */
	void write(CustomerPage page, ExecutionContext context, Long passId) {
		int written = this.upserts.upsert(page.records(), passId);
		context.putLong(CHANGED, context.getLong(CHANGED, 0) + written);
	}

	/**
	 * Begins to write the pages of one call, in its transaction: each is copied to the database as
	 * it is {@link Writes#add added}, while the others are still read, and what they hold that is new
	 * or changed is written by {@link Writes#complete}, one statement for them all, which also notes
	 * them as found by the pass if there is one (issue 13).
	 * @param passId the pass of a full sync that found the pages' customers, or {@code null}
	 */
	Writes writes(Long passId) {
		return new Writes(this.upserts.begin(passId));
	}

	/** The pages of one call, written together. */
	static final class Writes {

		private final CustomerUpserts.Batch batch;

		private int customers;

		private Writes(CustomerUpserts.Batch batch) {
			this.batch = batch;
		}

		/** Adds a page; a customer on two pages is written as the later one gives it. */
		void add(CustomerPage page) {
			this.batch.add(page.records());
			this.customers += page.records().size();
		}

		/**
		 * Writes what the pages hold that is new or changed, counted in the step's execution context.
		 * @return the customers the pages held (a customer on two pages counted twice): as many as a
		 * pass noted
		 */
		int complete(ExecutionContext context) {
			int written = this.batch.write();
			context.putLong(CHANGED, context.getLong(CHANGED, 0) + written);
			return this.customers;
		}

	}

}
