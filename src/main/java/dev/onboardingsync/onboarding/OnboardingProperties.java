package dev.onboardingsync.onboarding;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.validation.annotation.Validated;

/**
 * How the job runs.
 *
 * @param stageChunkSize input rows validated and recorded per transaction
 * @param onboardChunkSize prospects settled per transaction (their API calls run concurrently)
 * @param retry how transient API failures are retried before the run fails (to be resumed)
 * @param syncPageSize customers per {@code page} call (the platform allows at most 200)
 * @param syncPagesPerChunk pages fetched concurrently per transaction
 * @param syncMode {@code full}: every sync reads the whole list; {@code incremental}: a sync reads
 * only the customers created since the last one, and is full when the last full sync is older than
 * {@code syncFullEvery} (issue 12)
 * @param syncFullEvery in incremental mode, how old the last full sync may be before a sync is full
 * again: full syncs catch changes to older customers and deletions
 * @param syncOverlap how far before the last sync's point an incremental sync reads again, for
 * customers whose creation committed late
 * @param syncTradeTypes the platform's trade types: {@code groupList} is asked once for each, and
 * once without a trade type when none is listed
 * @param syncDetailTypes the {@code detail} types fetched for every customer a sync wrote (new or
 * changed), each one of {@code baseInfo, tradeAccount, kyc, allKyc, bankList, walletList,
 * otherInfo} (the seed's); none by default
 * @param reportDirectory where the JSON report and the file of rejected rows are written
 * @param progressInterval how often progress is logged
 * @param shutdownTimeout on SIGTERM, how long to wait for the running chunk to end; keep it under
 * the pod's {@code terminationGracePeriodSeconds}. Also how long the end of staging waits for a read
 * of its input under way ({@link dev.onboardingsync.intake.ReadAheadReader})
 * @param rejectedRowsRetention how long the ledger keeps the cells, as read, of the rows of a run
 * that completed or was abandoned (personal data, an initial password's hash among them), for its
 * rejected-rows file; {@code 0s} clears them once the file is written ({@link PersonalDataRetention},
 * issue 8)
 */
@ConfigurationProperties("onboarding")
@Validated
public record OnboardingProperties(@DefaultValue("500") @Min(1) int stageChunkSize,
		@DefaultValue("100") @Min(1) int onboardChunkSize, @DefaultValue @Valid @NotNull Retry retry,
		@DefaultValue("200") @Min(1) @Max(200) int syncPageSize, @DefaultValue("8") @Min(1) int syncPagesPerChunk,
		@DefaultValue("full") @NotNull SyncMode syncMode, @DefaultValue("7d") @NotNull Duration syncFullEvery,
		@DefaultValue("10m") @NotNull Duration syncOverlap, @DefaultValue List<@NotNull Integer> syncTradeTypes,
		@DefaultValue List<@Pattern(regexp = "baseInfo|tradeAccount|kyc|allKyc|bankList|walletList|otherInfo",
				message = "must be one of baseInfo, tradeAccount, kyc, allKyc, bankList, walletList, otherInfo") String> syncDetailTypes,
		@DefaultValue("reports") @NotNull Path reportDirectory, @DefaultValue("10s") @NotNull Duration progressInterval,
		@DefaultValue("90s") @NotNull Duration shutdownTimeout,
		@DefaultValue("30d") @NotNull Duration rejectedRowsRetention) {

	/** What a sync of the customer list reads: see {@code syncMode}. */
	public enum SyncMode {

		/** The whole list, complete however it moves; marks the customers no longer listed. */
		FULL,

		/** The customers created since the last sync's point. */
		INCREMENTAL

	}

	/**
	 * @param maxRetries retries of one call after its first attempt
	 * @param initialDelay the first back-off
	 * @param multiplier each next back-off is this much longer
	 * @param maxDelay the longest back-off
	 */
	public record Retry(@DefaultValue("6") @Min(0) long maxRetries, @DefaultValue("500ms") @NotNull Duration initialDelay,
			@DefaultValue("2") @Min(1) double multiplier, @DefaultValue("30s") @NotNull Duration maxDelay) {

		/** Retries of the given failures with exponential back-off and some jitter. */
		@SafeVarargs
		public final RetryPolicy policy(Class<? extends Throwable>... retryable) {
			return RetryPolicy.builder()
				.includes(retryable)
				.maxRetries(this.maxRetries)
				.delay(this.initialDelay)
				.multiplier(this.multiplier)
				.maxDelay(this.maxDelay)
				.jitter(this.initialDelay.dividedBy(2))
				.build();
		}

	}

}
