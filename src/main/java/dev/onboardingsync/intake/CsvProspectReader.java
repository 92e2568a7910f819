package dev.onboardingsync.intake;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.apache.commons.io.ByteOrderMark;
import org.apache.commons.io.input.BOMInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;
import org.springframework.core.NestedExceptionUtils;

/**
 * Reads prospects from a CSV file with Apache Commons CSV: a header row, RFC 4180 quoting
 * (delimiters, quotes and line breaks inside quoted cells), UTF-8 with or without a byte order
 * mark, and Excel's {@code sep=;} first line, which sets the delimiter. Every record becomes one
 * {@link InputRow}, numbered by the physical line it starts on (blank lines and line breaks inside
 * cells counted); a record with the wrong number of cells is still a row (with its problem), so it
 * is accounted for. Blank lines and rows whose cells are all empty (a spreadsheet's {@code ,,,,})
 * are skipped (cells of only spaces count as empty), the latter counted ({@link ProspectReader#EMPTY_ROWS}). Empty header cells are columns of no
 * name, ignored. What makes the file unreadable as a whole (missing, empty, a header without the
 * required columns, a broken quote, bytes that are not UTF-8, a NUL byte, which PostgreSQL cannot
 * store) is a {@link BadInputException} that names the line. Cells are kept as written; only a
 * rejected-rows file this job wrote is un-escaped ({@link CsvFormulaEscaping}). On restart the records
 * already read are skipped.
 */
class CsvProspectReader extends AbstractItemCountingItemStreamItemReader<InputRow> implements ProspectReader {

	private static final Logger logger = LoggerFactory.getLogger(CsvProspectReader.class);

	// Excel's line, as it writes it or a spreadsheet saved it again: sep=; "sep=;" SEP=; sep=;;;
	private static final Pattern SEPARATOR_LINE = Pattern.compile("(?i)\"?sep=([^\"\r\n])\"?\\1*");

	// Commons CSV's words for a quoted cell never closed, with the line it opened on.
	private static final Pattern UNCLOSED_QUOTE = Pattern.compile("\\(startline (\\d+)\\) EOF reached");

	// Commons CSV's words for a repeated header name, which go on to advise a builder call.
	private static final Pattern DUPLICATE_NAME = Pattern.compile("duplicate name: \"([^\"]*)\"");

	private static final int SEPARATOR_LINE_LIMIT = 4096;

	private final Path file;

	private final char configuredDelimiter;

	private final Map<ProspectField, String> columnNames;

	private CSVParser parser;

	private Iterator<CSVRecord> records;

	private Map<ProspectField, Integer> positions;

	private int columns;

	private List<String> header;

	private boolean ownFile;

	private int lineOffset;

	private long emptyRows;

	private long endOfLastRecord;

	public CsvProspectReader(Path file, char delimiter, Map<ProspectField, String> columnNames) {
		this.file = file;
		this.configuredDelimiter = delimiter;
		this.columnNames = columnNames;
		setName("csvProspectReader");
	}

	@Override
	public List<String> header() {
		return this.header;
	}

	@Override
	protected void doOpen() throws Exception {
		BufferedReader reader = open(this.file);
		this.emptyRows = 0;
		char delimiter = this.configuredDelimiter;
		try {
			// Only a short first line can be Excel's sep= line: a long header is not read twice.
			reader.mark(SEPARATOR_LINE_LIMIT + 2);
			String first = firstLine(reader);
			Matcher separator = (first != null) ? SEPARATOR_LINE.matcher(first) : null;
			if (first == null) {
				throw new BadInputException("The input file " + this.file.toAbsolutePath() + " is empty: it needs a"
						+ " header row naming the columns, then one row per prospect.");
			}
			if (separator != null && separator.matches()) {
				// Excel writes it when the list separator is not a comma; the header is on line 2.
				delimiter = separator.group(1).charAt(0);
				this.lineOffset = 1;
				reader.reset();
				reader.readLine();
				if (delimiter != this.configuredDelimiter) {
					logger.info("{}: its first line, {}, sets the delimiter to '{}' in place of intake.delimiter '{}'",
							this.file, first, delimiter, this.configuredDelimiter);
				}
			}
			else {
				reader.reset();
				this.lineOffset = 0;
			}
			this.parser = CSVFormat.RFC4180.builder()
				.setDelimiter(delimiter)
				.setHeader()
				.setSkipHeaderRecord(true)
				.setIgnoreEmptyLines(true)
				.setAllowMissingColumnNames(true)
				.setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_EMPTY)
				.get()
				.parse(reader);
		}
		catch (IllegalArgumentException | IOException | UncheckedIOException ex) {
			reader.close();
			Matcher duplicate = DUPLICATE_NAME.matcher(String.valueOf(ex.getMessage()));
			if (duplicate.find()) {
				throw new BadInputException(this.file + ": the header names the column '" + duplicate.group(1)
						+ "' more than once (line " + (this.lineOffset + 1) + "). Give each column its own name.", ex);
			}
			throw unreadable(ex, this.file + ": the header row cannot be read (" + rootMessage(ex)
					+ "). The first line must name the columns, separated by '" + delimiter + "' (intake.delimiter).");
		}
		this.header = this.parser.getHeaderNames();
		if (this.header.stream().anyMatch((name) -> name != null && name.indexOf('\0') >= 0)) {
			reader.close();
			throw new BadInputException("The input file " + this.file.toAbsolutePath() + " has NUL bytes in its header:"
					+ " it is most likely UTF-16 text without a byte order mark. Save it as UTF-8 (in a spreadsheet:"
					+ " \"CSV UTF-8\"; or iconv -f UTF-16LE -t UTF-8 in.csv > out.csv) and run again.");
		}
		if (this.header.stream().allMatch((name) -> name == null || name.isBlank())) {
			reader.close();
			throw new BadInputException("The input file " + this.file.toAbsolutePath() + " has no header row: it holds"
					+ " only blank lines" + ((this.lineOffset > 0) ? " after its sep= line" : "") + ", or its first line"
					+ " that is not empty names no column. It needs a header row naming the columns, then one row per"
					+ " prospect.");
		}
		this.ownFile = this.header.size() >= 2 && CsvFormulaEscaping.LINE_NUMBER.equals(this.header.get(0))
				&& CsvFormulaEscaping.REJECT_REASON.equals(this.header.get(1));
		if (this.ownFile) {
			// line_number and reject_reason belong to the file, not to its rows: fed back, they are left
			// out, so a row rejected again is written with one pair of them, and can go round again.
			// A spreadsheet that saved it again may have added columns of no name after the last one, and
			// empty cells to fill every row to them: those are left out too.
			List<String> own = new ArrayList<>(this.header.subList(2, this.header.size()));
			while (!own.isEmpty() && (own.get(own.size() - 1) == null || own.get(own.size() - 1).isEmpty())) {
				own.remove(own.size() - 1);
			}
			this.header = own.stream().map(CsvFormulaEscaping::unescape).toList();
		}
		this.positions = positions(this.header, delimiter);
		this.columns = this.header.size();
		this.endOfLastRecord = this.parser.getCurrentLineNumber();
		this.records = this.parser.iterator();
	}

	private Map<ProspectField, Integer> positions(List<String> header, char delimiter) {
		Map<ProspectField, Integer> found = new EnumMap<>(ProspectField.class);
		List<String> missing = new ArrayList<>();
		for (Map.Entry<ProspectField, String> column : this.columnNames.entrySet()) {
			int position = indexOfIgnoringCase(header, column.getValue());
			if (position >= 0) {
				found.put(column.getKey(), position);
			}
			else if (column.getKey().required()) {
				missing.add("'" + column.getValue() + "' (" + column.getKey().propertyName() + ")");
			}
		}
		if (!missing.isEmpty()) {
			throw new BadInputException(this.file + ": the header lacks the required column(s) "
					+ String.join(", ", missing) + "; it has " + header.stream().map((name) -> "'" + printable(name) + "'")
						.collect(Collectors.joining(", "))
					+ ". Rename the columns, or map yours with intake.columns.<field>=<your column>."
					+ otherDelimiterHint(header, delimiter));
		}
		return found;
	}

	// Control characters (a NUL, an escape) shown as \\u0000 rather than written raw into the log.
	private static String printable(String name) {
		if (name == null) {
			return "";
		}
		StringBuilder shown = new StringBuilder();
		name.codePoints().forEach((c) -> shown.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
				: new String(Character.toChars(c))));
		return shown.toString();
	}

	// A header read as one cell that holds another separator: the file is most likely separated by it.
	private static String otherDelimiterHint(List<String> header, char delimiter) {
		if (header.size() != 1 || header.get(0) == null) {
			return "";
		}
		for (char candidate : new char[] { ';', '\t', ',', '|' }) {
			if (candidate != delimiter && header.get(0).indexOf(candidate) >= 0) {
				String shown = (candidate == '\t') ? "a tab" : "'" + candidate + "'";
				return " The header is one cell holding " + shown + ": if the file is separated by " + shown
						+ ", set intake.delimiter=" + ((candidate == '\t') ? "\\t (a tab character)" : candidate)
						+ " (or put the line sep=" + ((candidate == '\t') ? "<tab>" : candidate) + " first).";
			}
		}
		return "";
	}

	// The column of that exact name, else the one column with that name in any case; two of them in
	// any case and none exact cannot be told apart.
	private int indexOfIgnoringCase(List<String> header, String name) {
		List<Integer> alike = new ArrayList<>();
		for (int i = 0; i < header.size(); i++) {
			if (header.get(i) != null && header.get(i).trim().equals(name)) {
				return i;
			}
			if (header.get(i) != null && header.get(i).trim().equalsIgnoreCase(name)) {
				alike.add(i);
			}
		}
		if (alike.size() > 1) {
			throw new BadInputException(this.file + ": the header has " + alike.size() + " columns named '" + name
					+ "' in different cases (columns " + alike.stream().map((i) -> Integer.toString(i + 1))
						.collect(Collectors.joining(", "))
					+ "): rename one, or map the one to use by its exact name with intake.columns.<field>.");
		}
		return alike.isEmpty() ? -1 : alike.get(0);
	}

	@Override
	protected InputRow doRead() {
		while (true) {
			CSVRecord record;
			try {
				if (!this.records.hasNext()) {
					return null;
				}
				record = this.records.next();
			}
			catch (UncheckedIOException | IllegalStateException ex) {
				Matcher opened = UNCLOSED_QUOTE.matcher(rootMessage(ex));
				throw unreadable(ex, opened.find()
						? this.file + ": a quoted cell opened on line " + (this.lineOffset + Long.parseLong(opened.group(1)))
								+ " is never closed. Close it, and double every quote inside quoted cells (\"\")."
						: this.file + ": the CSV structure breaks at or after line " + (this.lineOffset + this.endOfLastRecord + 1)
								+ ": a quote stands inside a cell that is not quoted, or after a closing quote. Quote the"
								+ " cell and double the quotes inside it (\"\").");
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
		long line = this.lineOffset + this.parser.getCurrentLineNumber() - lineBreaks(record);
		List<String> raw = this.ownFile ? ownCells(record) : record.toList();
		long breaksBefore = 0;
		for (int i = 0; i < raw.size(); i++) {
			int nul = raw.get(i).indexOf('\0');
			if (nul >= 0) {
				long at = line + breaksBefore + lineBreaks(raw.get(i).substring(0, nul));
				throw new BadInputException(this.file + ": line " + at + ", column " + columnName(i)
						+ " holds a NUL byte, which PostgreSQL cannot store. Remove it (for example with"
						+ " tr -d '\\000' < in.csv > out.csv) and run again.");
			}
			breaksBefore += lineBreaks(raw.get(i));
		}
		Map<ProspectField, String> values = new EnumMap<>(ProspectField.class);
		this.positions.forEach((field, position) -> {
			if (position < raw.size()) {
				values.put(field, raw.get(position));
			}
		});
		String problem = (raw.size() != this.columns)
				? "has " + raw.size() + ((raw.size() == 1) ? " cell" : " cells") + " where the header has " + this.columns : null;
		return new InputRow(line, values, raw, problem);
	}

	// A row of a rejected-rows file: its cells un-escaped, without the file's first two columns, and
	// without empty cells a spreadsheet added after the header's last column. Its cells are otherwise
	// as many as the row had when it was rejected, so a row with cells too many stays wrong.
	private List<String> ownCells(CSVRecord record) {
		List<String> cells = new ArrayList<>(record.toList().subList(Math.min(2, record.size()), record.size()));
		while (cells.size() > this.columns && cells.get(cells.size() - 1).isEmpty()) {
			cells.remove(cells.size() - 1);
		}
		return cells.stream().map(CsvFormulaEscaping::unescape).toList();
	}

	private String columnName(int index) {
		String name = (index < this.header.size()) ? this.header.get(index) : null;
		return (index + 1) + ((name != null && !name.isEmpty()) ? " ('" + name + "')" : "");
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

	// The first line, or its first characters when it is longer than a separator line can be;
	// null for an empty file. A peek: the caller resets the reader to before it.
	private static String firstLine(BufferedReader reader) throws IOException {
		StringBuilder line = new StringBuilder();
		int c = reader.read();
		if (c == -1) {
			return null;
		}
		while (c != -1 && c != '\n' && c != '\r' && line.length() < SEPARATOR_LINE_LIMIT) {
			line.append((char) c);
			c = reader.read();
		}
		return line.toString();
	}

	private static BufferedReader open(Path file) {
		try {
			// Commons IO drops a UTF-8 byte order mark (a spreadsheet's "CSV UTF-8" writes one).
			BOMInputStream in = BOMInputStream.builder()
				.setInputStream(Files.newInputStream(file))
				.setByteOrderMarks(ByteOrderMark.UTF_8, ByteOrderMark.UTF_16LE, ByteOrderMark.UTF_16BE)
				.get();
			if (in.hasBOM(ByteOrderMark.UTF_16LE) || in.hasBOM(ByteOrderMark.UTF_16BE)) {
				in.close();
				throw new BadInputException("The input file " + file.toAbsolutePath() + " is UTF-16 text (it starts with"
						+ " its byte order mark). Save it as UTF-8 (in a spreadsheet: \"CSV UTF-8\"; or iconv -f UTF-16"
						+ " -t UTF-8 in.csv > out.csv) and run again.");
			}
			// Malformed UTF-8 is refused rather than silently replaced, which would change phones and names.
			return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
		}
		catch (NoSuchFileException ex) {
			throw new BadInputException("The input file " + file.toAbsolutePath() + " does not exist: check the path"
					+ " given as input=<file>.", ex);
		}
		catch (IOException ex) {
			throw new BadInputException("The input file " + file.toAbsolutePath() + " cannot be read ("
					+ ex.getMessage() + "): check that it is a readable file.", ex);
		}
	}

	// Bytes that are not UTF-8 are found ahead of the parser (it reads in blocks): name their line.
	private BadInputException unreadable(Exception ex, String message) {
		if (ex instanceof BadInputException bad) {
			return bad;
		}
		if (NestedExceptionUtils.getMostSpecificCause(ex) instanceof CharacterCodingException) {
			return new BadInputException(this.file + ": line " + firstLineNotUtf8(this.file) + " is not UTF-8 text."
					+ " Convert the file to UTF-8 (for example iconv -f GBK -t UTF-8 in.csv > out.csv, or save it"
					+ " from the spreadsheet as \"CSV UTF-8\") and run again.", ex);
		}
		return new BadInputException(message, ex);
	}

	private static long firstLineNotUtf8(Path file) {
		try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
			long line = 1;
			ByteArrayOutputStream current = new ByteArrayOutputStream();
			int b;
			while (true) {
				b = in.read();
				if (b == '\n' || b == -1) {
					try {
						StandardCharsets.UTF_8.newDecoder()
							.onMalformedInput(CodingErrorAction.REPORT)
							.onUnmappableCharacter(CodingErrorAction.REPORT)
							.decode(ByteBuffer.wrap(current.toByteArray()));
					}
					catch (CharacterCodingException ex) {
						return line;
					}
					if (b == -1) {
						return line;
					}
					current.reset();
					line++;
				}
				else {
					current.write(b);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

}
