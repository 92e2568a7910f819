package dev.onboardingsync.intake;

import java.util.List;

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

}
