package dev.onboardingsync.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Reads prospects from a CSV file with Apache Commons CSV: a header row, RFC 4180 quoting
 * (delimiters, quotes and line breaks inside quoted cells), UTF-8 with or without a byte order
 * mark, and Excel's {@code sep=;} first line, which sets the delimiter. Every record becomes one
 * {@link InputRow}, numbered by the physical line it starts on (blank lines and line breaks inside
 * cells counted); a record with the wrong number of cells is still a row (with its problem), so it
 * is accounted for. Blank lines and rows whose cells are all empty (a spreadsheet's {@code ,,,,})
 * are skipped (cells of only spaces count as empty), the latter counted
 * ({@link ProspectReader#EMPTY_ROWS}). Empty header cells are columns of no name, ignored. What
 * makes the file unreadable as a whole (missing, empty, a header without the required columns, a
 * broken quote, bytes that are not UTF-8, a NUL byte, which PostgreSQL cannot store) is a
 * {@link BadInputException} that names the line ({@link CsvReadErrors}). Cells are kept as
 * written; only a rejected-rows file this job wrote is un-escaped ({@link CsvFormulaEscaping}).
 * On restart the records already read are skipped. The file as text is {@link CsvInputFile}'s, its
 * header {@link CsvHeader}'s.
 */
class CsvProspectReader extends AbstractItemCountingItemStreamItemReader<InputRow> implements ProspectReader {

	private final Path file;

	private final char configuredDelimiter;

	private final Map<ProspectField, String> columnNames;

	private CsvInputFile input;

	private CSVParser parser;

	private Iterator<CSVRecord> records;

	private CsvHeader header;

	private long emptyRows;

	private long endOfLastRecord;

	private String checksum;

	public CsvProspectReader(Path file, char delimiter, Map<ProspectField, String> columnNames) {
		this.file = file;
		this.configuredDelimiter = delimiter;
		this.columnNames = columnNames;
		setName("csvProspectReader");
	}

	@Override
	public List<String> header() {
		return (this.header != null) ? this.header.names() : null;
	}

	/** The file's SHA-256 (hex), once read to its end; else {@code null}. */
	@Override
	public String checksum() {
		return this.checksum;
	}

	@Override
	protected void doOpen() throws Exception {
		this.input = CsvInputFile.open(this.file, this.configuredDelimiter);
		this.emptyRows = 0;
		this.checksum = null;
		try {
			this.parser = CSVFormat.RFC4180.builder()
				.setDelimiter(this.input.delimiter())
				.setHeader()
				.setSkipHeaderRecord(true)
				.setIgnoreEmptyLines(true)
				.setAllowMissingColumnNames(true)
				.setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_EMPTY)
				.get()
				.parse(this.input.reader());
			this.header = CsvHeader.of(this.file, this.parser.getHeaderNames(), this.input.delimiter(),
					this.input.lineOffset(), this.columnNames);
		}
		catch (IllegalArgumentException | IOException | UncheckedIOException ex) {
			this.input.closeAfter(ex);
			throw CsvReadErrors.headerUnreadable(this.file, ex, this.input.delimiter(), this.input.lineOffset());
		}
		catch (RuntimeException ex) {
			this.input.closeAfter(ex);
			throw ex;
		}
		this.endOfLastRecord = this.parser.getCurrentLineNumber();
		this.records = this.parser.iterator();
	}

	@Override
	protected InputRow doRead() {
		while (true) {
			CSVRecord record;
			try {
				if (!this.records.hasNext()) {
					this.checksum = this.input.checksum();
					return null;
				}
				record = this.records.next();
			}
			catch (UncheckedIOException | IllegalStateException ex) {
				throw CsvReadErrors.recordUnreadable(this.file, ex, this.input.lineOffset(), this.endOfLastRecord);
			}
			this.endOfLastRecord = this.parser.getCurrentLineNumber();
			if (record.stream().allMatch(String::isBlank)) {
				this.emptyRows++;
				continue;
			}
			return row(record);
		}
	}

	private InputRow row(CSVRecord record) {
		long line = this.input.lineOffset() + this.parser.getCurrentLineNumber() - lineBreaks(record);
		List<String> raw = this.header.ownFile() ? ownCells(record) : record.toList();
		long breaksBefore = 0;
		for (int i = 0; i < raw.size(); i++) {
			int nul = raw.get(i).indexOf('\0');
			if (nul >= 0) {
				long at = line + breaksBefore + lineBreaks(raw.get(i).substring(0, nul));
				throw new BadInputException(this.file + ": line " + at + ", column " + this.header.columnName(i)
						+ " holds a NUL byte, which PostgreSQL cannot store. Remove it (for example with"
						+ " tr -d '\\000' < in.csv > out.csv) and run again.");
			}
			breaksBefore += lineBreaks(raw.get(i));
		}
		Map<ProspectField, String> values = new EnumMap<>(ProspectField.class);
		this.header.positions().forEach((field, position) -> {
			if (position < raw.size()) {
				values.put(field, raw.get(position));
			}
		});
		int columns = this.header.size();
		String problem = (raw.size() != columns)
				? "has " + raw.size() + ((raw.size() == 1) ? " cell" : " cells") + " where the header has " + columns : null;
		return new InputRow(line, values, raw, problem);
	}

	// A row of a rejected-rows file: its cells un-escaped, without the file's first two columns, and
	// without empty cells a spreadsheet added after the header's last column. Its cells are otherwise
	// as many as the row had when it was rejected, so a row with cells too many stays wrong.
	private List<String> ownCells(CSVRecord record) {
		List<String> cells = new ArrayList<>(record.toList().subList(Math.min(2, record.size()), record.size()));
		while (cells.size() > this.header.size() && cells.get(cells.size() - 1).isEmpty()) {
			cells.remove(cells.size() - 1);
		}
		return cells.stream().map(CsvFormulaEscaping::unescape).toList();
	}

	// The parser's line count is where the record ends: a cell's line breaks put its start earlier.
	private static long lineBreaks(CSVRecord record) {
		long breaks = 0;
		for (String cell : record) {
			breaks += lineBreaks(cell);
		}
		return breaks;
	}

	private static long lineBreaks(String text) {
		long breaks = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
				breaks++;
			}
		}
		return breaks;
	}

	@Override
	public void update(ExecutionContext executionContext) {
		super.update(executionContext);
		// Counted again on a restart, as the records already read are skipped: the total so far.
		executionContext.putLong(EMPTY_ROWS, this.emptyRows);
	}

	@Override
	protected void doClose() throws Exception {
		if (this.parser != null) {
			this.parser.close();
			this.parser = null;
		}
	}

}
