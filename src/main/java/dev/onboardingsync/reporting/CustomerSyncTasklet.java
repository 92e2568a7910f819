package dev.onboardingsync.reporting;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.onboardingsync.onboarding.OnboardingProperties.SyncMode;
import dev.onboardingsync.system.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * {@code syncCustomersStep}: a full sync ({@link FullCustomerSync}) or an incremental one
 * ({@link IncrementalCustomerSync}), decided when the step first runs and kept across a resume.
 * With {@code onboarding.sync-mode=incremental}, a sync is incremental while the company's last
 * full sync completed less than {@code onboarding.sync-full-every} ago, and full otherwise (or when
 * no sync ever completed): full syncs catch what paging by creation cannot see, changes to older
 * customers and deletions (issue 12). Each call is one transaction of the step.
 */
class CustomerSyncTasklet implements Tasklet {

	private static final Logger logger = LoggerFactory.getLogger(CustomerSyncTasklet.class);

	private static final String KIND = "sync.kind";

	private static final String SINCE = "sync.since";

	private final FullCustomerSync full;

	private final IncrementalCustomerSync incremental;

	private final CustomerSyncRecords records;

	private final SyncMode mode;

	private final Duration fullEvery;

	/**
	 * @param mode {@code onboarding.sync-mode}
	 * @param fullEvery {@code onboarding.sync-full-every}: in incremental mode, how old the last full
	 * sync may be
	 */
	CustomerSyncTasklet(FullCustomerSync full, IncrementalCustomerSync incremental, CustomerSyncRecords records,
			SyncMode mode, Duration fullEvery) {
		this.full = full;
		this.incremental = incremental;
		this.records = records;
		this.mode = mode;
		this.fullEvery = fullEvery;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		StepExecution step = contribution.getStepExecution();
		ExecutionContext context = step.getExecutionContext();
		// Spring Batch saves the step's context after a failed call too, while the call's writes roll
		// back: a failed call leaves the context as it found it, so that both say the same.
		Map<String, Object> before = new HashMap<>();
		context.entrySet().forEach((entry) -> before.put(entry.getKey(), entry.getValue()));
		try {
			if (!context.containsKey(KIND)) {
				decide(Run.of(step).companyId(), context);
			}
			return SyncMode.valueOf(context.getString(KIND)) == SyncMode.INCREMENTAL
					? this.incremental.execute(step, Instant.ofEpochMilli(context.getLong(SINCE)))
					: this.full.execute(step);
		}
		catch (RuntimeException ex) {
			this.full.abandonReadAhead();
			context.entrySet().stream().map(Map.Entry::getKey).toList().forEach(context::remove);
			before.forEach(context::put);
			throw ex;
		}
	}

	private void decide(String companyId, ExecutionContext context) {
		SyncMode kind = SyncMode.FULL;
		if (this.mode == SyncMode.INCREMENTAL) {
			Optional<Instant> lastFull = this.records.lastFullSync(companyId);
			Optional<Instant> since = this.records.completeUpTo(companyId);
			if (lastFull.isEmpty() || since.isEmpty()) {
				logger.info("A full sync: no full sync of company {} completed yet", companyId);
			}
			else if (lastFull.get().isBefore(Instant.now().minus(this.fullEvery))) {
				logger.info("A full sync: the last one completed at {}, over onboarding.sync-full-every ({}) ago",
						lastFull.get(), this.fullEvery);
			}
			else {
				kind = SyncMode.INCREMENTAL;
				context.putLong(SINCE, since.get().toEpochMilli());
			}
		}
		context.putString(KIND, kind.name());
	}

}
