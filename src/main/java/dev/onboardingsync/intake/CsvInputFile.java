package dev.onboardingsync.intake;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.io.ByteOrderMark;
import org.apache.commons.io.input.BOMInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CSV input file opened as text, before any CSV parsing: UTF-8 with or without a byte order mark
 * (Commons IO drops it), UTF-16 and bytes that are not UTF-8 refused with the line they are on,
 * and Excel's {@code sep=;} first line read as the delimiter. The bytes read are digested
 * (SHA-256), so that the pre-read that counts the rows also gives the file's checksum, the
 * identity of its run (issue 11: the file is read once for both).
 */
final class CsvInputFile implements Closeable {

	private static final Logger logger = LoggerFactory.getLogger(CsvInputFile.class);

	// Excel's line, as it writes it or a spreadsheet saved it again: sep=; "sep=;" SEP=; sep=;;;
	private static final Pattern SEPARATOR_LINE = Pattern.compile("(?i)\"?sep=([^\"\r\n])\"?\\1*");

	private static final int SEPARATOR_LINE_LIMIT = 4096;

	private final Path file;

	private final BufferedReader reader;

	private final MessageDigest digest;

	private final char delimiter;

	private final int lineOffset;

	private String checksum;

	private CsvInputFile(Path file, BufferedReader reader, MessageDigest digest, char delimiter, int lineOffset) {
		this.file = file;
		this.reader = reader;
		this.digest = digest;
		this.delimiter = delimiter;
		this.lineOffset = lineOffset;
	}

	/**
	 * Opens the file and reads past Excel's {@code sep=} line when it has one.
	 * @param delimiter the delimiter to use when the file does not set its own ({@code intake.delimiter})
	 * @throws BadInputException if the file is missing, unreadable, empty or UTF-16
	 */
	static CsvInputFile open(Path file, char delimiter) {
		MessageDigest digest = sha256();
		BufferedReader reader = reader(file, digest);
		try {
			// Only a short first line can be Excel's sep= line: a long header is not read twice.
			reader.mark(SEPARATOR_LINE_LIMIT + 2);
			String first = firstLine(reader);
			if (first == null) {
				throw new BadInputException("The input file " + file.toAbsolutePath() + " is empty: it needs a"
						+ " header row naming the columns, then one row per prospect.");
			}
			reader.reset();
			Matcher separator = SEPARATOR_LINE.matcher(first);
			if (!separator.matches()) {
				return new CsvInputFile(file, reader, digest, delimiter, 0);
			}
			// Excel writes it when the list separator is not a comma; the header is on line 2.
			reader.readLine();
			char own = separator.group(1).charAt(0);
			if (own != delimiter) {
				logger.info("{}: its first line, {}, sets the delimiter to '{}' in place of intake.delimiter '{}'", file,
						first, own, delimiter);
			}
			return new CsvInputFile(file, reader, digest, own, 1);
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(reader, ex);
			throw CsvReadErrors.headerUnreadable(file, ex, delimiter, 0);
		}
	}

	/** The text, positioned at the header row. */
	BufferedReader reader() {
		return this.reader;
	}

	/** The delimiter: the file's own ({@code sep=}) or the configured one. */
	char delimiter() {
		return this.delimiter;
	}

	/** Lines before the header: 1 after a {@code sep=} line, else 0. */
	int lineOffset() {
		return this.lineOffset;
	}

	/**
	 * The SHA-256 (hex) of the file's bytes: the file's checksum once it has been read to its end.
	 * Computed once (a digest resets when it gives its value); the same on every later call.
	 */
	String checksum() {
		if (this.checksum == null) {
			this.checksum = HexFormat.of().formatHex(this.digest.digest());
		}
		return this.checksum;
	}

	@Override
	public void close() throws IOException {
		this.reader.close();
	}

	private static BufferedReader reader(Path file, MessageDigest digest) {
		InputStream raw;
		try {
			raw = Files.newInputStream(file);
		}
		catch (NoSuchFileException ex) {
			throw new BadInputException("The input file " + file.toAbsolutePath() + " does not exist: check the path"
					+ " given as input=<file>.", ex);
		}
		catch (IOException ex) {
			throw unreadableFile(file, ex);
		}
		try {
			// Commons IO drops a UTF-8 byte order mark (a spreadsheet's "CSV UTF-8" writes one); the
			// digest sees the bytes as they are in the file, mark included.
			BOMInputStream in = BOMInputStream.builder()
				.setInputStream(new DigestInputStream(raw, digest))
				.setByteOrderMarks(ByteOrderMark.UTF_8, ByteOrderMark.UTF_16LE, ByteOrderMark.UTF_16BE)
				.get();
			if (in.hasBOM(ByteOrderMark.UTF_16LE) || in.hasBOM(ByteOrderMark.UTF_16BE)) {
				throw new BadInputException("The input file " + file.toAbsolutePath() + " is UTF-16 text (it starts with"
						+ " its byte order mark). Save it as UTF-8 (in a spreadsheet: \"CSV UTF-8\"; or iconv -f UTF-16"
						+ " -t UTF-8 in.csv > out.csv) and run again.");
			}
			// Malformed UTF-8 is refused rather than silently replaced, which would change phones and names.
			return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(raw, ex);
			throw (ex instanceof BadInputException bad) ? bad : unreadableFile(file, ex);
		}
	}

	private static BadInputException unreadableFile(Path file, Exception ex) {
		return new BadInputException("The input file " + file.toAbsolutePath() + " cannot be read (" + ex.getMessage()
				+ "): check that it is a readable file.", ex);
	}

	/** Closes the file after a failure, which stays the one thrown. */
	void closeAfter(Exception failure) {
		closeQuietly(this.reader, failure);
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

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	private static void closeQuietly(Closeable closeable, Exception failure) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
	}

}
