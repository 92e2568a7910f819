package dev.onboardingsync.reporting;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.onboardingsync.customerapi.CustomerPage;
import dev.onboardingsync.customerapi.CustomerRecord;

/**
 * The head of the platform's customer list, read again in order at the end of a full sync's pass
 * (docs/customer-sync.md, steps 3 and 4): pages from the first, one after the other
 * ({@link SyncPages#readOn}: however the list moves, none is skipped), until one holds the pass's
 * head {@code H0} or an older customer. Where {@code H0} stands then, with the total of that page, says
 * whether a customer older than it was removed since the pass began.
 */
final class ListHead {

	private ListHead() {
	}

	/**
	 * What reading the head again found.
	 * @param completeUpTo the newest customer then (customerNo, createTime), or {@code null} for an empty list
	 * @param removed whether a customer at or older than the pass's head was removed since the pass began
	 */
	record Reading(Map.Entry<String, Long> completeUpTo, boolean removed) {
	}

	/**
	 * Reads the head again.
	 * @param head the pass's head ({@link #key}), or empty text when the list was empty
	 * @param startTotal the list's total when the pass began
	 * @param record what to do with each page read
	 */
	static Reading read(SyncPages pages, String head, long startTotal, Consumer<CustomerPage> record) {
		Map.Entry<String, Long> completeUpTo = null;
		SyncPages.ReadOn read = null;
		while (true) {
			read = (read == null) ? pages.readFirst() : pages.readOn(read.nextFromEnd(), read.page().total());
			CustomerPage page = read.page();
			record.accept(page);
			if (read.number() == 1 && completeUpTo == null && !page.records().isEmpty()) {
				CustomerRecord newest = page.records().get(0);
				completeUpTo = Map.entry(newest.customerNo(), newest.createTime());
			}
			int at = indexOfHeadOrOlder(page.records(), head);
			if (at >= 0 || page.records().isEmpty()) {
				boolean headFound = at >= 0 && key(page.records().get(at)).equals(head);
				long headPosition = (read.number() - 1) * pages.pageSize() + Math.max(at, 0);
				return new Reading(completeUpTo,
						!head.isEmpty() && (!headFound || page.total() - headPosition != startTotal));
			}
		}
	}

	/**
	 * A customer's place in the list's order ({@code createTime}, then {@code id}) as fixed-width
	 * text that sorts the same way: an older customer's key is smaller.
	 */
	static String key(CustomerRecord record) {
		return String.format("%020d:%020d", nonNull(record.createTime()), nonNull(record.id()));
	}

	// The first record at or older than the head in the list's order, or -1.
	private static int indexOfHeadOrOlder(List<CustomerRecord> records, String head) {
		if (head.isEmpty()) {
			// The list was empty: every customer is newer, and the head is read to its end.
			return -1;
		}
		for (int i = 0; i < records.size(); i++) {
			if (key(records.get(i)).compareTo(head) <= 0) {
				return i;
			}
		}
		return -1;
	}

	private static long nonNull(Long value) {
		return (value != null) ? value : 0;
	}

}
