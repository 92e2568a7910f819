package dev.onboardingsync.reporting;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * What a pass of a full sync found, and what the copy makes of it once the pass is complete: the
 * customers of {@code reporting.customer} it did not find are marked missing
 * ({@code missing_since}), never deleted. Every completed sync, full or incremental, is recorded in
 * {@code reporting.customer_sync} with the point up to which it is complete (issue 12). Writes join
 * the caller's transaction.
 */
class CustomerSyncRecords {

	private final NamedParameterJdbcTemplate jdbc;

	CustomerSyncRecords(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * How many customers the pass has noted, each as often as it was noted (the statement that writes
	 * a batch of pages notes them: {@link CustomerUpserts}): fewer than the pass counted when the
	 * database lost them.
	 */
	long count(long passId) {
		Long count = this.jdbc.queryForObject("""
				SELECT coalesce(sum(cardinality(customer_nos)), 0) FROM reporting.customer_seen WHERE pass_id = :passId""",
				new MapSqlParameterSource("passId", passId), Long.class);
		return (count != null) ? count : 0;
	}

	/** How many customers the pass found, each counted once (one on two pages was noted twice). */
	long found(long passId) {
		Long found = this.jdbc.queryForObject("""
				SELECT count(DISTINCT customer_no)
				FROM reporting.customer_seen, unnest(customer_nos) AS customer_no WHERE pass_id = :passId""",
				new MapSqlParameterSource("passId", passId), Long.class);
		return (found != null) ? found : 0;
	}

	/** Records a pass that begins, and forgets the company's passes left behind by runs given up. */
	void beginPass(long passId, String companyId) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("passId", passId).addValue("companyId", companyId);
		this.jdbc.update("""
				DELETE FROM reporting.customer_seen WHERE pass_id IN
				    (SELECT pass_id FROM reporting.customer_sync_pass WHERE company_id = :companyId)""", parameters);
		this.jdbc.update("DELETE FROM reporting.customer_sync_pass WHERE company_id = :companyId", parameters);
		this.jdbc.update("INSERT INTO reporting.customer_sync_pass (pass_id, company_id) VALUES (:passId, :companyId)",
				parameters);
	}

	/** Forgets the pass and what it found. */
	void forget(long passId) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("passId", passId);
		this.jdbc.update("DELETE FROM reporting.customer_seen WHERE pass_id = :passId", parameters);
		this.jdbc.update("DELETE FROM reporting.customer_sync_pass WHERE pass_id = :passId", parameters);
	}

	/**
	 * Marks the company's customers the complete pass did not find, records the sync, and forgets
	 * the pass.
	 * @param completeUpTo the newest customer the pass read at its end, as its customerNo and its
	 * createTime (epoch milliseconds), or {@code null} for an empty list
	 * @return how many customers were newly marked missing
	 */
	long completeFull(long passId, long jobExecutionId, String companyId, Instant startedAt, int passes,
			Map.Entry<String, Long> completeUpTo) {
		// A set difference, not NOT EXISTS: every pass has a new pass_id, which the statistics of
		// customer_seen (gathered on an earlier pass) estimate at one row, and the anti-join planned on
		// that estimate compared every customer with every row the pass found (10^10 comparisons for
		// 100,000 customers, minutes; found by CustomerSyncBenchmark, issue 13). EXCEPT is hashed or
		// sorted whatever the estimate.
		int newlyMissing = this.jdbc.update("""
				UPDATE reporting.customer c SET missing_since = now()
				WHERE c.missing_since IS NULL AND c.customer_no IN (
				    SELECT customer_no FROM reporting.customer
				    WHERE missing_since IS NULL AND company_id::text = :companyId
				    EXCEPT
				    SELECT unnest(customer_nos) FROM reporting.customer_seen WHERE pass_id = :passId)""",
				new MapSqlParameterSource("passId", passId).addValue("companyId", companyId));
		record("FULL", jobExecutionId, companyId, startedAt, found(passId), newlyMissing, passes, completeUpTo);
		forget(passId);
		return newlyMissing;
	}

	/** How many of the company's customers are marked missing now. */
	long missing(String companyId) {
		Long count = this.jdbc.queryForObject("""
				SELECT count(*) FROM reporting.customer WHERE company_id::text = :companyId AND missing_since IS NOT NULL""",
				new MapSqlParameterSource("companyId", companyId), Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Records a completed incremental sync.
	 * @param customers how many customers it read
	 * @param completeUpTo the newest customer when it began (customerNo, createTime), or {@code null}
	 */
	void completeIncremental(long jobExecutionId, String companyId, Instant startedAt, long customers,
			Map.Entry<String, Long> completeUpTo) {
		record("INCREMENTAL", jobExecutionId, companyId, startedAt, customers, 0, 1, completeUpTo);
	}

	// A row of reporting.customer_sync, with the company's customers marked missing now.
	private void record(String kind, long jobExecutionId, String companyId, Instant startedAt, long customers,
			long newlyMissing, int passes, Map.Entry<String, Long> completeUpTo) {
		this.jdbc.update("""
				INSERT INTO reporting.customer_sync (job_execution_id, company_id, kind, started_at, completed_at,
				    customers, missing, newly_missing, passes, complete_up_to, complete_up_to_time)
				VALUES (:jobExecutionId, :companyId, :kind, :startedAt, now(), :customers, :missing, :newlyMissing,
				    :passes, :upTo, :upToTime)
				ON CONFLICT (job_execution_id) DO NOTHING""",
				new MapSqlParameterSource("jobExecutionId", jobExecutionId).addValue("companyId", companyId)
					.addValue("kind", kind)
					.addValue("startedAt", OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC))
					.addValue("customers", customers)
					.addValue("missing", missing(companyId))
					.addValue("newlyMissing", newlyMissing)
					.addValue("passes", passes)
					.addValue("upTo", (completeUpTo != null) ? completeUpTo.getKey() : null)
					.addValue("upToTime", (completeUpTo != null)
							? OffsetDateTime.ofInstant(Instant.ofEpochMilli(completeUpTo.getValue()), ZoneOffset.UTC)
							: null));
	}

	/** When the company's last full sync completed, or empty if none did. */
	Optional<Instant> lastFullSync(String companyId) {
		return Optional.ofNullable(this.jdbc.queryForObject("""
				SELECT max(completed_at) FROM reporting.customer_sync WHERE company_id = :companyId AND kind = 'FULL'""",
				new MapSqlParameterSource("companyId", companyId), OffsetDateTime.class)).map(OffsetDateTime::toInstant);
	}

	/**
	 * The createTime up to which the company's copy is complete: the latest point a completed sync
	 * stated (every customer at or older than it is copied), or empty if none did.
	 */
	Optional<Instant> completeUpTo(String companyId) {
		return Optional.ofNullable(this.jdbc.queryForObject("""
				SELECT max(complete_up_to_time) FROM reporting.customer_sync WHERE company_id = :companyId""",
				new MapSqlParameterSource("companyId", companyId), OffsetDateTime.class)).map(OffsetDateTime::toInstant);
	}

}
