package dev.onboardingsync.reporting;

import java.util.function.Supplier;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The page numbers of the platform's customer list, 1 to the last page of the {@code total} counted
 * when it opens, so the pages themselves can be fetched concurrently. The list is newest first and
 * grows while it is read: a new customer pushes the others one place on, so some are seen twice
 * (the upsert does not mind) and none is missed. Before it ends it counts again and reads on if the
 * list grew. Restart resumes at the first page of the first uncommitted chunk.
 */
class PageNumberReader implements ItemStreamReader<Integer> {

	private static final String NEXT_PAGE = "page.next";

	private final Supplier<Long> total;

	private final int pageSize;

	private int next;

	private long lastPage;

	PageNumberReader(Supplier<Long> total, int pageSize) {
		this.total = total;
		this.pageSize = pageSize;
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.next = executionContext.containsKey(NEXT_PAGE) ? executionContext.getInt(NEXT_PAGE) : 1;
		this.lastPage = lastPage();
	}

	@Override
	public Integer read() {
		if (this.next > this.lastPage) {
			this.lastPage = lastPage();
			if (this.next > this.lastPage) {
				return null;
			}
		}
		return this.next++;
	}

	private long lastPage() {
		return (this.total.get() + this.pageSize - 1) / this.pageSize;
	}

	@Override
	public void update(ExecutionContext executionContext) {
		executionContext.putInt(NEXT_PAGE, this.next);
	}

}
