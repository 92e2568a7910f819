package dev.onboardingsync.onboarding;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.onboardingsync.customerapi.Endpoint;
import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.intake.IntakeProperties;
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

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two onboarding steps of {@code onboardingJob}, each run alone by Spring Batch's
 * {@link JobOperatorTestUtils#startStep(String, JobParameters, ExecutionContext)} (a surrogate job
 * of that one step), against the test PostgreSQL and the sandbox over HTTP: what each step records
 * in the ledger, and what it sends to the platform (issue 11). Steps are found by their names in
 * the job, so that these tests hold whatever classes make them.
 * <p>
 * The surrogate job does first what {@code onboardingJob} does when an execution starts: it
 * registers the run in the ledger, which the input rows refer to. A step is given the job
 * parameters a run is launched with ({@link JobParameterNames}). The onboard step settles the
 * prospects its own run staged: it runs in the stage step's run, resumed as a failed run is.
 * <p>
 * The context is that of {@code run.InputCasesIntegrationTests} (the same settings), so that no
 * other application and connection pool is started; hence {@code JobOperatorTestUtils} made here
 * rather than by {@code @SpringBatchTest}, whose bean would start another context (and which cannot
 * pick the job to test among the two).
 */
@SpringBootTest(properties = { "onboarding.command.enabled=false", "onboarding.report-directory=target/test-reports",
		"onboarding.retry.initial-delay=10ms", "onboarding.retry.max-delay=50ms" })
@ContextConfiguration(initializers = { TestDatabase.Initializer.class, TestSandbox.Initializer.class })
class OnboardingStepsIntegrationTests {

	private static final String STAGE_STEP = "stageProspectsStep";

	private static final String ONBOARD_STEP = "onboardProspectsStep";

	private static final String HEADER = "external_id,phone,phone_area,email,country,register_source,remark";

	@Autowired
	private Job onboardingJob;

	@Autowired
	private JobOperator jobOperator;

	@Autowired
	private JobRepository jobRepository;

	@Autowired
	private Ledger ledger;

	@Autowired
	private IntakeProperties intake;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private ThreadPoolTaskExecutor apiTaskExecutor;

	@TempDir
	private Path directory;

	private JobOperatorTestUtils steps;

	private Sandbox sandbox;

	@BeforeEach
	void cleanSlate() {
		this.sandbox = TestSandbox.reset();
		TestDatabase.truncate(this.jdbc);
		this.steps = new JobOperatorTestUtils(registeringRuns(this.jobOperator), this.jobRepository);
		this.steps.setJob(this.onboardingJob);
	}

	@Test
	void stageStepRecordsEveryInputRowWithItsOutcomeAndSendsNothingToThePlatform() throws Exception {
		// given
		long customersBefore = this.sandbox.state().customers();
		Path input = csv("s-1,13912340001,+86,one@example.org,CN,1,first",
				"s-2,13912340002,,,CN,1,",
				"s-3,12345,,,CN,1,bad phone",
				"s-4,13912340004,,,CN,1,extra,cells",
				"s-1,13912340001,+86,one@example.org,CN,1,first",
				"s-5,13912340002,,,CN,1,same phone as s-2");
		JobParameters run = runParameters(input, 6);

		// when
		JobExecution execution = this.steps.startStep(STAGE_STEP, run, new ExecutionContext());

		// then: the step read and recorded every row, filtering and skipping none
		StepExecution step = onlyStep(execution);
		assertThat(step.getStepName()).isEqualTo(STAGE_STEP);
		assertThat(step.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(step.getReadCount()).isEqualTo(6);
		assertThat(step.getWriteCount()).isEqualTo(6);
		assertThat(step.getFilterCount()).isZero();
		assertThat(step.getSkipCount()).isZero();
		// one input row per line, with its outcome
		long runId = runId(execution);
		assertThat(outcomesByLine(runId)).containsExactlyEntriesOf(new TreeMap<>(Map.of(2L, "PENDING", 3L, "PENDING",
				4L, "REJECTED", 5L, "REJECTED", 6L, "DUPLICATE", 7L, "DUPLICATE")));
		assertThat(row(runId, 4)).containsEntry("source_id", "s-3").containsEntry("third_server_code", null);
		assertThat((String) row(runId, 4).get("reason")).contains("phone");
		assertThat(row(runId, 5)).containsEntry("reason", "row has 8 cells where the header has 7");
		assertThat(row(runId, 6)).containsEntry("third_server_code", "os-s-1")
			.containsEntry("duplicate_of", 2L)
			.containsEntry("reason", "same external id as line 2");
		assertThat(row(runId, 7)).containsEntry("duplicate_of", 3L).containsEntry("reason", "same phone as line 3");
		// a prospect staged per accepted identity, for this run, waiting for the onboard step
		assertThat(this.jdbc.queryForList("""
				SELECT third_server_code || ' ' || status FROM onboarding.prospect WHERE run_id = ?
				ORDER BY third_server_code""", String.class, runId)).containsExactly("os-s-1 PENDING", "os-s-2 PENDING");
		// the input's header kept with the run, for its rejected rows once the file is gone
		assertThat(this.jdbc.queryForObject("SELECT array_to_string(input_header, ',') FROM onboarding.run"
				+ " WHERE run_id = ?", String.class, runId)).isEqualTo(HEADER);
		// and not one request to the platform
		assertThat(this.sandbox.state().requests().values()).allSatisfy((count) -> assertThat(count).isZero());
		assertThat(this.sandbox.state().requests("create")).isZero();
		assertThat(this.sandbox.state().customers()).isEqualTo(customersBefore);
	}

	@Test
	void onboardStepSettlesEachStagedProspectOnceWithOneAccountPerThirdServerCode() throws Exception {
		// given: a customer the platform already has, and a staged run
		SandboxCustomer existing = this.sandbox.customers().get(0);
		long customersBefore = this.sandbox.state().customers();
		JobParameters run = runParameters(csv("o-1,13912350001,,,CN,1,",
				"o-2,13912350002,,,CN,1,",
				"o-3," + existing.phone() + "," + existing.phoneArea() + ",,CN,1,already a customer",
				"o-4,12345,,,CN,1,bad phone"), 4);
		JobExecution staged = this.steps.startStep(STAGE_STEP, run, new ExecutionContext());
		resumable(staged);

		// when
		JobExecution execution = this.steps.startStep(ONBOARD_STEP, run, new ExecutionContext());

		// then: the step ran in the staged run and read each of its three prospects once
		assertThat(runId(execution)).isEqualTo(runId(staged));
		StepExecution step = onlyStep(execution);
		assertThat(step.getStepName()).isEqualTo(ONBOARD_STEP);
		assertThat(step.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(step.getReadCount()).isEqualTo(3);
		assertThat(step.getWriteCount()).isEqualTo(3);
		// one check each, one create for each prospect the platform did not have
		assertThat(this.sandbox.state().requests("check")).isEqualTo(3);
		assertThat(this.sandbox.state().requests("create")).isEqualTo(2);
		assertThat(this.sandbox.state().handled("create")).isEqualTo(2);
		assertThat(this.sandbox.accountsWithThirdServerCode("os-o-1")).isEqualTo(1);
		assertThat(this.sandbox.accountsWithThirdServerCode("os-o-2")).isEqualTo(1);
		assertThat(this.sandbox.accountsWithThirdServerCode("os-o-3")).isZero();
		assertThat(this.sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
		assertThat(this.sandbox.state().customers()).isEqualTo(customersBefore + 2);
		// every row settled: created with the platform's customerNo, the existing customer recorded as such
		long runId = runId(execution);
		assertThat(outcomesByLine(runId)).containsExactlyEntriesOf(
				new TreeMap<>(Map.of(2L, "CREATED", 3L, "CREATED", 4L, "EXISTS", 5L, "REJECTED")));
		assertThat(row(runId, 2)).containsEntry("customer_no", customerNo("os-o-1"));
		// the create carried the prospect as staged: the row's cells, the group's trade currencies (the default's)
		assertThat(customer("os-o-2")).satisfies((created) -> {
			assertThat(created.phone()).isEqualTo("13912350002");
			assertThat(created.country()).isEqualTo("CN");
			assertThat(created.tradeTypeCurrencyList()).containsExactly(new TradeTypeCurrency("USDT", "1"));
		});
		assertThat(row(runId, 3)).containsEntry("customer_no", customerNo("os-o-2"));
		assertThat(row(runId, 4)).containsEntry("reason", "phone already registered");
		assertThat(this.jdbc.queryForList("""
				SELECT third_server_code || ' ' || status FROM onboarding.prospect WHERE run_id = ?
				ORDER BY third_server_code""", String.class, runId))
			.containsExactly("os-o-1 CREATED", "os-o-2 CREATED", "os-o-3 EXISTS");
	}

	@Test
	void onboardStepSettlesManyTransactionsWorthOfProspectsEachOnceAndRecordsEveryOne() throws Exception {
		// given: 350 prospects, three and a half of the step's transactions (onboard-chunk-size 100)
		long customersBefore = this.sandbox.state().customers();
		String[] rows = new String[350];
		for (int i = 0; i < rows.length; i++) {
			rows[i] = String.format("m-%d,139%08d,,,CN,1,", i, 20_000_000 + i);
		}
		JobParameters run = runParameters(csv(rows), rows.length);
		resumable(this.steps.startStep(STAGE_STEP, run, new ExecutionContext()));

		// when
		JobExecution execution = this.steps.startStep(ONBOARD_STEP, run, new ExecutionContext());

		// then: every prospect read, created once and recorded, none left behind in the last transaction
		StepExecution step = onlyStep(execution);
		assertThat(step.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(step.getReadCount()).isEqualTo(350);
		assertThat(step.getWriteCount()).isEqualTo(350);
		assertThat(outcomesByLine(runId(execution))).hasSize(350).containsOnlyKeys(
				java.util.stream.LongStream.rangeClosed(2, 351).boxed().toList()).allSatisfy((line, outcome) ->
				assertThat(outcome).isEqualTo("CREATED"));
		assertThat(this.sandbox.state().requests("create")).isEqualTo(350);
		assertThat(this.sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
		assertThat(this.sandbox.state().customers()).isEqualTo(customersBefore + 350);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM onboarding.prospect WHERE run_id = ? AND status = 'CREATED'",
				Long.class, runId(execution))).isEqualTo(350);
	}

	@Test
	void onboardStepRunAgainInItsRunReadsNothingAndCreatesNothingMore() throws Exception {
		// given: a run staged and onboarded, then failed in a later step
		JobParameters run = runParameters(csv("a-1,13912360001,,,CN,1,", "a-2,13912360002,,,CN,1,"), 2);
		resumable(this.steps.startStep(STAGE_STEP, run, new ExecutionContext()));
		JobExecution onboarded = this.steps.startStep(ONBOARD_STEP, run, new ExecutionContext());
		assertThat(onboarded.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		resumable(onboarded);
		long customers = this.sandbox.state().customers();
		Map<String, Long> requests = Map.copyOf(this.sandbox.state().requests());
		Map<Long, String> outcomes = outcomesByLine(runId(onboarded));

		// when: the run resumes, and the onboard step runs again (it runs on every restart)
		JobExecution again = this.steps.startStep(ONBOARD_STEP, run, new ExecutionContext());

		// then
		assertThat(runId(again)).isEqualTo(runId(onboarded));
		StepExecution step = onlyStep(again);
		assertThat(step.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(step.getReadCount()).isZero();
		assertThat(step.getWriteCount()).isZero();
		assertThat(this.sandbox.state().requests()).isEqualTo(requests);
		assertThat(this.sandbox.state().customers()).isEqualTo(customers);
		assertThat(this.sandbox.state().maxAccountsPerThirdServerCode()).isEqualTo(1);
		assertThat(outcomesByLine(runId(again))).isEqualTo(outcomes).containsValues("CREATED").hasSize(2);
	}

	@Test
	void onboardStepThatFailsLeavesItsProspectsUnsettledAndItsRestartSettlesEachOnce() throws Exception {
		// given: a staged run, and a platform that answers every create "busy", beyond the retries
		long customersBefore = this.sandbox.state().customers();
		JobParameters run = runParameters(csv("f-1,13912370001,,,CN,1,", "f-2,13912370002,,,CN,1,"), 2);
		resumable(this.steps.startStep(STAGE_STEP, run, new ExecutionContext()));
		this.sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withBusy(1)));

		// when
		JobExecution failed = this.steps.startStep(ONBOARD_STEP, run, new ExecutionContext());

		// then: a transient failure is no outcome; nothing was created
		assertThat(onlyStep(failed).getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(outcomesByLine(runId(failed))).containsOnly(Map.entry(2L, "PENDING"), Map.entry(3L, "PENDING"));
		assertThat(this.sandbox.state().customers()).isEqualTo(customersBefore);
		// the failed chunk's other calls may still be in flight: a resume waits for them (under the run lock)
		await().atMost(Duration.ofSeconds(10)).until(() -> this.apiTaskExecutor.getActiveCount() == 0);

		// when: the platform recovers and the failed run is resumed
		this.sandbox.faults(Faults.none());
		JobExecution resumed = this.steps.startStep(ONBOARD_STEP, run, new ExecutionContext());

		// then: each prospect created once, no second create reaching the platform
		assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(runId(resumed)).isEqualTo(runId(failed));
		assertThat(outcomesByLine(runId(resumed))).containsOnly(Map.entry(2L, "CREATED"), Map.entry(3L, "CREATED"));
		assertThat(this.sandbox.accountsWithThirdServerCode("os-f-1")).isEqualTo(1);
		assertThat(this.sandbox.accountsWithThirdServerCode("os-f-2")).isEqualTo(1);
		assertThat(this.sandbox.state().handled("create")).isEqualTo(2);
		assertThat(this.sandbox.state().customers()).isEqualTo(customersBefore + 2);
	}

	/**
	 * The parameters a run of the file is launched with ({@code run.RunLauncher}): its identity
	 * (company, schedule slot, mode, sequence, input and checksum) and the rows its pre-read counted.
	 */
	private JobParameters runParameters(Path input, long rows) throws IOException {
		return new JobParametersBuilder().addString(JobParameterNames.COMPANY_ID, "1")
			.addString(JobParameterNames.RUN_KEY, "adhoc")
			.addString(JobParameterNames.MODE, Mode.LIVE.name())
			.addLong(JobParameterNames.SEQUENCE, 1L)
			.addString(JobParameterNames.INPUT, input.toString())
			.addString(JobParameterNames.INPUT_CHECKSUM, sha256(input))
			.addLong(JobParameterNames.INPUT_ROWS, rows, false)
			.toJobParameters();
	}

	/**
	 * The context's job operator, but with each surrogate job of {@link JobOperatorTestUtils} first
	 * registering its run in the ledger, as {@code onboardingJob}'s listener does.
	 */
	private JobOperator registeringRuns(JobOperator operator) {
		JobExecutionListener registersTheRun = new JobExecutionListener() {
			@Override
			public void beforeJob(JobExecution jobExecution) {
				JobParameters parameters = jobExecution.getJobParameters();
				String input = parameters.getString(JobParameterNames.INPUT);
				OnboardingStepsIntegrationTests.this.ledger.registerRun(
						Run.of(jobExecution), input,
						parameters.getString(JobParameterNames.INPUT_CHECKSUM),
						parameters.getString(JobParameterNames.RUN_KEY),
						OnboardingStepsIntegrationTests.this.intake.readingSettings(input));
			}
		};
		InvocationHandler handler = (proxy, method, arguments) -> {
			if (method.getName().equals("start") && arguments != null && arguments.length == 2
					&& arguments[0] instanceof AbstractJob job && job.getName().equals(JobOperatorTestUtils.JOB_NAME)) {
				job.registerJobExecutionListener(registersTheRun);
			}
			try {
				return method.invoke(operator, arguments);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		};
		return (JobOperator) Proxy.newProxyInstance(JobOperator.class.getClassLoader(),
				new Class<?>[] { JobOperator.class }, handler);
	}

	/**
	 * Ends the run's execution as {@code onboardingJob}'s ends when a later step fails: FAILED, so
	 * that the same parameters resume the run, as its command does. Its completed steps stay done;
	 * the onboard step runs on every restart.
	 */
	private void resumable(JobExecution execution) {
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		JobExecution stored = this.jobRepository.getJobExecution(execution.getId());
		stored.setStatus(BatchStatus.FAILED);
		stored.setExitStatus(ExitStatus.FAILED);
		this.jobRepository.update(stored);
	}

	private static StepExecution onlyStep(JobExecution execution) {
		assertThat(execution.getStepExecutions()).hasSize(1);
		return execution.getStepExecutions().iterator().next();
	}

	private static long runId(JobExecution execution) {
		return execution.getJobInstance().getInstanceId();
	}

	private Map<Long, String> outcomesByLine(long runId) {
		Map<Long, String> outcomes = new TreeMap<>();
		this.jdbc.query("SELECT line_number, outcome FROM onboarding.input_row WHERE run_id = ?",
				(rs) -> {
					outcomes.put(rs.getLong(1), rs.getString(2));
				}, runId);
		return outcomes;
	}

	private Map<String, Object> row(long runId, long line) {
		return this.jdbc.queryForMap("""
				SELECT source_id, third_server_code, outcome, reason, duplicate_of, customer_no
				FROM onboarding.input_row WHERE run_id = ? AND line_number = ?""", runId, line);
	}

	private String customerNo(String thirdServerCode) {
		return customer(thirdServerCode).customerNo();
	}

	private SandboxCustomer customer(String thirdServerCode) {
		List<SandboxCustomer> customers = this.sandbox.customers()
			.stream()
			.filter((customer) -> thirdServerCode.equals(customer.thirdServerCode()))
			.toList();
		assertThat(customers).hasSize(1);
		return customers.get(0);
	}

	private Path csv(String... rows) throws IOException {
		Path file = Files.createTempFile(this.directory, "prospects", ".csv");
		Files.writeString(file, HEADER + "\n" + String.join("\n", rows) + "\n", StandardCharsets.UTF_8);
		return file;
	}

	private static String sha256(Path file) throws IOException {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
