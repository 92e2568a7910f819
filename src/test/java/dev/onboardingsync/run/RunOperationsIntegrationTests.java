package dev.onboardingsync.run;

import java.nio.file.Files;
import java.sql.DriverManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.onboardingsync.customerapi.Endpoint;
import dev.onboardingsync.sandbox.FaultRates;
import dev.onboardingsync.sandbox.Faults;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's commands as the jar runs them: list, show, restart and abandon runs.
 */
@ExtendWith(OutputCaptureExtension.class)
class RunOperationsIntegrationTests {

	private static final String EXECUTIONS = "SELECT i.job_instance_id || ' ' || e.status FROM batch_job_instance i"
			+ " JOIN batch_job_execution e USING (job_instance_id) ORDER BY e.job_execution_id";

	@TempDir
	private Path directory;

	private Sandbox sandbox;

	private JdbcTemplate jdbc;

	@BeforeEach
	void cleanSlate() {
		this.sandbox = TestSandbox.reset();
		command("runs", "list");
		this.jdbc = TestDatabase.jdbcTemplate();
		TestDatabase.truncate(this.jdbc);
	}

	@Test
	void listsShowsAndRestartsAFailedRun(CapturedOutput output) throws Exception {
		// given: a run that failed because the platform was too busy to create
		Path input = input("ops-a", 2);
		long run = failedRun("input=" + input);

		// when / then: listed with its status, by an operator who has the database but not the platform's settings
		assertThat(command("runs", "list", "--customer-api.base-url=", "--customer-api.token=")).isZero();
		assertThat(output.getOut()).containsPattern("(?m)^" + run + " +onboardingJob +\\d+ +FAILED +LIVE +adhoc");

		// when / then: its state now, its rows' outcomes now, and its summary
		assertThat(command("runs", "show", Long.toString(run), "--customer-api.base-url=", "--customer-api.token="))
			.isZero();
		assertThat(output.getOut()).containsPattern("last execution \\d+: FAILED")
			.containsPattern("cause: failed in onboardProspectsStep: the platform failed create calls 2 times in a row, the"
					+ " last time: Platform busy \\[endpoint=create, code=B0001")
			.containsPattern("onboardProspectsStep +FAILED")
			.containsPattern("PENDING +2")
			.contains("\"status\": \"FAILED\"")
			// no row settled: its rate counts none of the rows it read
			.containsPattern("\"rowsPerSecond\": 0(\\.0)?,");

		// when / then: left marked running by a process that died, it says so
		this.jdbc.update("UPDATE batch_job_execution SET status = 'STARTED', end_time = NULL WHERE job_instance_id = ?", run);
		assertThat(command("runs", "show", Long.toString(run))).isZero();
		assertThat(output.getOut()).contains("no process runs it (none holds the company's run lock): it died; its"
				+ " command, or runs restart " + run + ", resumes it");

		// when / then: a restart calls the platform, so it needs them
		assertThat(command("runs", "restart", Long.toString(run), "--customer-api.token="))
			.isEqualTo(ExitCodes.BAD_CONFIGURATION.code());
		assertThat(output.getErr()).contains("customer-api.token must be set to call the platform");

		// when / then: restarted, the platform well again
		assertThat(command("runs", "restart", Long.toString(run))).isZero();
		assertThat(output.getOut()).contains("Run " + run + ": execution").contains("ended COMPLETED");
		assertThat(this.sandbox.accountsWithThirdServerCode("os-ops-a-0")).isEqualTo(1);
	}

	@Test
	void abandonedRunIsNotResumedAndItsCommandStartsANewRun(CapturedOutput output) throws Exception {
		// given
		Path input = input("ops-b", 1);
		long abandoned = failedRun("input=" + input);

		// when
		int exitCode = command("runs", "abandon", Long.toString(abandoned));
		int rerun = command("input=" + input);

		// then
		assertThat(exitCode).isZero();
		assertThat(rerun).isZero();
		assertThat(this.jdbc.queryForList(
				EXECUTIONS, String.class))
			.containsExactly(abandoned + " ABANDONED", (abandoned + 1) + " COMPLETED");
	}

	@Test
	void abandoningARunThatEndedUnknownReleasesIt() throws Exception {
		// given: a run whose execution ended UNKNOWN
		Path input = input("ops-d", 1);
		long unknown = failedRun("input=" + input);
		this.jdbc.update("UPDATE batch_job_execution SET status = 'UNKNOWN' WHERE job_instance_id = ?", unknown);

		// when
		int exitCode = command("runs", "abandon", Long.toString(unknown));
		int rerun = command("input=" + input);

		// then: abandoned for real, so the same command starts a new run
		assertThat(exitCode).isZero();
		assertThat(rerun).isZero();
		assertThat(this.jdbc.queryForList(
				EXECUTIONS, String.class))
			.containsExactly(unknown + " ABANDONED", (unknown + 1) + " COMPLETED");
		assertThat(this.sandbox.accountsWithThirdServerCode("os-ops-d-0")).isEqualTo(1);
	}

	@Test
	void refusesToRestartARunWhoseFileChanged() throws Exception {
		// given
		Path input = input("ops-c", 1);
		long run = failedRun("input=" + input);
		Files.writeString(input, "external_id,phone,country\nother,13913300000,CN\n");

		// when / then
		assertThat(command("runs", "restart", Long.toString(run))).isEqualTo(ExitCodes.BAD_INPUT.code());
		assertThat(this.sandbox.accountsWithThirdServerCode("os-other")).isZero();
	}

	@Test
	void aRunIsResumedOnlyWithTheIntakeSettingsItStartedWith(CapturedOutput output) throws Exception {
		// given: a failed run of a file whose columns were mapped
		Path input = Files.writeString(this.directory.resolve("mapped.csv"), "Ref,Mobile,country\nops-m-0,13913400000,CN\n");
		long run = failedRun("input=" + input, "--intake.columns.external-id=Ref", "--intake.columns.phone=Mobile");

		// when: restarted without the mapping, by runs restart and by the command
		int restart = command("runs", "restart", Long.toString(run));
		int rerun = command("input=" + input);
		int withTheMapping = command("runs", "restart", Long.toString(run), "--intake.columns.external-id=Ref",
				"--intake.columns.phone=Mobile");

		// then: refused, naming what differs (the command, by the header its settings do not find); with
		// the mapping it completes
		assertThat(restart).isEqualTo(ExitCodes.BAD_CONFIGURATION.code());
		assertThat(rerun).isEqualTo(ExitCodes.BAD_INPUT.code());
		assertThat(output).contains("Run " + run + " started with other intake settings: intake.columns.external-id=Ref"
				+ " (now external_id), intake.columns.phone=Mobile (now phone). Resume it with the settings it started with"
				+ " (add '--intake.columns.external-id=Ref' '--intake.columns.phone=Mobile')");
		assertThat(withTheMapping).isZero();
		assertThat(this.sandbox.accountsWithThirdServerCode("os-ops-m-0")).isOne();
	}

	@Test
	void findsEveryRunAndOutcomeOfAProspectByExternalIdPhoneOrEmail(CapturedOutput output) throws Exception {
		// given: a prospect created by one run, then already onboarded in the next; a row with its phone
		// that is its duplicate; a row rejected before it had a prospect
		Path input = Files.writeString(this.directory.resolve("find.csv"), "external_id,phone,country,email\n"
				+ "ops-f-0,13913200000,CN,\nops-f-1,13913200001,CN,Jane.F1@Example.org\nops-f-2,13913200001,CN,\n"
				+ ",13913209999,CN,Ghost@Example.org\n");
		command("input=" + input);
		command("input=" + input, "runKey=again");
		int lines = output.getOut().split("\n", -1).length;

		// when
		int byId = command("runs", "find", "ops-f-1");
		int byPhone = command("runs", "find", "+86 139 1320 0001");
		int rejected = command("runs", "find", "13913209999");
		int nobody = command("runs", "find", "NOPE-1");
		int byEmail = command("runs", "find", "jane.f1@example.org");
		int rejectedByEmail = command("runs", "find", "ghost@example.org");

		// then: only tables on standard output, one line per run and row
		assertThat(List.of(byId, byPhone, rejected, nobody, byEmail, rejectedByEmail)).containsOnly(0);
		String[] all = output.getOut().split("\n", -1);
		List<String> printed = List.of(all).subList(lines - 1, all.length);
		assertThat(printed).filteredOn((line) -> line.contains("os-ops-f-1")).hasSize(6)
			.anySatisfy((line) -> assertThat(line).containsPattern("CREATED +\\d+"))
			.anySatisfy((line) -> assertThat(line).contains("ALREADY_ONBOARDED").contains("onboarded as CREATED by run"));
		assertThat(printed).as("by id, by phone and by email, in both runs")
			.filteredOn((line) -> line.contains("DUPLICATE") && line.contains("same phone as line 3"))
			.hasSize(6);
		// by its phone's digits and by its email, among its cells as read, in both runs
		assertThat(printed).filteredOn((line) -> line.contains("REJECTED") && line.contains("external id")).hasSize(4);
		assertThat(printed).noneMatch((line) -> line.contains(" INFO ") || line.contains(" WARN "));
		assertThat(printed).as("an id of nobody finds no row, whatever its digits")
			.contains("(no row of company 1's runs has the external id, thirdServerCode, phone or email NOPE-1)");
	}

	@Test
	void aRetentionOfNoTimeClearsTheCellsOnceTheRejectedRowsFileHoldsThem() throws Exception {
		// given
		Path input = Files.writeString(this.directory.resolve("retention.csv"),
				"external_id,phone,country\nops-r-0,13913600000,CN\nops-r-1,12345,CN\n");

		// when
		int exitCode = command("input=" + input, "--onboarding.rejected-rows-retention=0s");

		// then
		assertThat(exitCode).isZero();
		Path file = Path.of(this.jdbc.queryForObject("SELECT summary->>'rejectedRowsFile' FROM reporting.run_summary",
				String.class));
		assertThat(Files.readAllLines(file)).containsExactly("line_number,reject_reason,external_id,phone,country",
				"3,phone is not a valid number for area +86,ops-r-1,12345,CN");
		assertThat(this.jdbc.queryForObject("SELECT cardinality(raw) FROM onboarding.input_row WHERE line_number = 3",
				Integer.class)).isZero();
	}

	@Test
	void exportsARunsRejectedRowsAndOutcomesFromTheDatabase(CapturedOutput output) throws Exception {
		// given: a completed run with a rejected row, its input since deleted
		Path input = Files.writeString(this.directory.resolve("export.csv"),
				"external_id,phone,country\nops-e-0,13913500000,CN\nops-e-1,12345,CN\n");
		command("input=" + input);
		long run = this.jdbc.queryForObject("SELECT max(job_instance_id) FROM batch_job_instance", Long.class);
		Files.delete(input);
		Path outcomes = this.directory.resolve("outcomes.csv");

		// when
		int rejected = command("runs", "export", Long.toString(run));
		int all = command("runs", "export", Long.toString(run), "outcomes", outcomes.toString());

		// then
		assertThat(rejected).isZero();
		assertThat(output.getOut()).contains("line_number,reject_reason,external_id,phone,country\r\n"
				+ "3,phone is not a valid number for area +86,ops-e-1,12345,CN\r\n");
		assertThat(all).isZero();
		assertThat(Files.readAllLines(outcomes)).containsExactly(
				"line_number,source_id,third_server_code,outcome,reason,customer_no,duplicate_of",
				"2,ops-e-0,os-ops-e-0,CREATED,," + this.jdbc.queryForObject(
						"SELECT customer_no FROM onboarding.input_row WHERE line_number = 2", String.class) + ",",
				"3,ops-e-1,,REJECTED,phone is not a valid number for area +86,,");
	}

	@Test
	void anExportIsTheRunsOwnRejectedRowsFileWhateverTheSettingsNow() throws Exception {
		// given: a run of a file with ';' between its cells, and its rejected-rows file
		Path input = Files.writeString(this.directory.resolve("semicolons.csv"),
				"external_id;phone;country\nops-s-0;13913600000;CN\nops-s-1;12345;CN\n");
		command("input=" + input, "--intake.delimiter=;");
		long run = this.jdbc.queryForObject("SELECT max(job_instance_id) FROM batch_job_instance", Long.class);
		Path own;
		try (var files = Files.list(this.directory.resolve("reports"))) {
			own = files.filter((file) -> file.getFileName().toString().matches("run-" + run + "-execution-\\d+-rejected.csv"))
				.findFirst()
				.orElseThrow();
		}
		Path exported = this.directory.resolve("exported.csv");

		// when: exported by an operator without the run's settings, naming only the file
		int exitCode = command("runs", "export", Long.toString(run), exported.toString());

		// then
		assertThat(exitCode).isZero();
		assertThat(Files.readString(exported)).isEqualTo(Files.readString(own)).startsWith("line_number;reject_reason;");
		// and a misspelt choice is not taken for a file
		assertThat(command("runs", "export", Long.toString(run), "outcome")).isEqualTo(ExitCodes.BAD_CONFIGURATION.code());
		assertThat(Path.of("outcome")).doesNotExist();
	}

	@Test
	void aCommandWhileARunHoldsTheLockSaysToWait(CapturedOutput output) throws Exception {
		// given: the company's run lock held, as by a run in progress
		TestDatabase.Connection database = TestDatabase.connection();
		try (var connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
				database.password())) {
			connection.createStatement().execute("SELECT pg_advisory_lock(hashtextextended('onboarding-sync:1', 0))");

			// when
			int exitCode = command("runs", "abandon", "1");

			// then
			assertThat(exitCode).isEqualTo(ExitCodes.RUN_IN_PROGRESS.code());
			assertThat(output).contains("Another run for company 1 is in progress").doesNotContain("unexpected");
		}
	}

	@Test
	void refusesUnknownRunsAndCommandsAsBadConfiguration() {
		assertThat(command("runs", "restart", "999999")).isEqualTo(ExitCodes.BAD_CONFIGURATION.code());
		assertThat(command("runs", "explode")).isEqualTo(ExitCodes.BAD_CONFIGURATION.code());
		assertThat(command("runs", "export", "999999")).isEqualTo(ExitCodes.BAD_CONFIGURATION.code());
	}

	// A run that failed because the platform was too busy to create, with the platform well again.
	private long failedRun(String... args) {
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withBusy(1)));
		List<String> arguments = new ArrayList<>(List.of(args));
		arguments.add("--onboarding.retry.max-retries=1");
		assertThat(command(arguments.toArray(String[]::new))).isEqualTo(ExitCodes.FAILED_RESTARTABLE.code());
		this.sandbox.faults(Faults.none());
		return this.jdbc.queryForObject("SELECT max(job_instance_id) FROM batch_job_instance", Long.class);
	}

	private Path input(String prefix, int prospects) throws Exception {
		return RunFixtures.prospects(this.directory, prefix, prospects, prefix.endsWith("a") ? "139131" : "139132");
	}

	private int command(String... args) {
		List<String> arguments = new ArrayList<>(List.of(args));
		arguments.add("--onboarding.retry.initial-delay=10ms");
		return TestApplication.run(this.directory.resolve("reports"), arguments.toArray(String[]::new));
	}

}
