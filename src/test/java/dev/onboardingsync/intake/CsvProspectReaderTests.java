package dev.onboardingsync.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvProspectReaderTests {

	@TempDir
	private Path directory;

	@Test
	void readsQuotedCellsWithDelimitersQuotesAndLineBreaks() throws Exception {
		// given
		Path file = write("external_id,phone,remark\r\n" + "a-1,13800138000,\"one, two\"\r\n"
				+ "a-2,13800138001,\"say \"\"hi\"\"\"\r\n" + "a-3,13800138002,\"line one\nline two\"\r\n"
				+ "a-4,13800138003,plain\r\n");

		// when
		List<InputRow> rows = readAll(reader(file, ','));

		// then
		assertThat(rows).extracting((row) -> row.value(ProspectField.REMARK))
			.containsExactly("one, two", "say \"hi\"", "line one\nline two", "plain");
		assertThat(rows).extracting(InputRow::lineNumber).containsExactly(2L, 3L, 4L, 6L);
	}

	@Test
	void skipsTheUtf8ByteOrderMark() throws Exception {
		// given
		Path file = this.directory.resolve("bom.csv");
		byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
		byte[] body = "external_id,phone\nb-1,13800138000\n".getBytes(StandardCharsets.UTF_8);
		byte[] content = new byte[bom.length + body.length];
		System.arraycopy(bom, 0, content, 0, bom.length);
		System.arraycopy(body, 0, content, bom.length, body.length);
		Files.write(file, content);

		// when
		List<InputRow> rows = readAll(reader(file, ','));

		// then
		assertThat(rows).singleElement().satisfies((row) -> assertThat(row.value(ProspectField.EXTERNAL_ID)).isEqualTo("b-1"));
	}

	@Test
	void readingTheFileToItsEndGivesItsChecksumByteOrderMarkAndSeparatorLineIncluded() throws Exception {
		// given
		Path file = this.directory.resolve("checksum.csv");
		byte[] content = ("\uFEFFsep=;\nexternal_id;phone\nd-1;13800138000\nd-2;13800138001\n")
			.getBytes(StandardCharsets.UTF_8);
		Files.write(file, content);
		CsvProspectReader reader = reader(file, ',');
		String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));

		// when
		reader.open(new ExecutionContext());
		InputRow first = reader.read();
		String beforeTheEnd = reader.checksum();
		while (reader.read() != null) {
			// read to the end
		}
		InputRow pastTheEnd = reader.read();
		reader.close();

		// then
		assertThat(first.value(ProspectField.EXTERNAL_ID)).isEqualTo("d-1");
		assertThat(beforeTheEnd).isNull();
		assertThat(pastTheEnd).isNull();
		assertThat(reader.checksum()).isEqualTo(expected);
	}

	@Test
	void mapsTheFilesOwnColumnNamesAndDelimiter() throws Exception {
		// given
		Path file = write("Customer Ref;Mobile;Mail\nc-1;13800138000;c@example.org\n");
		Map<ProspectField, String> columns = defaults();
		columns.put(ProspectField.EXTERNAL_ID, "customer ref");
		columns.put(ProspectField.PHONE, "Mobile");
		columns.put(ProspectField.EMAIL, "Mail");

		// when
		List<InputRow> rows = readAll(new CsvProspectReader(file, ';', columns));

		// then
		assertThat(rows).singleElement().satisfies((row) -> {
			assertThat(row.value(ProspectField.EXTERNAL_ID)).isEqualTo("c-1");
			assertThat(row.value(ProspectField.EMAIL)).isEqualTo("c@example.org");
		});
	}

	@Test
	void keepsRowsWithTheWrongNumberOfCellsAsProblems() throws Exception {
		// given
		Path file = write("external_id,phone,remark\nd-1,13800138000\n");

		// when
		InputRow row = readAll(reader(file, ',')).get(0);

		// then
		assertThat(row.problem()).isEqualTo("has 2 cells where the header has 3");
		assertThat(row.raw()).containsExactly("d-1", "13800138000");
	}

	@Test
	void readsBackCellsEscapedAgainstFormulaInjectionInAFileOfRejectedRowsOnly() throws Exception {
		// given: a rejected-rows file the job wrote, and a file a person wrote
		Path rejected = write("line_number,reject_reason,external_id,phone,remark\n"
				+ "2,bad,e-1,'+86 138 0013 8000,'=SUM(A1)\n3,bad,e-2,13800138001,''quoted'\n");
		Path typed = write("external_id,phone,remark\ne-3,13800138002,'=SUM(A1)\n");

		// when
		List<InputRow> fedBack = readAll(reader(rejected, ','));
		InputRow asTyped = readAll(reader(typed, ',')).get(0);

		// then
		assertThat(fedBack.get(0).value(ProspectField.PHONE)).isEqualTo("+86 138 0013 8000");
		assertThat(fedBack.get(0).value(ProspectField.REMARK)).isEqualTo("=SUM(A1)");
		assertThat(fedBack.get(1).value(ProspectField.REMARK)).isEqualTo("'quoted'");
		assertThat(asTyped.value(ProspectField.REMARK)).isEqualTo("'=SUM(A1)");
	}

	@Test
	void resumesAfterTheRowsAlreadyRead() throws Exception {
		// given
		Path file = write("external_id,phone\nf-1,13800138000\nf-2,13800138001\nf-3,13800138002\n");
		CsvProspectReader first = reader(file, ',');
		ExecutionContext context = new ExecutionContext();
		first.open(context);
		first.read();
		first.read();
		first.update(context);
		first.close();

		// when
		List<InputRow> rest = readAll(reader(file, ','), context);

		// then
		assertThat(rest).extracting((row) -> row.value(ProspectField.EXTERNAL_ID)).containsExactly("f-3");
	}

	@Test
	void missingRequiredColumnIsBadInputNamingItAndTheFix() throws IOException {
		// given
		Path file = write("id,mobile\ng-1,13800138000\n");

		// when / then
		assertThatThrownBy(() -> reader(file, ',').open(new ExecutionContext())).rootCause()
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("'external_id' (external-id), 'phone' (phone)")
			.hasMessageContaining("it has 'id', 'mobile'")
			.hasMessageContaining("intake.columns.<field>=<your column>");
	}

	@Test
	void aRepeatedHeaderNameIsNamedInTheOperatorsWords() throws Exception {
		Path file = write("external_id,phone,phone\na-1,13800138000,13800138001\n");

		assertThatThrownBy(() -> reader(file, ',').open(new ExecutionContext())).cause().isInstanceOf(BadInputException.class)
			.hasMessageContaining("the header names the column 'phone' more than once (line 1)")
			.hasMessageNotContaining("CSVFormat");
	}

	@Test
	void aHeaderThatLooksLikeAnotherDelimitersNamesTheSetting() throws Exception {
		Path file = write("external_id;phone;country\na-1;13800138000;CN\n");

		assertThatThrownBy(() -> reader(file, ',').open(new ExecutionContext())).cause().isInstanceOf(BadInputException.class)
			.hasMessageContaining("if the file is separated by ';', set intake.delimiter=;");
	}

	@Test
	void rowsOfBlankCellsAreSkippedLikeBlankLines() throws Exception {
		Path file = write("external_id,phone,country\n   \n  ,  ,  \nb-1,13800138000,CN\n");

		List<InputRow> rows = readAll(reader(file, ','));

		assertThat(rows).extracting(InputRow::lineNumber).containsExactly(4L);
	}

	@ParameterizedTest
	@ValueSource(strings = { "sep=;", "\"sep=;\"", "SEP=;", "sep=;;;", "\"sep=;\";;" })
	void excelsSeparatorLineSetsTheDelimiterAsSpreadsheetsWriteIt(String separatorLine) throws Exception {
		Path file = write(separatorLine + "\nexternal_id;phone;country\nc-1;13800138000;CN\n");

		List<InputRow> rows = readAll(reader(file, ','));

		assertThat(rows).extracting(InputRow::lineNumber).containsExactly(3L);
		assertThat(rows.get(0).value(ProspectField.PHONE)).isEqualTo("13800138000");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\n\n  \n", "sep=;\n\n" })
	void aFileOfOnlyBlankLinesSaysItHasNoHeader(String content) throws Exception {
		Path file = write(content);

		assertThatThrownBy(() -> reader(file, ',').open(new ExecutionContext())).cause().isInstanceOf(BadInputException.class)
			.hasMessageContaining("has no header row: it holds only blank lines");
	}

	@Test
	void aUtf16FileIsNamedAsSuchWithHowToConvertIt() throws Exception {
		Path file = this.directory.resolve("utf16.csv");
		Files.write(file, "\uFEFFexternal_id,phone\nu-1,13800138000\n".getBytes(StandardCharsets.UTF_16LE));

		assertThatThrownBy(() -> reader(file, ',').open(new ExecutionContext())).cause().isInstanceOf(BadInputException.class)
			.hasMessageContaining("is UTF-16 text")
			.hasMessageContaining("iconv -f UTF-16 -t UTF-8");
	}

	@Test
	void aHeaderLongerThanASeparatorLineIsReadOnceAndWhole() throws Exception {
		String wide = "x".repeat(2_000_000);
		Path file = write("external_id,phone," + wide + "\r\nw-1,13800138000,1\r\n");

		List<InputRow> rows = readAll(reader(file, ','));

		assertThat(rows).extracting(InputRow::lineNumber).containsExactly(2L);
	}

	@Test
	void aSeparatorLineEndingInCarriageReturnAndLineFeedKeepsTheLineNumbers() throws Exception {
		Path file = write("sep=;\r\nexternal_id;phone\r\ns-1;13800138000\r\n\r\ns-2;13800138001\r\n");

		List<InputRow> rows = readAll(reader(file, ','));

		assertThat(rows).extracting(InputRow::lineNumber).containsExactly(3L, 5L);
	}

	@Test
	void twoColumnsOfOneNameInDifferentCasesAreNamedUnlessOneIsExact() throws Exception {
		Path ambiguous = write("external_id,Phone,PHONE\nc-1,13800138000,13800138001\n");
		Path exact = write("external_id,phone,Phone\nc-1,13800138000,13800138001\n");

		assertThatThrownBy(() -> reader(ambiguous, ',').open(new ExecutionContext())).cause()
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("the header has 2 columns named 'phone' in different cases (columns 2, 3)");
		assertThat(readAll(reader(exact, ',')).get(0).value(ProspectField.PHONE)).isEqualTo("13800138000");
	}

	@Test
	void controlCharactersOfAHeaderAreShownEscaped() throws Exception {
		Path file = write("exter\u001bnal_id,phone\nc-1,13800138000\n");
		Path nul = write("e\u0000x\u0000t\u0000,phone\nc-1,13800138000\n");

		assertThatThrownBy(() -> reader(file, ',').open(new ExecutionContext())).cause()
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("'exter\\u001bnal_id'")
			.hasMessageNotContaining("\u001b");
		assertThatThrownBy(() -> reader(nul, ',').open(new ExecutionContext())).cause()
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("has NUL bytes in its header: it is most likely UTF-16 text")
			.hasMessageNotContaining("\u0000");
	}

	@Test
	void aNulByteInAMultiLineCellIsReportedAtItsOwnLine() throws Exception {
		Path file = write("external_id,phone,remark\nn-1,13800138000,\"first\nsecond\u0000\"\n");

		assertThatThrownBy(() -> readAll(reader(file, ','))).isInstanceOf(BadInputException.class)
			.hasMessageContaining("line 3, column 3 ('remark') holds a NUL byte");
	}

	@Test
	void aRowOfOneCellIsSaidInTheSingular() throws Exception {
		Path file = write("external_id,phone\nonly-one\n");

		assertThat(readAll(reader(file, ',')).get(0).problem()).isEqualTo("has 1 cell where the header has 2");
	}

	@Test
	void brokenQuoteIsBadInputWithItsLine() throws Exception {
		// given
		Path file = write("external_id,phone,remark\nh-1,13800138000,ok\nh-2,13800138001,\"never closed\nh-3,1,x\n");
		CsvProspectReader reader = reader(file, ',');
		reader.open(new ExecutionContext());
		reader.read();

		// when / then
		assertThatThrownBy(reader::read).isInstanceOf(BadInputException.class)
			.hasMessageContaining("a quoted cell opened on line 3 is never closed")
			.hasMessageNotContaining("EOF");
	}

	@Test
	void textAfterAClosingQuoteIsBadInputWithItsLine() throws Exception {
		// given: line 3's cell goes on after its closing quote
		Path file = write("external_id,phone,remark\nh-1,13800138000,ok\nh-2,13800138001,\"closed\"on\nh-3,1,x\n");

		// when / then: the message names that case alone (a quote inside a cell that is not quoted is
		// text, next test)
		assertThatThrownBy(() -> readAll(reader(file, ','))).isInstanceOf(BadInputException.class)
			.hasMessageContaining("the CSV structure breaks at or after line 3: text follows a closing quote")
			.hasMessageNotContaining("not quoted");
	}

	@Test
	void aQuoteInsideACellThatIsNotQuotedIsKeptAsWritten() throws Exception {
		// given: a name with a quote, written without quoting the cell (as many exports do)
		Path file = write("external_id,phone,remark\nh-1,13800138000,O\"Brien's 5\" tablet\nh-2,13800138001,ok\n");

		// when
		List<InputRow> rows = readAll(reader(file, ','));

		// then: both rows, the cell as written
		assertThat(rows).hasSize(2);
		assertThat(rows.get(0).value(ProspectField.REMARK)).isEqualTo("O\"Brien's 5\" tablet");
	}

	// Commons CSV formats the line with the default locale's grouping ("15,001", "15.001", "15 001").
	@ParameterizedTest
	@ValueSource(strings = { "en-US", "de-DE", "fr-FR", "de-CH", "hi-IN" })
	void aQuoteNeverClosedPastLine999IsSaidSoInAnyLocale(String locale) throws Exception {
		// given: the quote opened on line 15,001
		StringBuilder text = new StringBuilder("external_id,phone,remark\n");
		for (int row = 2; row <= 15_000; row++) {
			text.append("q-").append(row).append(",13800138000,ok\n");
		}
		text.append("q-15001,13800138001,\"never closed\nq-15002,1,x\n");
		Path file = write(text.toString());
		Locale before = Locale.getDefault();
		Locale.setDefault(Locale.forLanguageTag(locale));
		try {
			// when / then
			assertThatThrownBy(() -> readAll(reader(file, ','))).isInstanceOf(BadInputException.class)
				.hasMessageContaining("a quoted cell opened on line 15001 is never closed");
		}
		finally {
			Locale.setDefault(before);
		}
	}

	@Test
	void bytesThatAreNotUtf8AreBadInput() throws IOException {
		// given
		Path file = this.directory.resolve("latin1.csv");
		Files.write(file, "external_id,phone,remark\ni-1,13800138000,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

		// when / then
		assertThatThrownBy(() -> readAll(reader(file, ','))).cause()
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("not UTF-8")
			.hasMessageContaining("latin1.csv");
	}

	@Test
	void aDirectoryGivenAsTheFileIsBadInput() {
		assertThatThrownBy(() -> reader(this.directory, ',').open(new ExecutionContext())).cause()
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("cannot be read");
	}

	@Test
	void missingFileIsBadInput() {
		assertThatThrownBy(() -> reader(this.directory.resolve("none.csv"), ',').open(new ExecutionContext()))
			.cause()
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("does not exist");
	}

	private CsvProspectReader reader(Path file, char delimiter) {
		return new CsvProspectReader(file, delimiter, defaults());
	}

	private static Map<ProspectField, String> defaults() {
		Map<ProspectField, String> columns = new EnumMap<>(ProspectField.class);
		for (ProspectField field : ProspectField.values()) {
			columns.put(field, field.defaultColumn());
		}
		return columns;
	}

	private static List<InputRow> readAll(CsvProspectReader reader) throws Exception {
		return readAll(reader, new ExecutionContext());
	}

	private static List<InputRow> readAll(CsvProspectReader reader, ExecutionContext context) throws Exception {
		List<InputRow> rows = new ArrayList<>();
		reader.open(context);
		try {
			for (InputRow row = reader.read(); row != null; row = reader.read()) {
				rows.add(row);
			}
		}
		finally {
			reader.close();
		}
		return rows;
	}

	private Path write(String content) throws IOException {
		Path file = Files.createTempFile(this.directory, "input", ".csv");
		Files.writeString(file, content, StandardCharsets.UTF_8);
		return file;
	}

}
