package dev.onboardingsync.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.onboardingsync.intake.BadInputException;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxCustomer;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cases of {@code ../shared/cases/} (copied to {@code src/test/resources/cases/}), each with
 * the value its README gives: the kinds of input issue 8 found the job getting wrong.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(properties = { "onboarding.command.enabled=false", "onboarding.report-directory=target/test-reports",
		"onboarding.retry.initial-delay=10ms", "onboarding.retry.max-delay=50ms" })
@ContextConfiguration(initializers = { TestDatabase.Initializer.class, TestSandbox.Initializer.class })
class InputCasesIntegrationTests {

	private static final Path CASES = Path.of("src", "test", "resources", "cases");

	@Autowired
	private RunLauncher launcher;

	@Autowired
	private JdbcTemplate jdbc;

	@TempDir
	private Path directory;

	private Sandbox sandbox;

	@BeforeEach
	void cleanSlate() {
		this.sandbox = TestSandbox.reset();
		TestDatabase.truncate(this.jdbc);
	}

	@Test
	void emptyHeaderCellsAreColumnsOfNoNameIgnored() throws Exception {
		JobExecution execution = run("header-two-empty-cells.csv");

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcomesByLine()).containsExactlyEntriesOf(new TreeMap<>(Map.of(2L, "CREATED", 3L, "CREATED")));
	}

	@Test
	void lineNumbersAreTheFilesPhysicalLines() throws Exception {
		JobExecution execution = run("blank-lines-before-bad-row.csv");

		assertThat(outcomesByLine()).containsExactlyEntriesOf(
				new TreeMap<>(Map.of(2L, "CREATED", 5L, "REJECTED", 6L, "CREATED", 8L, "REJECTED")));
		List<List<String>> rejected = rejectedFileRows(execution);
		assertThat(rejected.get(0)).startsWith("line_number", "reject_reason");
		assertThat(rejected.subList(1, rejected.size())).extracting((row) -> row.get(0))
			.containsExactly("5", "8");
	}

	@Test
	void phonesThatAreNoMobileNumberAreRejected() throws Exception {
		run("phones-not-mobile.csv");

		assertThat(outcomesByLine()).containsExactlyEntriesOf(
				new TreeMap<>(Map.of(2L, "REJECTED", 3L, "REJECTED", 4L, "REJECTED", 5L, "CREATED")));
		assertThat(this.jdbc.queryForList("SELECT reason FROM onboarding.input_row WHERE outcome = 'REJECTED'",
				String.class)).allSatisfy((reason) -> assertThat(reason).contains("phone is not a mobile number"));
	}

	@Test
	void aNulByteRefusesTheFileNamingItsLineAndColumnWithNothingStaged() {
		assertThatThrownBy(() -> run("nul-byte-in-remark.csv")).isInstanceOf(BadInputException.class)
			.hasMessageContaining("line 3, column 5 ('remark') holds a NUL byte");
		assertThat(ExitCodes.of(new BadInputException("x"))).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row", Long.class)).isZero();
	}

	@Test
	void aRowWithExtraCellsKeepsThemAllInTheRejectedRowsFile() throws Exception {
		JobExecution execution = run("extra-cells.csv");

		List<List<String>> rejected = rejectedFileRows(execution);
		assertThat(rejected.get(0)).containsExactly("line_number", "reject_reason", "external_id", "phone", "country",
				"email", "remark");
		assertThat(rejected.get(1)).containsExactly("3", "row has 7 cells where the header has 5", "xtr0001",
				"18641177388", "CN", "", "ok", "surprise", "more");
	}

	@Test
	void theRejectedRowsFileGoesRoundAsOftenAsItIsFedBackAndKeepsRejectingWhatIsNotFixed() throws Exception {
		// given: the rejected rows of extra-cells.csv, fed back unchanged
		JobExecution first = run("extra-cells.csv");
		Path once = Files.copy(Path.of(rejectedFile(first)), this.directory.resolve("once.csv"));

		// when: fed back, and its own rejected rows fed back again
		JobExecution second = this.launcher.launch(RunRequest.parse(List.of("input=" + once)));
		Path twice = Files.copy(Path.of(rejectedFile(second)), this.directory.resolve("twice.csv"));
		JobExecution third = this.launcher.launch(RunRequest.parse(List.of("input=" + twice)));

		// then: the row keeps its cells and its one pair of columns, and is rejected each time
		assertThat(third.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(Files.readAllLines(twice)).containsExactly(
				"line_number,reject_reason,external_id,phone,country,email,remark",
				"2,row has 7 cells where the header has 5,xtr0001,18641177388,CN,,ok,surprise,more");
		assertThat(this.sandbox.accountsWithThirdServerCode("os-xtr0001")).isZero();
	}

	@Test
	void aRejectedRowsFileSavedAgainByASpreadsheetKeepsRejectingARowWithCellsTooMany() throws Exception {
		// given: the rejected rows of extra-cells.csv as a spreadsheet saves them: every cell quoted, the
		// header filled with columns of no name to the widest row
		JobExecution first = run("extra-cells.csv");
		List<List<String>> rows = rejectedFileRows(first);
		int widest = rows.stream().mapToInt(List::size).max().orElseThrow();
		StringBuilder resaved = new StringBuilder();
		for (List<String> row : rows) {
			List<String> padded = new ArrayList<>(row);
			while (padded.size() < widest) {
				padded.add("");
			}
			resaved.append(padded.stream().map((cell) -> '"' + cell.replace("\"", "\"\"") + '"')
				.collect(Collectors.joining(","))).append("\r\n");
		}
		Path file = Files.writeString(this.directory.resolve("resaved.csv"), resaved);

		// when
		JobExecution fedBack = this.launcher.launch(RunRequest.parse(List.of("input=" + file)));

		// then
		assertThat(resaved.toString()).startsWith("\"line_number\",\"reject_reason\",\"external_id\",\"phone\","
				+ "\"country\",\"email\",\"remark\",\"\",\"\"");
		assertThat(this.jdbc.queryForObject("SELECT outcome || ': ' || reason FROM onboarding.input_row WHERE run_id = ?",
				String.class, runId(fedBack))).isEqualTo("REJECTED: row has 7 cells where the header has 5");
		assertThat(this.sandbox.accountsWithThirdServerCode("os-xtr0001")).isZero();
	}

	@Test
	void aShortRowFedBackUnchangedIsRejectedAgainAndAcceptedOnceFixed() throws Exception {
		// given: a row that lost a cell (a comma missing, so its cells are shifted)
		Path input = Files.writeString(this.directory.resolve("short.csv"),
				"external_id,phone,country,email,remark\nsh-1,13912470001,CN,a@example.com,ok\nsh-2,13912470002,CN,ok\n");
		JobExecution first = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));
		Path once = Files.copy(Path.of(rejectedFile(first)), this.directory.resolve("short-once.csv"));

		// when: fed back unchanged, then with the missing cell put back
		JobExecution unchanged = this.launcher.launch(RunRequest.parse(List.of("input=" + once)));
		Path fixed = Files.writeString(this.directory.resolve("short-fixed.csv"),
				Files.readString(once).replace("sh-2,13912470002,CN,ok", "sh-2,13912470002,CN,,ok"));
		JobExecution refed = this.launcher.launch(RunRequest.parse(List.of("input=" + fixed)));

		// then
		assertThat(Files.readAllLines(once)).containsExactly("line_number,reject_reason,external_id,phone,country,email,remark",
				"3,row has 4 cells where the header has 5,sh-2,13912470002,CN,ok");
		assertThat(this.jdbc.queryForObject("SELECT outcome FROM onboarding.input_row WHERE run_id = ? AND line_number = 2",
				String.class, runId(unchanged))).isEqualTo("REJECTED");
		assertThat(this.jdbc.queryForObject("SELECT outcome FROM onboarding.input_row WHERE run_id = ? AND line_number = 2",
				String.class, runId(refed))).isEqualTo("CREATED");
		assertThat(this.sandbox.accountsWithThirdServerCode("os-sh-2")).isOne();
	}

	@Test
	void aRowThePlatformRejectsKeepsItsCellsInTheRejectedRowsFile() throws Exception {
		JobExecution execution = run("platform-rejects-row.csv");

		assertThat(outcomesByLine()).containsExactlyEntriesOf(new TreeMap<>(Map.of(2L, "CREATED", 3L, "REJECTED")));
		List<List<String>> rejected = rejectedFileRows(execution);
		assertThat(rejected.get(1)).startsWith("3").endsWith("R-2", "13900000152", "CN", "99",
				"the platform refuses group 99; this cell must survive");
	}

	@Test
	void freeTextReachesThePlatformExactlyAsWritten() throws Exception {
		run("remarks-verbatim.csv");

		assertThat(customer("os-V-1").remark()).isEqualTo("  two spaces before and after  ");
		assertThat(customer("os-V-1").utmSource()).isEqualTo("news letter ");
		assertThat(customer("os-V-2").remark()).isEqualTo("'=1+2 typed by a person, apostrophe and all");
		assertThat(customer("os-V-2").utmSource()).isEqualTo("'+86");
		assertThat(customer("os-V-3").remark()).isEqualTo("\tstarts with a tab");
	}

	@Test
	void excelsSeparatorLineSetsTheDelimiter() {
		int byItsLine = TestApplication.run(this.directory, "input=" + CASES.resolve("excel-sep-line.csv"));
		this.sandbox.reset();
		TestDatabase.truncate(this.jdbc);
		int withTheSetting = TestApplication.run(this.directory, "input=" + CASES.resolve("excel-sep-line.csv"),
				"--intake.delimiter=;");

		assertThat(byItsLine).isZero();
		assertThat(withTheSetting).isZero();
		assertThat(outcomesByLine()).containsExactlyEntriesOf(new TreeMap<>(Map.of(3L, "CREATED", 4L, "CREATED",
				5L, "CREATED")));
	}

	@Test
	void rowsOfEmptyCellsAreSkippedLikeBlankLinesAndCounted() throws Exception {
		JobExecution execution = run("excel-empty-rows.csv");

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcomesByLine()).containsExactlyEntriesOf(new TreeMap<>(Map.of(2L, "CREATED", 3L, "CREATED")));
		assertThat(this.jdbc.queryForObject(
				"SELECT summary->>'emptyRowsSkipped' FROM reporting.run_summary WHERE job_execution_id = ?", String.class,
				execution.getId())).isEqualTo("2");
	}

	@Test
	void bytesThatAreNotUtf8AreReportedAtTheirLine() {
		assertThatThrownBy(() -> run("gbk-encoded.csv")).isInstanceOf(BadInputException.class)
			.hasMessageContaining("line 2 is not UTF-8 text")
			.hasMessageContaining("iconv -f GBK -t UTF-8");
	}

	@Test
	void anEmptyFileSaysItIsEmpty() throws IOException {
		Path empty = Files.createFile(this.directory.resolve("empty.csv"));

		assertThatThrownBy(() -> this.launcher.launch(RunRequest.parse(List.of("input=" + empty))))
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("is empty");
	}

	@Test
	void aSourceTableWithQuotedCamelCaseNamesIsReadByItsExactNames() throws IOException {
		// given: ../shared/cases/table-quoted-camelcase-columns.sql
		this.jdbc.execute("DROP SCHEMA IF EXISTS crm CASCADE");
		this.jdbc.execute(Files.readString(CASES.resolve("table-quoted-camelcase-columns.sql")));
		TestDatabase.Connection source = TestDatabase.connection();
		String[] table = { "input=table", "--intake.table.url=" + source.jdbcUrl(),
				"--intake.table.username=" + source.username(), "--intake.table.password=" + source.password(),
				"--intake.table.name=crm.\"Leads\"", "--intake.table.key-column=externalId",
				"--intake.columns.external-id=externalId", "--intake.columns.phone=mobilePhone",
				"--intake.columns.country=countryCode" };

		// when
		int exitCode = TestApplication.run(this.directory, table);
		String[] misnamed = table.clone();
		misnamed[4] = "--intake.table.name=crm.\"Lead\"";
		int misnamedExitCode = TestApplication.run(this.directory, misnamed);
		String[] anyCase = table.clone();
		anyCase[4] = "--intake.table.name=CRM.leads";
		int anyCaseExitCode = TestApplication.run(this.directory, anyCase);
		String[] asAQuery = table.clone();
		asAQuery[4] = "--intake.table.query=SELECT * FROM crm.\"Leads\";  ";
		int asAQueryExitCode = TestApplication.run(this.directory, asAQuery);

		// then
		assertThat(exitCode).isZero();
		assertThat(this.sandbox.accountsWithThirdServerCode("os-Q-001")).isOne();
		assertThat(this.sandbox.accountsWithThirdServerCode("os-Q-002")).isOne();
		assertThat(misnamedExitCode).isEqualTo(ExitCodes.BAD_INPUT.code());
		assertThat(anyCaseExitCode).isZero();
		assertThat(asAQueryExitCode).isZero();
		assertThat(this.jdbc.queryForMap("""
				SELECT count(*) FILTER (WHERE outcome = 'CREATED') AS created,
				       count(*) FILTER (WHERE outcome = 'ALREADY_ONBOARDED') AS already FROM onboarding.input_row"""))
			.isEqualTo(Map.of("created", 2L, "already", 4L));
	}

	@ParameterizedTest
	@CsvSource(delimiterString = " => ", quoteCharacter = '"', value = { "char(6) => 'C' || lpad(i::text, 5, '0')",
			"uuid => gen_random_uuid()", "bigint => i", "timestamptz => timestamptz '2026-01-01' + i * interval '1 second'",
			"numeric(12, 2) => i / 4.0" })
	void aTableIsReadWholeByAKeyOfAnyOrderedType(String type, String value) {
		// given: 5 rows keyed by a column of that type, named like the reader's own paging column
		this.jdbc.execute("DROP SCHEMA IF EXISTS crm CASCADE");
		this.jdbc.execute("CREATE SCHEMA crm");
		this.jdbc.execute("CREATE TABLE crm.keyed (paging_key " + type + " PRIMARY KEY, external_id text, phone text,"
				+ " country text)");
		this.jdbc.execute("INSERT INTO crm.keyed SELECT " + value + ", 'key-' || i, '139124' || lpad(i::text, 5, '0'),"
				+ " 'CN' FROM generate_series(1, 5) AS i");
		TestDatabase.Connection source = TestDatabase.connection();

		// when
		int exitCode = TestApplication.run(this.directory, "input=table", "--intake.table.url=" + source.jdbcUrl(),
				"--intake.table.username=" + source.username(), "--intake.table.password=" + source.password(),
				"--intake.table.name=crm.keyed", "--intake.table.key-column=paging_key", "--intake.table.page-size=2");

		// then
		assertThat(exitCode).isZero();
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row WHERE outcome = 'CREATED'",
				Long.class)).isEqualTo(5L);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row r JOIN crm.keyed k"
				+ " ON k.paging_key::text = r.source_key", Long.class)).as("keys kept as PostgreSQL writes them").isEqualTo(5L);
	}

	@Test
	void mistakesInTheSourceSettingsAreExitCode3NamingTheSetting(CapturedOutput output) {
		TestDatabase.Connection source = TestDatabase.connection();
		String user = "--intake.table.username=" + source.username();
		String password = "--intake.table.password=" + source.password();

		int noUrl = TestApplication.run(this.directory, "input=table", "--intake.table.name=crm.prospects");
		int notJdbc = TestApplication.run(this.directory, "input=table",
				"--intake.table.url=" + source.jdbcUrl().replace("jdbc:", ""), user, password,
				"--intake.table.name=crm.prospects");
		int noUser = TestApplication.run(this.directory, "input=table", "--intake.table.url=" + source.jdbcUrl(), password,
				"--intake.table.name=crm.prospects");
		int noTable = TestApplication.run(this.directory, "input=table", "--intake.table.url=" + source.jdbcUrl(), user,
				password);

		assertThat(List.of(noUrl, notJdbc, noUser, noTable)).containsOnly(ExitCodes.BAD_CONFIGURATION.code());
		assertThat(output).contains("input=table needs intake.table.url", "is not a PostgreSQL JDBC URL",
				"input=table needs intake.table.username", "input=table needs intake.table.name");
		assertThatThrownBy(() -> TestApplication.run(this.directory, "input=" + CASES.resolve("excel-empty-rows.csv"),
				"--intake.delimiter=\""))
			.satisfies((failure) -> assertThat(ExitCodes.of(failure)).isEqualTo(ExitCodes.BAD_CONFIGURATION));
	}

	@Test
	void aSourceQueryThatPostgreSqlRefusesIsNamedInOneLine(CapturedOutput output) {
		TestDatabase.Connection source = TestDatabase.connection();

		int exitCode = TestApplication.run(this.directory, "input=table", "--intake.table.url=" + source.jdbcUrl(),
				"--intake.table.username=" + source.username(), "--intake.table.password=" + source.password(),
				"--intake.table.query=SELECT no_such_column FROM pg_catalog.pg_class");

		assertThat(exitCode).isEqualTo(ExitCodes.BAD_INPUT.code());
		assertThat(output).contains("column \"no_such_column\" does not exist): check").doesNotContain("Position:");
	}

	@Test
	void anUnreachableSourceDatabaseIsWorthRetryingAndSaidInOneLine(CapturedOutput output) {
		int exitCode = TestApplication.run(this.directory, "input=table",
				"--intake.table.url=jdbc:postgresql://127.0.0.1:9/nowhere", "--intake.table.username=someone",
				"--intake.table.name=crm.prospects");

		assertThat(exitCode).isEqualTo(ExitCodes.FAILED_RESTARTABLE.code());
		assertThat(output).contains("The command failed: The source database (intake.table.url) cannot be read now")
			.doesNotContain("\tat org.postgresql");
	}

	@Test
	void theSourceQueryCannotWrite() {
		// given: a query that carries a second, writing statement
		this.jdbc.execute("DROP SCHEMA IF EXISTS crm CASCADE");
		this.jdbc.execute("CREATE SCHEMA crm");
		this.jdbc.execute("CREATE TABLE crm.prospects (external_id text PRIMARY KEY, phone text, country text)");
		this.jdbc.execute("INSERT INTO crm.prospects VALUES ('w-1', '13912480001', 'CN')");
		TestDatabase.Connection source = TestDatabase.connection();

		// when
		int exitCode = TestApplication.run(this.directory, "input=table", "--intake.table.url=" + source.jdbcUrl(),
				"--intake.table.username=" + source.username(), "--intake.table.password=" + source.password(),
				"--intake.table.query=SELECT * FROM crm.prospects) AS x; DELETE FROM crm.prospects; SELECT * FROM (SELECT 1");

		// then
		assertThat(exitCode).isNotZero();
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM crm.prospects", Long.class)).isOne();
	}

	private JobExecution run(String caseFile) throws Exception {
		return this.launcher.launch(RunRequest.parse(List.of("input=" + CASES.resolve(caseFile))));
	}

	private Map<Long, String> outcomesByLine() {
		Map<Long, String> outcomes = new TreeMap<>();
		this.jdbc.query("SELECT line_number, outcome FROM onboarding.input_row",
				(rs) -> {
					outcomes.put(rs.getLong(1), rs.getString(2));
				});
		return outcomes;
	}

	private SandboxCustomer customer(String thirdServerCode) {
		return this.sandbox.customers()
			.stream()
			.filter((customer) -> thirdServerCode.equals(customer.thirdServerCode()))
			.findFirst()
			.orElseThrow();
	}

	private long runId(JobExecution execution) {
		return execution.getJobInstance().getInstanceId();
	}

	private String rejectedFile(JobExecution execution) {
		return this.jdbc.queryForObject(
				"SELECT summary->>'rejectedRowsFile' FROM reporting.run_summary WHERE job_execution_id = ?", String.class,
				execution.getId());
	}

	private List<List<String>> rejectedFileRows(JobExecution execution) throws IOException {
		return CSVFormat.RFC4180.parse(Files.newBufferedReader(Path.of(rejectedFile(execution)), StandardCharsets.UTF_8))
			.getRecords()
			.stream()
			.map(CSVRecord::toList)
			.toList();
	}

}
