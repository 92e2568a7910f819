package dev.onboardingsync.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.onboardingsync.customerapi.CreateAccountRequest;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.Endpoint;
import dev.onboardingsync.intake.BadInputException;
import dev.onboardingsync.onboarding.Ledger;
import dev.onboardingsync.onboarding.PersonalDataRetention;
import dev.onboardingsync.reporting.Reconciliation;
import dev.onboardingsync.sandbox.FaultRates;
import dev.onboardingsync.sandbox.Faults;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxCustomer;
import dev.onboardingsync.system.JobParameterNames;
import dev.onboardingsync.system.Mode;
import dev.onboardingsync.system.Run;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(properties = { "onboarding.command.enabled=false", "onboarding.report-directory=target/test-reports",
		"onboarding.retry.initial-delay=10ms", "onboarding.retry.max-delay=50ms" })
@ContextConfiguration(initializers = { TestDatabase.Initializer.class, TestSandbox.Initializer.class })
class OnboardingJobIntegrationTests {

	private static final String HEADER = "external_id,phone,phone_area,email,country,register_source,remark";

	@Autowired
	private Ledger ledger;

	@Autowired
	private RunLauncher launcher;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private Reconciliation reconciliation;

	@Autowired
	private RunOperations operations;

	@Autowired
	private JobOperator jobOperator;

	@Autowired
	private Job onboardingJob;

	@DynamicPropertySource
	static void sourceTable(DynamicPropertyRegistry registry) {
		registry.add("intake.table.url", () -> TestDatabase.connection().jdbcUrl());
		registry.add("intake.table.username", () -> TestDatabase.connection().username());
		registry.add("intake.table.password", () -> TestDatabase.connection().password());
		registry.add("intake.table.name", () -> "crm.prospects");
	}

	@TempDir
	private Path directory;

	private Sandbox sandbox;

	@BeforeEach
	void cleanSlate() {
		this.sandbox = TestSandbox.reset();
		TestDatabase.truncate(this.jdbc);
	}

	@Test
	void everyRowGetsOneOutcomeAndEveryValidProspectOneAccount() throws Exception {
		// given
		SandboxCustomer existing = this.sandbox.customers().get(0);
		Path input = csv(HEADER,
				"p-1,13912340001,+86,one@example.org,CN,1,first",
				"p-2,13912340002,,two@example.org,cn,2,",
				"p-3,+86 139 1234 0003,,,SG,3,\"with, comma\"",
				"p-4,12345,,,CN,1,bad phone",
				"p-1,13912340009,,,CN,1,same external id",
				"p-5,13912340002,,,CN,1,same phone as p-2",
				"p-6," + existing.phone() + ",+86,,CN,1,already a customer");

		// when
		JobExecution execution = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcomes(execution)).containsExactlyInAnyOrderEntriesOf(
				Map.of("CREATED", 3L, "REJECTED", 1L, "DUPLICATE", 2L, "EXISTS", 1L));
		for (String code : List.of("os-p-1", "os-p-2", "os-p-3")) {
			assertThat(this.sandbox.accountsWithThirdServerCode(code)).isEqualTo(1);
		}
		assertThat(this.sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
		assertThat(this.jdbc.queryForList("SELECT customer_no || ' ' || phone_area || ' ' || phone FROM reporting.customer",
				String.class))
			.containsExactlyInAnyOrderElementsOf(this.sandbox.customers()
				.stream()
				.map((customer) -> customer.customerNo() + " " + customer.phoneArea() + " " + customer.phone())
				.toList());
		assertThat(this.jdbc.queryForList("""
				SELECT customer_no FROM onboarding.input_row WHERE outcome IN ('CREATED', 'EXISTS') ORDER BY line_number""",
				String.class)).doesNotContainNull().hasSize(4);
	}

	@Test
	void secondRunOfTheSameFileMakesNoCreateCall() throws Exception {
		// given
		Path input = csv(HEADER, "q-1,13912350001,,,CN,1,", "q-2,13912350002,,,CN,1,");
		JobExecution first = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));
		long createsAfterFirst = this.sandbox.state().requests("create");

		// when
		JobExecution second = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));

		// then
		assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(second.getJobInstance().getInstanceId()).isNotEqualTo(first.getJobInstance().getInstanceId());
		assertThat(outcomes(second)).containsExactlyInAnyOrderEntriesOf(Map.of("ALREADY_ONBOARDED", 2L));
		assertThat(this.sandbox.state().requests("create")).isEqualTo(createsAfterFirst).isEqualTo(2);
	}

	@Test
	void personalDataIsKeptWhileARunCanResumeAndClearedOnceItEndedForGood() throws Exception {
		// given: a failed run with a pending prospect that carries its initial password, and a rejected row
		Path input = csv("external_id,phone,country,password_md5", "pd-1,13912350001,CN,0123456789abcdef0123456789abcdef",
				"pd-2,12345,CN,");
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withBusy(1)));
		JobExecution failed = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));
		this.sandbox.faults(Faults.none());
		PersonalDataRetention noRetention = new PersonalDataRetention(this.ledger, Duration.ZERO);

		// when: cleared while the run can still be resumed
		noRetention.clear();

		// then: kept
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(passwordHash("os-pd-1")).isEqualTo("0123456789abcdef0123456789abcdef");
		assertThat(rawCells(failed, 3)).containsExactly("pd-2", "12345", "CN", "");

		// when: the run is abandoned, then its cells' retention has passed
		this.operations.execute(List.of("abandon", Long.toString(failed.getJobInstance().getInstanceId())), System.out);
		String hashAfterAbandon = passwordHash("os-pd-1");
		List<String> cellsAfterAbandon = rawCells(failed, 3);
		noRetention.clear();

		// then: the password hash goes at once, the cells after onboarding.rejected-rows-retention
		assertThat(hashAfterAbandon).isNull();
		assertThat(cellsAfterAbandon).containsExactly("pd-2", "12345", "CN", "");
		assertThat(rawCells(failed, 3)).isEmpty();
	}

	@Test
	void aPasswordHashAnUnfinishedRunStillNeedsOutlivesTheAbandonOfAnotherRun() throws Exception {
		// given: run A fails with a prospect that carries its initial password; run B, the same file under
		// another run key, takes it, fails, and is abandoned
		Path input = csv("external_id,phone,country,password_md5", "pk-1,13912380001,CN,0123456789abcdef0123456789abcdef");
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withBusy(1)));
		JobExecution failedA = this.launcher.launch(RunRequest.parse(List.of("input=" + input, "runKey=keep-a")));
		JobExecution failedB = this.launcher.launch(RunRequest.parse(List.of("input=" + input, "runKey=keep-b")));
		this.operations.execute(List.of("abandon", Long.toString(failedB.getJobInstance().getInstanceId())), System.out);
		new PersonalDataRetention(this.ledger, Duration.ZERO).clear();

		// then: the hash is kept for run A, which has yet to settle the prospect
		assertThat(List.of(failedA.getStatus(), failedB.getStatus())).containsOnly(BatchStatus.FAILED);
		assertThat(passwordHash("os-pk-1")).isEqualTo("0123456789abcdef0123456789abcdef");

		// and when A's command runs again: A takes the prospect back and creates it (the processor sends
		// the prospect's hash when it has one), after which the hash goes as for any settled prospect
		this.sandbox.faults(Faults.none());
		JobExecution resumedA = this.launcher.launch(RunRequest.parse(List.of("input=" + input, "runKey=keep-a")));
		assertThat(resumedA.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcomes(resumedA)).containsExactlyInAnyOrderEntriesOf(Map.of("CREATED", 1L));
		assertThat(this.sandbox.state().handled("create")).isEqualTo(1);
		assertThat(passwordHash("os-pk-1")).isNull();
	}

	private String passwordHash(String thirdServerCode) {
		return this.jdbc.queryForObject("SELECT pwd_md5 FROM onboarding.prospect WHERE third_server_code = ?",
				String.class, thirdServerCode);
	}

	private List<String> rawCells(JobExecution execution, long line) {
		return this.jdbc.queryForObject("SELECT raw FROM onboarding.input_row WHERE run_id = ? AND line_number = ?",
				(rs, row) -> List.of((String[]) rs.getArray(1).getArray()), execution.getJobInstance().getInstanceId(),
				line);
	}

	@Test
	void failedRunIsResumedBySameCommandWithoutDuplicates() throws Exception {
		// given: the platform refuses every create as busy, beyond the retries
		Path input = csv(HEADER, "r-1,13912360001,,,CN,1,", "r-2,13912360002,,,CN,1,", "r-3,13912360003,,,CN,1,");
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withBusy(1)));
		JobExecution failed = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(ExitCodes.of(failed)).isEqualTo(ExitCodes.FAILED_RESTARTABLE);
		assertThat(outcomes(failed)).containsEntry("PENDING", 3L);
		assertThat(this.sandbox.state().customers()).isEqualTo(100);

		// when: the platform recovers and the same command runs again
		this.sandbox.faults(Faults.none());
		JobExecution resumed = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));

		// then
		assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(resumed.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
		assertThat(outcomes(resumed)).containsExactlyInAnyOrderEntriesOf(Map.of("CREATED", 3L));
		assertThat(this.sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
		assertThat(this.sandbox.state().customers()).isEqualTo(103);
	}

	@Test
	void aRunWhoseProspectsAnotherRunStagedAgainIsFinishedByItsSameCommand() throws Exception {
		// given: run A fails, every create refused as busy; run B, the same file under another run key,
		// fails too, having staged A's prospects again (and so taken them: a fresh user's try, issue 13)
		Path input = csv(HEADER, "t-1,13912370001,,,CN,1,", "t-2,13912370002,,,CN,1,");
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withBusy(1)));
		JobExecution failedA = this.launcher.launch(RunRequest.parse(List.of("input=" + input, "runKey=take-a")));
		JobExecution failedB = this.launcher.launch(RunRequest.parse(List.of("input=" + input, "runKey=take-b")));
		assertThat(List.of(failedA.getStatus(), failedB.getStatus())).containsOnly(BatchStatus.FAILED);
		assertThat(failedB.getJobInstance().getInstanceId()).isNotEqualTo(failedA.getJobInstance().getInstanceId());

		// when: the platform recovers and A's command runs again
		this.sandbox.faults(Faults.none());
		JobExecution resumedA = this.launcher.launch(RunRequest.parse(List.of("input=" + input, "runKey=take-a")));

		// then: A takes its prospects back and completes, one account each
		assertThat(resumedA.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcomes(resumedA)).containsExactlyInAnyOrderEntriesOf(Map.of("CREATED", 2L));
		assertThat(this.sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
		assertThat(this.sandbox.state().customers()).isEqualTo(102);

		// and when B's command runs again: its rows take what A did, and nothing more is created
		JobExecution resumedB = this.launcher.launch(RunRequest.parse(List.of("input=" + input, "runKey=take-b")));
		assertThat(resumedB.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcomes(resumedB)).containsExactlyInAnyOrderEntriesOf(Map.of("ALREADY_ONBOARDED", 2L));
		assertThat(this.sandbox.state().customers()).isEqualTo(102);
		assertThat(this.sandbox.state().handled("create")).isEqualTo(2);
	}

	@Test
	void lostCreateAnswersAreSettledByCheckNotBySecondAccount() throws Exception {
		// given: every create is committed by the platform and its answer lost, half of them
		Path input = csv(HEADER, "s-1,13912370001,,,CN,1,", "s-2,13912370002,,,CN,1,", "s-3,13912370003,,,CN,1,",
				"s-4,13912370004,,,CN,1,", "s-5,13912370005,,,CN,1,", "s-6,13912370006,,,CN,1,");
		this.sandbox.faults(new Faults(Duration.ZERO, Duration.ZERO, 0, Duration.ofSeconds(1), 503, 5L,
				Map.of("create", FaultRates.none().withLostResponse(0.5))));

		// when
		JobExecution execution = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.sandbox.state().faultsInjected().get("LOST_RESPONSE")).isPositive();
		assertThat(outcomes(execution)).containsExactlyInAnyOrderEntriesOf(Map.of("CREATED", 6L));
		for (int i = 1; i <= 6; i++) {
			assertThat(this.sandbox.accountsWithThirdServerCode("os-s-" + i)).isEqualTo(1);
		}
		assertThat(this.jdbc.queryForObject(
				"SELECT count(*) FROM onboarding.prospect WHERE status = 'CREATED' AND customer_no IS NOT NULL", Long.class))
			.isEqualTo(6);
	}

	@Test
	void confirmationsOfLostCreatesAreRetriedWhenDetailIsBusy() throws Exception {
		// given: half the create answers are lost, so their creations are inferred and confirmed by
		// detail, which answers busy one call in three
		String[] rows = new String[40];
		for (int i = 0; i < rows.length; i++) {
			rows[i] = "c-" + i + ",1391246" + String.format("%04d", i) + ",,,CN,1,";
		}
		Path input = csv(HEADER, rows);
		this.sandbox.faults(new Faults(Duration.ZERO, Duration.ZERO, 0, Duration.ofSeconds(1), 503, 11L,
				Map.of("create", FaultRates.none().withLostResponse(0.5), "detail", FaultRates.none().withBusy(0.34))));

		// when
		JobExecution execution = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));

		// then: completed, every creation confirmed, and the summary says nothing untrue
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.sandbox.state().faultsInjected()).containsKeys("LOST_RESPONSE", "BUSY");
		assertThat(this.sandbox.state().requests("detail")).isGreaterThan(this.sandbox.state().faultsInjected().get("BUSY"));
		assertThat(outcomes(execution)).containsExactlyInAnyOrderEntriesOf(Map.of("CREATED", 40L));
		assertThat(this.sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
		assertThat(this.sandbox.state().customers()).isEqualTo(140);
		assertThat(this.jdbc.queryForObject("""
				SELECT count(*) FROM onboarding.input_row WHERE outcome = 'CREATED' AND customer_no IS NOT NULL""",
				Long.class)).isEqualTo(40);
		assertThat(this.jdbc.queryForObject("SELECT summary->>'createdButMissingOnPlatform' FROM reporting.run_summary"
				+ " WHERE job_execution_id = ?", String.class, execution.getId())).isEqualTo("0");
		assertThat(this.jdbc.queryForObject("SELECT summary->>'createdUnconfirmed' FROM reporting.run_summary"
				+ " WHERE job_execution_id = ?", String.class, execution.getId())).isEqualTo("0");
	}

	@Test
	void dryRunCreatesNothingAndLeavesTheRealRunItsWork() throws Exception {
		// given
		SandboxCustomer existing = this.sandbox.customers().get(1);
		Path input = csv(HEADER, "t-1,13912380001,,,CN,1,", "t-2," + existing.phone() + ",,,CN,1,", "t-3,123,,,CN,1,",
				"t-4,13912380004,," + existing.email() + ",CN,1,");

		// when
		JobExecution dryRun = this.launcher.launch(RunRequest.parse(List.of("input=" + input, "dryRun=true")));

		// then: the reason names the identity a customer has
		assertThat(dryRun.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcomes(dryRun)).containsExactlyInAnyOrderEntriesOf(
				Map.of("WOULD_CREATE", 1L, "EXISTS", 2L, "REJECTED", 1L));
		assertThat(this.jdbc.queryForList("SELECT source_id || ': ' || reason FROM onboarding.input_row WHERE run_id = ?"
				+ " AND outcome = 'EXISTS' ORDER BY line_number", String.class, dryRun.getJobInstance().getInstanceId()))
			.containsExactly("t-2: phone already registered", "t-4: email already registered");
		assertThat(this.sandbox.state().requests("create")).isZero();

		// and when the real run follows
		JobExecution live = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));

		// then
		assertThat(outcomes(live)).containsExactlyInAnyOrderEntriesOf(
				Map.of("CREATED", 1L, "EXISTS", 2L, "REJECTED", 1L));
		assertThat(this.sandbox.accountsWithThirdServerCode("os-t-1")).isEqualTo(1);
	}

	@Test
	void executionLeftStartedByADeadProcessIsRecoveredAndResumed() throws Exception {
		// given: a run that failed, then marked STARTED as a process killed mid-run leaves it
		Path input = csv(HEADER, "u-1,13912390001,,,CN,1,", "u-2,13912390002,,,CN,1,");
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withServerError(1)));
		JobExecution killed = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));
		this.jdbc.update("UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', end_time = NULL"
				+ " WHERE job_execution_id = ?", killed.getId());
		this.jdbc.update("UPDATE batch_step_execution SET status = 'STARTED', end_time = NULL"
				+ " WHERE job_execution_id = ? AND status = 'FAILED'", killed.getId());
		this.sandbox.faults(Faults.none());

		// when
		JobExecution resumed = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));

		// then
		assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(resumed.getJobInstance().getInstanceId()).isEqualTo(killed.getJobInstance().getInstanceId());
		assertThat(this.jdbc.queryForObject("SELECT status FROM batch_job_execution WHERE job_execution_id = ?",
				String.class, killed.getId())).isEqualTo("FAILED");
		assertThat(outcomes(resumed)).containsExactlyInAnyOrderEntriesOf(Map.of("CREATED", 2L));
	}

	@Test
	void anotherRunOfTheCompanyHoldingTheLockIsRefused() throws Exception {
		// given
		Path input = csv(HEADER, "v-1,13912400001,,,CN,1,");
		TestDatabase.Connection database = TestDatabase.connection();
		try (RunLock held = RunLock.tryAcquire(
				RunLock.Connector.direct(database.jdbcUrl(), database.username(), database.password()), "1")) {
			assertThat(held).isNotNull();

			// when / then
			assertThatThrownBy(() -> this.launcher.launch(RunRequest.parse(List.of("input=" + input))))
				.isInstanceOf(ExitCodeException.class)
				.satisfies((ex) -> assertThat(ExitCodes.of(ex)).isEqualTo(ExitCodes.RUN_IN_PROGRESS));
		}
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM batch_job_instance", Long.class)).isZero();
	}

	@Test
	void inputWithoutRequiredColumnsIsBadInputAndStartsNoRun() throws Exception {
		// given
		Path input = csv("id,mobile", "w-1,13912410001");

		// when / then
		assertThatThrownBy(() -> this.launcher.launch(RunRequest.parse(List.of("input=" + input))))
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("'external_id' (external-id)")
			.hasMessageContaining("intake.columns")
			.satisfies((ex) -> assertThat(ExitCodes.of(ex)).isEqualTo(ExitCodes.BAD_INPUT));
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM batch_job_instance", Long.class)).isZero();
	}

	@Test
	void missingInputFileIsBadInput() {
		assertThatThrownBy(() -> this.launcher.launch(RunRequest.parse(List.of("input=" + this.directory.resolve("none.csv")))))
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("does not exist");
	}

	@Test
	void tableInputGivesTheSameOutcomesAsCsv() throws Exception {
		// given: the same prospects in a CSV file and in a table of a source database
		this.jdbc.execute("DROP SCHEMA IF EXISTS crm CASCADE");
		this.jdbc.execute("CREATE SCHEMA crm");
		this.jdbc.execute("CREATE TABLE crm.prospects (external_id text PRIMARY KEY, phone text, phone_area text,"
				+ " email text, country text, register_source int, remark text)");
		SandboxCustomer existing = this.sandbox.customers().get(2);
		String[] rows = { "x-1,13912420001,,,CN,1,", "x-2,13912420002,,x2@example.org,CN,1,",
				"x-3,1391242,,,CN,1,short", "x-4,13912420002,,,CN,1,dup phone", "x-5," + existing.phone() + ",,,CN,1," };
		for (String row : rows) {
			String[] cells = row.split(",", -1);
			this.jdbc.update("INSERT INTO crm.prospects VALUES (?, ?, ?, ?, ?, ?, ?)", cells[0], cells[1],
					blankToNull(cells[2]), blankToNull(cells[3]), cells[4], Integer.valueOf(cells[5]), blankToNull(cells[6]));
		}
		Path input = csv(HEADER, rows);
		JobExecution fromCsv = this.launcher.launch(RunRequest.parse(List.of("input=" + input, "dryRun=true")));

		// when
		JobExecution fromTable = this.launcher.launch(RunRequest.parse(List.of("input=table", "dryRun=true")));

		// then
		assertThat(fromTable.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcomes(fromTable)).isEqualTo(outcomes(fromCsv))
			.containsExactlyInAnyOrderEntriesOf(Map.of("WOULD_CREATE", 2L, "REJECTED", 1L, "DUPLICATE", 1L, "EXISTS", 1L));
	}

	@Test
	void aTableThatGainsRowsWhileARunReadsItIsReadToTheKeyItHadAtTheStart() throws Exception {
		// given: a run's pre-read of a table (3 rows, keys up to k-05), then rows added before staging
		// reads it: one behind the last key (k-02), one after it (k-09)
		this.jdbc.execute("DROP SCHEMA IF EXISTS crm CASCADE");
		this.jdbc.execute("CREATE SCHEMA crm");
		this.jdbc.execute("CREATE TABLE crm.prospects (external_id text PRIMARY KEY, phone text, country text)");
		this.jdbc.execute("INSERT INTO crm.prospects VALUES ('k-01', '13912340001', 'CN'), ('k-03', '13912340003', 'CN'),"
				+ " ('k-05', '13912340005', 'CN')");
		JobExecution first = this.launcher.launch(RunRequest.parse(List.of("input=table", "dryRun=true")));
		JobParameters preRead = first.getJobParameters();
		this.jdbc.execute("INSERT INTO crm.prospects VALUES ('k-02', '13912340002', 'CN'), ('k-09', '13912340009', 'CN')");

		// when: a run staged with what that pre-read found
		JobExecution live = this.jobOperator.start(this.onboardingJob, new JobParametersBuilder(preRead)
			.addString(JobParameterNames.MODE, Mode.LIVE.name())
			.addString("runKey", "live-table")
			.toJobParameters());
		JobExecution next = this.launcher.launch(RunRequest.parse(List.of("input=table", "runKey=live-table")));

		// then: the run reads up to k-05, k-02 included; k-09 waits for the next run, which creates it
		assertThat(preRead.getLong(JobParameterNames.INPUT_ROWS)).isEqualTo(3L);
		assertThat(preRead.getString(JobParameterNames.INPUT_UPPER_KEY)).isEqualTo("k-05");
		assertThat(live.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcomes(live)).containsExactlyInAnyOrderEntriesOf(Map.of("CREATED", 4L));
		assertThat(next.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcomes(next)).containsExactlyInAnyOrderEntriesOf(Map.of("CREATED", 1L, "ALREADY_ONBOARDED", 4L));
		assertThat(this.sandbox.accountsWithThirdServerCode("os-k-09")).isOne();
		assertThat(this.sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
	}

	@Test
	void aResumedTableRunReadsToTheKeyItsFirstExecutionHad() throws Exception {
		// given: a table run that failed after staging its 2 rows (the platform busy for every create), then a
		// row added with a larger key
		this.jdbc.execute("DROP SCHEMA IF EXISTS crm CASCADE");
		this.jdbc.execute("CREATE SCHEMA crm");
		this.jdbc.execute("CREATE TABLE crm.prospects (external_id text PRIMARY KEY, phone text, country text)");
		this.jdbc.execute("INSERT INTO crm.prospects VALUES ('r-01', '13912360001', 'CN'), ('r-02', '13912360002', 'CN')");
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withBusy(1)));
		JobExecution failed = this.launcher.launch(RunRequest.parse(List.of("input=table", "runKey=resumed-table")));
		this.sandbox.faults(Faults.none());
		this.jdbc.execute("INSERT INTO crm.prospects VALUES ('r-09', '13912360009', 'CN')");

		// when: the same command, then again once it completed
		JobExecution resumed = this.launcher.launch(RunRequest.parse(List.of("input=table", "runKey=resumed-table")));
		JobExecution next = this.launcher.launch(RunRequest.parse(List.of("input=table", "runKey=resumed-table")));

		// then: the resumed run kept its first execution's bounds; the added row is the next run's
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(resumed.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
		assertThat(resumed.getJobParameters().getString(JobParameterNames.INPUT_UPPER_KEY)).isEqualTo("r-02");
		assertThat(resumed.getJobParameters().getLong(JobParameterNames.INPUT_ROWS)).isEqualTo(2L);
		assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcomes(resumed)).containsExactlyInAnyOrderEntriesOf(Map.of("CREATED", 2L));
		assertThat(outcomes(next)).containsExactlyInAnyOrderEntriesOf(Map.of("CREATED", 1L, "ALREADY_ONBOARDED", 2L));
		assertThat(this.sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
	}

	@Test
	void tableWhoseKeyRepeatsOrIsNullIsRefusedBeforeStaging() {
		// given: ../shared/cases/table-key-repeats-and-nulls.sql, paged 2 rows at a time
		this.jdbc.execute("DROP SCHEMA IF EXISTS crm CASCADE");
		this.jdbc.execute("CREATE SCHEMA crm");
		this.jdbc.execute("CREATE TABLE crm.prospects (row_no int, external_id text, phone text, country text)");
		this.jdbc.execute("""
				INSERT INTO crm.prospects VALUES (1, 'T-001', '13900000001', 'CN'), (2, 'T-002', '13900000002', 'CN'),
				    (3, 'T-002', '13900000003', 'CN'), (4, 'T-003', '13900000004', 'CN'), (5, 'T-004', '13900000005', 'CN'),
				    (6, 'T-004', '13900000006', 'CN'), (7, NULL, '13900000007', 'CN')""");

		// when / then: exit code 2, naming the column and what is wrong with it, and nothing staged
		assertThatThrownBy(() -> this.launcher.launch(RunRequest.parse(List.of("input=table"))))
			.isInstanceOf(BadInputException.class)
			.hasMessageContaining("key column 'external_id' (intake.table.key-column)")
			.hasMessageContaining("of its 7 rows, 2 repeat another row's value and 1 has none (NULL)");
		assertThat(ExitCodes.of(new BadInputException("x"))).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM batch_job_instance", Long.class)).isZero();
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM onboarding.input_row", Long.class)).isZero();
	}

	@Test
	void reportsTheRunAndWritesRejectedRowsToAFileThatCanBeFixedAndFedBack() throws Exception {
		// given
		Path input = csv(HEADER, "y-1,13912430001,,,CN,1,fine", "y-2,12345,,,CN,1,=HYPERLINK(\"http://x\")");
		JobExecution first = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));

		// when
		Map<String, Object> summary = this.jdbc.queryForMap("""
				SELECT rows_read, accounts_created, status, summary->>'rejectedRowsFile' AS rejected,
				       summary->>'reportFile' AS report, summary->'outcomes'->>'REJECTED' AS rejected_count
				FROM reporting.run_summary WHERE job_execution_id = ?""", first.getId());
		Path rejected = Path.of((String) summary.get("rejected"));
		List<String> lines = Files.readAllLines(rejected);

		// then
		assertThat(summary).containsEntry("rows_read", 2L).containsEntry("accounts_created", 1L)
			.containsEntry("status", "COMPLETED").containsEntry("rejected_count", "1");
		assertThat(Path.of((String) summary.get("report"))).exists();
		assertThat(lines).containsExactly("line_number,reject_reason," + HEADER,
				"3,phone is not a valid number for area +86,y-2,12345,,,CN,1,\"'=HYPERLINK(\"\"http://x\"\")\"");

		// and when the operator fixes the phone and feeds the file back
		Files.writeString(rejected, String.join("\n", lines).replace(",y-2,12345,", ",y-2,13912430002,"));
		JobExecution refed = this.launcher.launch(RunRequest.parse(List.of("input=" + rejected)));

		// then
		assertThat(outcomes(refed)).containsExactlyInAnyOrderEntriesOf(Map.of("CREATED", 1L));
		assertThat(this.jdbc.queryForObject("SELECT remark FROM onboarding.prospect WHERE third_server_code = 'os-y-2'",
				String.class)).isEqualTo("=HYPERLINK(\"http://x\")");
	}

	@Test
	void inferredCreationOfAnotherCustomersPhoneIsRecordedAsExists() throws Exception {
		// given: a prospect recorded as created after a lost answer, whose phone turns out to belong
		// to a customer with another thirdServerCode
		String customerNo = createCustomer("13912440001", "someone-else");
		inferredCreationOfRun900("z-1", "13912440001");
		this.jdbc.update("INSERT INTO reporting.customer (customer_no, company_id, phone_area, phone)"
				+ " VALUES (?, 1, '+86', '13912440001')", customerNo);

		long prospectId = this.jdbc.queryForObject("SELECT id FROM onboarding.prospect WHERE run_id = 900", Long.class);

		// when
		this.reconciliation.record(List.of(this.reconciliation
			.confirm(new Reconciliation.InferredCreation(prospectId, "os-z-1", customerNo))));
		this.reconciliation.link(new Run(900, "1", Mode.LIVE));

		// then
		assertThat(this.jdbc.queryForMap("SELECT outcome, customer_no, reason FROM onboarding.input_row WHERE run_id = 900"))
			.containsEntry("outcome", "EXISTS")
			.containsEntry("customer_no", customerNo)
			.containsEntry("reason", "phone already registered to customer " + customerNo);
	}

	@ParameterizedTest(name = "job {0}, onboard step {1}")
	@CsvSource({ "UNKNOWN, UNKNOWN", "FAILED, UNKNOWN", "STARTED, UNKNOWN", "STOPPED, STARTED" })
	void runLeftWithAStepThatDidNotEndIsResumedBySameCommand(String jobStatus, String stepStatus) throws Exception {
		// given: a run whose onboard step ended UNKNOWN, and its execution UNKNOWN, FAILED, or still
		// marked running (the process died before its last update), as a database outage leaves them
		// (the outage itself: RestartProcessIntegrationTests); or a job saved STOPPED by SIGTERM whose
		// step was still running when a kill -9 came (Kubernetes after the grace period)
		Path input = csv(HEADER, "k-1,13912450001,,,CN,1,", "k-2,13912450002,,,CN,1,");
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withBusy(1)));
		JobExecution failed = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));
		this.sandbox.faults(Faults.none());
		this.jdbc.update("UPDATE batch_job_execution SET status = ?, end_time = CASE WHEN ? = 'STARTED' THEN NULL"
				+ " ELSE end_time END WHERE job_execution_id = ?", jobStatus, jobStatus, failed.getId());
		this.jdbc.update("UPDATE batch_step_execution SET status = ?, end_time = CASE WHEN ? = 'STARTED' THEN NULL"
				+ " ELSE end_time END WHERE job_execution_id = ? AND step_name = 'onboardProspectsStep'", stepStatus,
				stepStatus, failed.getId());

		// when
		JobExecution resumed = this.launcher.launch(RunRequest.parse(List.of("input=" + input)));

		// then
		assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(resumed.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
		assertThat(this.jdbc.queryForList("SELECT status FROM batch_step_execution WHERE job_execution_id = ?",
				String.class, failed.getId())).doesNotContain("UNKNOWN", "STARTED");
		assertThat(outcomes(resumed)).containsExactlyInAnyOrderEntriesOf(Map.of("CREATED", 2L));
		assertThat(this.sandbox.accountsWithThirdServerCode("os-k-1")).isEqualTo(1);
		assertThat(this.sandbox.accountsWithThirdServerCode("os-k-2")).isEqualTo(1);
	}

	@Test
	void aLaterRunConfirmsCreationsAnEarlierRunLeftUnconfirmed() throws Exception {
		// given: run 900 completed with a creation inferred after a lost answer and not yet confirmed
		String customerNo = createCustomer("13912470001", "os-u-1");
		inferredCreationOfRun900("u-1", "13912470001");

		// when: any later run of the company, whose input has that prospect again
		JobExecution later = this.launcher.launch(RunRequest.parse(List.of("input="
				+ csv(HEADER, "u-2,13912470002,,,CN,1,", "u-1,13912470001,,,CN,1,"))));

		// then
		assertThat(later.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.jdbc.queryForMap("SELECT outcome, customer_no, reason FROM onboarding.input_row WHERE run_id = 900"))
			.containsEntry("outcome", "CREATED")
			.containsEntry("customer_no", customerNo)
			.containsEntry("reason", "created; confirmed by its thirdServerCode");
		assertThat(this.jdbc.queryForMap("SELECT outcome, customer_no FROM onboarding.input_row WHERE run_id = ?"
				+ " AND source_id = 'u-1'", later.getJobInstance().getInstanceId()))
			.containsEntry("outcome", "ALREADY_ONBOARDED")
			.containsEntry("customer_no", customerNo);
	}

	/** A customer made on the platform directly, as a create whose answer was lost made it. */
	private String createCustomer(String phone, String thirdServerCode) throws IOException {
		try (CustomerApiClient client = CustomerApiClient.create(TestSandbox.clientProperties(this.sandbox.baseUrl()))) {
			return client.createAccount(new CreateAccountRequest(phone, null, "+86", null,
					"dc483e80a7a0bd9ef71d8cf973673924", "CN", 1, 1L, null, null, null, null, null, null, null,
					thirdServerCode, List.of()));
		}
	}

	/** Run 900's ledger after a create whose answer was lost: recorded CREATED, no customerNo yet. */
	private void inferredCreationOfRun900(String externalId, String phone) {
		this.jdbc.update("INSERT INTO onboarding.run (run_id, company_id, mode, input_location, run_key)"
				+ " VALUES (900, '1', 'LIVE', 'x.csv', 'adhoc')");
		this.jdbc.update("INSERT INTO onboarding.prospect (company_id, mode, third_server_code, source_id, status,"
				+ " phone_area, phone, country, register_source, customer_group_id, run_id)"
				+ " VALUES ('1', 'LIVE', ?, ?, 'CREATED', '+86', ?, 'CN', 1, 1, 900)", "os-" + externalId, externalId,
				phone);
		this.jdbc.update("INSERT INTO onboarding.input_row (run_id, line_number, source_id, third_server_code, outcome, raw)"
				+ " VALUES (900, 2, ?, ?, 'CREATED', '{}')", externalId, "os-" + externalId);
	}

	private Map<String, Long> outcomes(JobExecution execution) {
		return this.jdbc
			.queryForList("SELECT outcome, count(*) AS n FROM onboarding.input_row WHERE run_id = ? GROUP BY outcome",
					execution.getJobInstance().getInstanceId())
			.stream()
			.collect(Collectors.toMap((row) -> (String) row.get("outcome"), (row) -> (Long) row.get("n")));
	}

	private static String blankToNull(String value) {
		return value.isEmpty() ? null : value;
	}

	private Path csv(String header, String... rows) throws IOException {
		Path file = Files.createTempFile(this.directory, "prospects", ".csv");
		Files.writeString(file, header + "\n" + String.join("\n", rows) + "\n", StandardCharsets.UTF_8);
		return file;
	}

}
