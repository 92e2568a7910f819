package dev.onboardingsync.onboarding;

/**
 * What the onboard step found for one prospect: its new status, the {@code customerNo} when the
 * create answered it, why (the platform's message for a rejection or a duplicate key), and the
 * {@code trace} of the deciding call.
 */
record Settlement(long prospectId, String thirdServerCode, ProspectStatus status, String customerNo,
		String reason, String trace) {
}
