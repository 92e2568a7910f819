package dev.onboardingsync.onboarding;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.onboardingsync.intake.BadInputException;
import dev.onboardingsync.intake.InputRow;
import dev.onboardingsync.intake.ProspectReader;
import dev.onboardingsync.intake.ProspectValidator;
import dev.onboardingsync.intake.ValidatedRow;
import dev.onboardingsync.system.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The end of staging ({@code checkStagedRowsStep}): every row of the source staged, none lost
 * (issue 8). Rows read late are staged through the {@link Ledger}.
 */
class StagedRowsCheck {

	private static final Logger logger = LoggerFactory.getLogger(StagedRowsCheck.class);

	private final NamedParameterJdbcTemplate jdbc;

	private final Ledger ledger;

	StagedRowsCheck(NamedParameterJdbcTemplate jdbc, Ledger ledger) {
		this.jdbc = jdbc;
		this.ledger = ledger;
	}

	/**
	 * Checks that the run staged every row of its input. A file (its checksum kept, so it cannot
	 * change) must have given as many rows as the pre-read counted. A table may have changed while
	 * the run read it, even with as many rows as before: the keys it holds now within the run's
	 * bounds are always compared with those staged,
	 * and a row the reader missed (added behind it, as keys that do not grow allow) is read and
	 * staged now, after the last line; a row deleted after it was read stays staged. So every row
	 * the source holds is staged, whatever changed, and the same command can always finish (issue 8).
	 * Joins the caller's transaction.
	 * @param inputRows the rows the input had when the run started (its first execution's pre-read)
	 * @param input the run's input within the run's bounds, opened here for a table
	 * @param validator what a row read late is validated by, as during staging
	 * @param table whether the input is a table (else a file)
	 * @throws BadInputException when a file gave another number of rows than counted
	 */
	void check(Run run, long inputRows, Supplier<ProspectReader> input, ProspectValidator validator,
			boolean table) throws Exception {
		MapSqlParameterSource parameters = new MapSqlParameterSource("runId", run.runId());
		long staged = count("SELECT count(*) FROM onboarding.input_row WHERE run_id = :runId", parameters);
		if (!table) {
			if (staged != inputRows) {
				throw new BadInputException("The input had " + inputRows + " rows when run " + run.runId()
						+ " started, and the run staged " + staged + ": rows were skipped. Check the input;"
						+ " to take it as it is now, give the run up (runs abandon " + run.runId() + ") and run the"
						+ " command again.");
			}
			return;
		}
		// A table's count can stay the same while its rows change (one deleted, one added): keys, always.
		ProspectReader source = input.get();
		source.open(new ExecutionContext());
		try {
			List<String> missed = unstagedKeys(run, source);
			long next = count("SELECT coalesce(max(line_number), 0) + 1 FROM onboarding.input_row WHERE run_id = :runId",
					parameters);
			for (int from = 0; from < missed.size(); from += 1000) {
				List<InputRow> rows = source.rowsWithKeys(missed.subList(from, Math.min(missed.size(), from + 1000)), next);
				List<ValidatedRow> validated = new ArrayList<>(rows.size());
				for (InputRow row : rows) {
					validated.add(validator.process(row));
				}
				this.ledger.stage(run, validated);
				next += rows.size();
			}
			if (!missed.isEmpty() || staged != inputRows) {
				logger.warn("The source changed while run {} read it: it had {} rows within the run's bounds when the"
						+ " run started, the run staged {}, and {} rows added behind the reader were read and staged"
						+ " after them.", run.runId(), inputRows, staged, missed.size());
			}
		}
		finally {
			source.close();
		}
	}

	// The keys the source holds now that no row of the run has: put beside the run's in a temporary
	// table of the caller's transaction, in batches, and compared there.
	private List<String> unstagedKeys(Run run, ProspectReader source) {
		this.jdbc.getJdbcTemplate().execute("CREATE TEMPORARY TABLE IF NOT EXISTS source_key (key text) ON COMMIT DROP");
		this.jdbc.getJdbcTemplate().execute("TRUNCATE source_key");
		List<String> batch = new ArrayList<>(10_000);
		Runnable flush = () -> {
			this.jdbc.update("INSERT INTO source_key SELECT unnest(CAST(:keys AS text[]))",
					new MapSqlParameterSource("keys", batch.toArray(String[]::new)));
			batch.clear();
		};
		source.forEachKey((key) -> {
			batch.add(key);
			if (batch.size() == 10_000) {
				flush.run();
			}
		});
		flush.run();
		return this.jdbc.queryForList("""
				SELECT key FROM source_key EXCEPT
				SELECT source_key FROM onboarding.input_row WHERE run_id = :runId AND source_key IS NOT NULL""",
				new MapSqlParameterSource("runId", run.runId()), String.class);
	}

	private long count(String sql, MapSqlParameterSource parameters) {
		Long count = this.jdbc.queryForObject(sql, parameters, Long.class);
		return (count != null) ? count : 0;
	}

}
