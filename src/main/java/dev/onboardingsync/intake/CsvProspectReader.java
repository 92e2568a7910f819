package dev.onboardingsync.intake;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
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
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Reads prospects from a CSV file with Apache Commons CSV: a header row, RFC 4180 quoting
 * (delimiters, quotes and line breaks inside quoted cells), UTF-8 with or without a byte order
 * mark. Every record becomes one {@link InputRow}, numbered by the line it starts on; a record
 * with the wrong number of cells is still a row (with its problem), so it is accounted for. What
 * makes the file unreadable as a whole (missing, a header without the required columns, a broken
 * quote, bytes that are not UTF-8) is a {@link BadInputException}. Cells escaped against formula
 * injection by this job's own files are read back as they were. On restart the records already
 * read are skipped.
 */
class CsvProspectReader extends AbstractItemCountingItemStreamItemReader<InputRow> implements ProspectReader {

	private final Path file;

	private final char delimiter;

	private final Map<ProspectField, String> columnNames;

	private CSVParser parser;

	private Iterator<CSVRecord> records;

	private Map<ProspectField, Integer> positions;

	private int columns;

	public CsvProspectReader(Path file, char delimiter, Map<ProspectField, String> columnNames) {
		this.file = file;
		this.delimiter = delimiter;
		this.columnNames = columnNames;
		setName("csvProspectReader");
	}

	@Override
	public List<String> header() {
		return this.parser.getHeaderNames();
	}

	@Override
	protected void doOpen() throws Exception {
		Reader reader = open(this.file);
		try {
			this.parser = CSVFormat.RFC4180.builder()
				.setDelimiter(this.delimiter)
				.setHeader()
				.setSkipHeaderRecord(true)
				.setIgnoreEmptyLines(true)
				.setAllowMissingColumnNames(true)
				.setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
				.get()
				.parse(reader);
		}
		catch (IllegalArgumentException | IOException | UncheckedIOException ex) {
			reader.close();
			throw new BadInputException(this.file + ": the header row cannot be read (" + rootMessage(ex)
					+ "). The first line must name the columns, separated by '" + this.delimiter
					+ "' (intake.delimiter).", ex);
		}
		this.positions = positions(this.parser.getHeaderNames());
		this.columns = this.parser.getHeaderNames().size();
		this.records = this.parser.iterator();
	}

	private Map<ProspectField, Integer> positions(List<String> header) {
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
					+ String.join(", ", missing) + "; it has " + header.stream().map((name) -> "'" + name + "'")
						.collect(Collectors.joining(", "))
					+ ". Rename the columns, or map yours with intake.columns.<field>=<your column>.");
		}
		return found;
	}

	private static int indexOfIgnoringCase(List<String> header, String name) {
		for (int i = 0; i < header.size(); i++) {
			if (header.get(i) != null && header.get(i).trim().equalsIgnoreCase(name)) {
				return i;
			}
		}
		return -1;
	}

	@Override
	protected InputRow doRead() {
		long line = this.parser.getCurrentLineNumber() + 1;
		CSVRecord record;
		try {
			if (!this.records.hasNext()) {
				return null;
			}
			record = this.records.next();
		}
		catch (UncheckedIOException | IllegalStateException ex) {
			throw new BadInputException(this.file + ": the CSV structure breaks at or after line " + line + " ("
					+ rootMessage(ex) + "). Check that quotes are closed and doubled inside quoted cells.", ex);
		}
		List<String> raw = record.stream().map(CsvCells::unescape).toList();
		Map<ProspectField, String> values = new EnumMap<>(ProspectField.class);
		this.positions.forEach((field, position) -> {
			if (position < raw.size()) {
				values.put(field, raw.get(position));
			}
		});
		String problem = (raw.size() != this.columns)
				? "has " + raw.size() + " cells where the header has " + this.columns : null;
		return new InputRow(line, values, raw, problem);
	}

	@Override
	protected void doClose() throws Exception {
		if (this.parser != null) {
			this.parser.close();
			this.parser = null;
		}
	}

	private static Reader open(Path file) {
		try {
			InputStream in = Files.newInputStream(file);
			PushbackInputStream pushback = new PushbackInputStream(in, 3);
			byte[] start = pushback.readNBytes(3);
			boolean bom = start.length == 3 && (start[0] & 0xFF) == 0xEF && (start[1] & 0xFF) == 0xBB
					&& (start[2] & 0xFF) == 0xBF;
			if (!bom && start.length > 0) {
				pushback.unread(start);
			}
			// Malformed UTF-8 is refused rather than silently replaced, which would change phones and names.
			return new BufferedReader(new InputStreamReader(pushback, StandardCharsets.UTF_8.newDecoder()
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

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (root instanceof CharacterCodingException) {
			return "it is not UTF-8 text";
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

}
