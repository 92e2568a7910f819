package dev.onboardingsync;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import dev.onboardingsync.run.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

@SpringBootTest(properties = { "customer-api.base-url=http://127.0.0.1:9", "customer-api.company-id=1",
		"customer-api.token=test-token" })
@ContextConfiguration(initializers = TestDatabase.Initializer.class)
@ExtendWith(OutputCaptureExtension.class)
class DatabaseMigrationIntegrationTests {

	@Autowired
	private JdbcTemplate jdbc;

	@TempDir
	private Path reports;

	@Test
	void runsOnRealPostgresql() {
		// when
		String version = this.jdbc.queryForObject("select version()", String.class);

		// then
		assertThat(version).startsWith("PostgreSQL");
	}

	@Test
	void flywayCreatesSpringBatchMetadata() {
		// when
		var migrations = this.jdbc.queryForList(
				"select version from flyway_schema_history where success order by installed_rank", String.class);
		var tables = this.jdbc.queryForList(
				"select table_name from information_schema.tables where table_schema = 'public'", String.class);
		var sequences = this.jdbc.queryForList(
				"select sequence_name from information_schema.sequences where sequence_schema = 'public'",
				String.class);

		// then
		assertThat(migrations).startsWith("1");
		assertThat(tables).contains("batch_job_instance", "batch_job_execution", "batch_job_execution_params",
				"batch_step_execution", "batch_step_execution_context", "batch_job_execution_context");
		assertThat(sequences).containsExactlyInAnyOrder("batch_job_instance_seq", "batch_job_execution_seq",
				"batch_step_execution_seq");
	}

	@Test
	void everyRunFindsTheHistoryWhereTheFirstLeftItForAUserNamedLikeTheSchema() {
		// given: a new database owned by the role "onboarding", with PostgreSQL's default search_path
		TestDatabase.Connection fresh = TestDatabase.createDatabase("fresh_install");

		// when: the first run migrates it, and the next ones start on it (the CronJob's second night)
		int first = TestApplication.run(fresh, this.reports, "runs", "list");
		int second = TestApplication.run(fresh, this.reports, "runs", "list");
		int third = TestApplication.run(fresh, this.reports, "runs", "list");

		// then
		assertThat(new int[] { first, second, third }).containsOnly(0);
		JdbcTemplate database = TestDatabase.jdbcTemplate(fresh);
		assertThat(database.queryForList("""
				SELECT table_schema FROM information_schema.tables WHERE table_name = 'flyway_schema_history'""",
				String.class)).containsExactly("public");
		assertThat(database.queryForObject("SELECT current_user", String.class)).isEqualTo("onboarding");
		assertThat(database.queryForObject("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", Boolean.class))
			.isFalse();
	}

	@Test
	void aUserThatMayNotCreateTheTablesIsASettingToFixSaidWithoutAStackTrace(CapturedOutput output) {
		// given: a database the job's user may connect to but not create in (owned by another role,
		// PostgreSQL 15+ granting no CREATE on public), as a DBA who skipped the README's grants leaves it
		TestDatabase.Connection job = TestDatabase.connection();
		TestDatabase.superuserJdbcTemplate().execute("DROP DATABASE IF EXISTS no_grant");
		TestDatabase.superuserJdbcTemplate().execute("CREATE DATABASE no_grant");
		TestDatabase.Connection noGrant = new TestDatabase.Connection(
				job.jdbcUrl().replaceFirst("/[^/?]+(\\?.*)?$", "/no_grant"), job.username(), job.password());

		// when / then: exit code 3, the user and the grants named, and no stack trace
		assertStartRefusedAsASettingToFix(noGrant, output, "The job's database user onboarding lacks a privilege on",
				"permission denied for schema public", "grant it CREATE on the database and on schema public");
	}

	@Test
	void aSchemaMadeAheadOfTheMigrationsIsASettingToFixSaidWithoutAStackTrace(CapturedOutput output) {
		// given: a database of the job's user where a DBA made the ledger's schema ahead of the job
		TestDatabase.Connection ahead = TestDatabase.createDatabase("schema_ahead");
		TestDatabase.jdbcTemplate(ahead).execute("CREATE SCHEMA onboarding");

		// when / then: exit code 3, what exists and what to do, and no stack trace (it was exit 1 and 152
		// lines: a second fresh user's try, issue 13)
		assertStartRefusedAsASettingToFix(ahead, output, "already holds what the job's migrations create",
				"schema \"onboarding\" already exists", "Give the job a database of its own");
	}

	@Test
	void aDatabaseOfAnotherApplicationIsASettingToFixSaidWithoutAStackTrace(CapturedOutput output) {
		// given: a database of the job's user that holds another application's table, and no schema history
		TestDatabase.Connection other = TestDatabase.createDatabase("other_app");
		TestDatabase.jdbcTemplate(other).execute("CREATE TABLE public.customers (id integer)");

		// when / then: exit code 3 and what to do, not Flyway's advice to baseline it, and no stack trace
		// (it was exit 1 and about 70 lines: a third fresh user's try, issue 13)
		assertStartRefusedAsASettingToFix(other, output, "does not hold the job's schema as its migrations made it",
				"Give the job a database of its own");
	}

	// The job started on the database fails with exit code 3, says each of the words, and logs no stack frame.
	private void assertStartRefusedAsASettingToFix(TestDatabase.Connection database, CapturedOutput output,
			String... said) {
		Throwable failure = catchThrowable(() -> TestApplication.run(database, this.reports, "runs", "list"));
		assertThat(ExitCodes.of(failure)).isEqualTo(ExitCodes.BAD_CONFIGURATION);
		assertThat(output).contains(said).doesNotContain("\tat org.flywaydb");
	}

	@Test
	void theJobRunsWhateverTheUsersSearchPath() throws Exception {
		// given: a database whose search_path leaves public out
		TestDatabase.Connection fresh = TestDatabase.createDatabase("no_public_path");
		TestDatabase.jdbcTemplate(fresh).execute("ALTER DATABASE no_public_path SET search_path = onboarding, reporting");
		TestSandbox.reset();
		Path input = Files.writeString(this.reports.resolve("search-path.csv"),
				"external_id,phone,country\nsp-1,13912600001,CN\n");

		// when
		int run = TestApplication.run(fresh, this.reports, "input=" + input);
		int list = TestApplication.run(fresh, this.reports, "runs", "list");

		// then
		assertThat(new int[] { run, list }).containsOnly(0);
		assertThat(TestDatabase.jdbcTemplate(fresh).queryForObject("SELECT count(*) FROM public.batch_job_instance",
				Long.class)).isOne();
	}

}
