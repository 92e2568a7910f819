package dev.onboardingsync.reporting;

import java.io.StringWriter;
import java.util.List;

import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = "onboarding.command.enabled=false")
@ContextConfiguration(initializers = { TestDatabase.Initializer.class, TestSandbox.Initializer.class })
class RunExportIntegrationTests {

	@Autowired
	private JdbcTemplate jdbc;

	@BeforeEach
	void cleanSlate() {
		TestDatabase.truncate(this.jdbc);
		this.jdbc.update("""
				INSERT INTO onboarding.run (run_id, company_id, mode, input_location, run_key, input_header)
				VALUES (8001, '1', 'LIVE', 'test.csv', 'adhoc', '{external_id,phone}')""");
	}

	@Test
	void exportsEveryRejectedRowOnceInLineOrderAcrossFetchedPages() {
		// given: rejected rows on more lines than one fetch holds, between rows that are not rejected
		int rejected = RunExport.FETCH_SIZE * 2 + 17;
		this.jdbc.update("""
				INSERT INTO onboarding.input_row (run_id, line_number, source_id, outcome, reason, raw)
				SELECT 8001, line, 'x-' || line, CASE WHEN line % 2 = 0 THEN 'REJECTED' ELSE 'DUPLICATE' END,
				    'phone is missing', ARRAY['x-' || line, '']
				FROM generate_series(2, ?) AS line""", rejected * 2 + 1);

		// when
		StringWriter out = new StringWriter();
		new RunExport(new NamedParameterJdbcTemplate(this.jdbc)).writeRejected(8001, ',', out);

		// then
		List<String> lines = out.toString().lines().toList();
		assertThat(lines).hasSize(rejected + 1);
		assertThat(lines.get(0)).isEqualTo("line_number,reject_reason,external_id,phone");
		assertThat(lines.get(1)).isEqualTo("2,phone is missing,x-2,");
		assertThat(lines.get(rejected)).isEqualTo((rejected * 2) + ",phone is missing,x-" + (rejected * 2) + ",");
	}

}
