package dev.onboardingsync.intake;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.NestedExceptionUtils;

/**
 * What a CSV input file that cannot be read means to its operator: Commons CSV's and the UTF-8
 * decoder's failures as a {@link BadInputException} that names the line and says how to fix it.
 */
final class CsvReadErrors {

	// Commons CSV's words for a quoted cell never closed, with the line it opened on, which it formats
	// with the default locale's grouping ("%,d": 15,001, 15.001, 15 001; a fresh user's try found the
	// line-1,000-and-later case unmatched, issue 13).
	private static final Pattern UNCLOSED_QUOTE = Pattern.compile("\\(startline ([^)]+)\\) EOF reached");

	// Commons CSV's words for a repeated header name, which go on to advise a builder call.
	private static final Pattern DUPLICATE_NAME = Pattern.compile("duplicate name: \"([^\"]*)\"");

	private CsvReadErrors() {
	}

	/**
	 * A header row that cannot be read: a column named twice, bytes that are not UTF-8, or text the
	 * parser cannot read as a header.
	 * @param lineOffset lines before the header (a {@code sep=} line)
	 */
	static BadInputException headerUnreadable(Path file, Exception ex, char delimiter, int lineOffset) {
		Matcher duplicate = DUPLICATE_NAME.matcher(String.valueOf(ex.getMessage()));
		if (duplicate.find()) {
			return new BadInputException(file + ": the header names the column '" + duplicate.group(1)
					+ "' more than once (line " + (lineOffset + 1) + "). Give each column its own name.", ex);
		}
		return unreadable(file, ex, file + ": the header row cannot be read (" + rootMessage(ex) + "). The first"
				+ " line must name the columns, separated by '" + delimiter + "' (intake.delimiter).");
	}

	/**
	 * A record that cannot be read: a quoted cell never closed, text after a closing quote, or bytes
	 * that are not UTF-8. A quote inside a cell that is not quoted is no error: Commons CSV reads it
	 * as text, as spreadsheets do.
	 * @param lineOffset lines before the header (a {@code sep=} line)
	 * @param endOfLastRecord the parser's line number where the last record read ended
	 */
	static BadInputException recordUnreadable(Path file, Exception ex, int lineOffset, long endOfLastRecord) {
		Matcher opened = UNCLOSED_QUOTE.matcher(rootMessage(ex));
		return unreadable(file, ex, opened.find()
				? file + ": a quoted cell opened on line " + (lineOffset + digits(opened.group(1)))
						+ " is never closed. Close it, and double every quote inside quoted cells (\"\")."
				: file + ": the CSV structure breaks at or after line " + (lineOffset + endOfLastRecord + 1)
						+ ": text follows a closing quote before the next delimiter. Quote the whole cell and double"
						+ " the quotes inside it (\"\").");
	}

	// The number a locale formatted, whatever its grouping separators and digits.
	private static long digits(String formatted) {
		long number = 0;
		for (int i = 0; i < formatted.length(); i++) {
			int digit = Character.digit(formatted.charAt(i), 10);
			if (digit >= 0) {
				number = number * 10 + digit;
			}
		}
		return number;
	}

	// Bytes that are not UTF-8 are found ahead of the parser (it reads in blocks): their line is
	// found by reading the file again.
	private static BadInputException unreadable(Path file, Exception ex, String message) {
		if (ex instanceof BadInputException bad) {
			return bad;
		}
		if (NestedExceptionUtils.getMostSpecificCause(ex) instanceof CharacterCodingException) {
			return new BadInputException(file + ": line " + firstLineNotUtf8(file) + " is not UTF-8 text."
					+ " Convert the file to UTF-8 (for example iconv -f GBK -t UTF-8 in.csv > out.csv, or save it"
					+ " from the spreadsheet as \"CSV UTF-8\") and run again.", ex);
		}
		return new BadInputException(message, ex);
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
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

}
