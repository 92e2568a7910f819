package dev.onboardingsync.intake;

import java.util.List;
import java.util.function.Consumer;

import org.springframework.batch.infrastructure.item.ItemStreamReader;

/** A reader of input rows that knows the input's column names (once opened). */
public interface ProspectReader extends ItemStreamReader<InputRow> {

	/**
	 * The step execution context's count of rows skipped because all their cells were empty (a
	 * spreadsheet's {@code ,,,,}), as blank lines are.
	 */
	String EMPTY_ROWS = "prospectReader.emptyRows";

	/** The input's column names in their order: what the file of rejected rows is headed with. */
	List<String> header();

	/**
	 * The largest key this reader reads up to, once opened: for a table, the key column's largest
	 * value when the run's pre-read opened it, so that rows added later wait for the next run;
	 * {@code null} for a file, which cannot change under a run (its checksum is kept).
	 */
	default String upperKey() {
		return null;
	}

	/**
	 * The input's SHA-256 (hex) once it has been read to its end, so that the pre-read that counts
	 * the rows also takes the checksum a file's run is known by; {@code null} before that, and for a
	 * table, which has no checksum.
	 */
	default String checksum() {
		return null;
	}

	/**
	 * Passes the key of every row within the bounds this reader reads, as it is now, once opened; a
	 * file has none ({@link InputRow#sourceKey()}).
	 */
	default void forEachKey(Consumer<String> action) {
	}

	/**
	 * The rows within the reader's bounds that have these keys, numbered from {@code firstLine} in
	 * key order, once opened: the rows a run missed while the source changed under it. A file has
	 * none.
	 */
	default List<InputRow> rowsWithKeys(List<String> keys, long firstLine) {
		return List.of();
	}

}
