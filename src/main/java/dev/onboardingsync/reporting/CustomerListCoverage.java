package dev.onboardingsync.reporting;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which customers of the platform's list, as it stood when a pass of the sync began, the pages read
 * so far hold: a pure account of positions, kept across restarts as text ({@link #toText()}).
 * <p>
 * The list is newest first ({@code createTime} desc, {@code id} desc) and {@code total} counts it
 * when a page is cut. While no customer is removed, the list only grows at its head, so a page cut
 * when the total is {@code T} starts {@code T - T0} places later than the same page did at the start
 * (total {@code T0}): page {@code c} of size {@code S} holds the start's positions
 * {@code [(c-1)S - (T-T0), cS - (T-T0))}. Pages fetched concurrently can each be cut at another
 * moment, and a page cut before its predecessor leaves the positions between them unread: they are
 * the {@link #gaps()}, read again at the latest known shift until there are none. That no customer
 * was removed during the pass is checked once it is covered ({@link CustomerSyncPass}); see
 * {@code docs/customer-sync.md} for the whole argument (issue 12).
 */
final class CustomerListCoverage {

	private final long startTotal;

	private final int pageSize;

	// Covered positions of the start's list, merged: start to end (exclusive).
	private final TreeMap<Long, Long> covered = new TreeMap<>();

	private long latestShift;

	/**
	 * @param startTotal the list's total when the pass began ({@code T0})
	 * @param pageSize the size every page of the pass is asked with
	 */
	CustomerListCoverage(long startTotal, int pageSize) {
		this.startTotal = startTotal;
		this.pageSize = pageSize;
	}

	/**
	 * Notes a page read.
	 * @param current the page's number, 1-based
	 * @param total the list's total when the page was cut
	 * @param records how many records it held
	 */
	void add(long current, long total, int records) {
		long shift = total - this.startTotal;
		this.latestShift = Math.max(this.latestShift, shift);
		long from = Math.max(0, (current - 1) * this.pageSize - shift);
		long to = Math.min(this.startTotal, (current - 1) * this.pageSize - shift + records);
		if (from < to) {
			cover(from, to);
		}
	}

	/** The start's positions no page read holds yet, in order, as {@code [from, to)} pairs. */
	List<long[]> gaps() {
		List<long[]> gaps = new ArrayList<>();
		long next = 0;
		for (Map.Entry<Long, Long> interval : this.covered.entrySet()) {
			if (interval.getKey() > next) {
				gaps.add(new long[] { next, interval.getKey() });
			}
			next = Math.max(next, interval.getValue());
		}
		if (next < this.startTotal) {
			gaps.add(new long[] { next, this.startTotal });
		}
		return gaps;
	}

	/** Whether every position of the start's list is held by a page read. */
	boolean complete() {
		return gaps().isEmpty();
	}

	/**
	 * The numbers of the pages that hold the gaps now, at the latest shift seen, in order, at most
	 * {@code limit} of them.
	 */
	List<Long> pagesToRead(int limit) {
		return pagesToRead(limit, Set.of());
	}

	/**
	 * As {@link #pagesToRead(int)}, but not the pages being read already ({@code reading}), whose
	 * positions they will most likely cover: the next batch, read while the last one is written.
	 */
	List<Long> pagesToRead(int limit, Set<Long> reading) {
		TreeSet<Long> pages = new TreeSet<>();
		for (long[] gap : gaps()) {
			long first = (gap[0] + this.latestShift) / this.pageSize + 1;
			long last = (gap[1] - 1 + this.latestShift) / this.pageSize + 1;
			for (long page = first; page <= last && pages.size() < limit; page++) {
				if (!reading.contains(page)) {
					pages.add(page);
				}
			}
			if (pages.size() >= limit) {
				break;
			}
		}
		return List.copyOf(pages);
	}

	/** How many positions of the start's list are covered. */
	long coveredPositions() {
		return this.covered.entrySet().stream().mapToLong((interval) -> interval.getValue() - interval.getKey()).sum();
	}

	/** The coverage as text, for the step's execution context: {@code latestShift;from-to,from-to}. */
	String toText() {
		return this.latestShift + ";" + this.covered.entrySet()
			.stream()
			.map((interval) -> interval.getKey() + "-" + interval.getValue())
			.collect(Collectors.joining(","));
	}

	/** The coverage {@link #toText()} wrote. */
	static CustomerListCoverage fromText(long startTotal, int pageSize, String text) {
		CustomerListCoverage coverage = new CustomerListCoverage(startTotal, pageSize);
		String[] parts = text.split(";", -1);
		coverage.latestShift = Long.parseLong(parts[0]);
		if (!parts[1].isEmpty()) {
			for (String interval : parts[1].split(",")) {
				int dash = interval.indexOf('-');
				coverage.cover(Long.parseLong(interval.substring(0, dash)), Long.parseLong(interval.substring(dash + 1)));
			}
		}
		return coverage;
	}

	private void cover(long from, long to) {
		long start = from;
		long end = to;
		Map.Entry<Long, Long> before = this.covered.floorEntry(start);
		if (before != null && before.getValue() >= start) {
			start = before.getKey();
			end = Math.max(end, before.getValue());
		}
		Map.Entry<Long, Long> after = this.covered.ceilingEntry(start);
		while (after != null && after.getKey() <= end) {
			end = Math.max(end, after.getValue());
			this.covered.remove(after.getKey());
			after = this.covered.ceilingEntry(start);
		}
		this.covered.put(start, end);
	}

}
