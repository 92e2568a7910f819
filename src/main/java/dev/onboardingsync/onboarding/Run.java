package dev.onboardingsync.onboarding;

/**
 * One run of the job: a Spring Batch job instance ({@code runId}), for one company, live or dry.
 * Restarts of a failed run share its {@code runId}.
 */
public record Run(long runId, String companyId, Mode mode) {
}
