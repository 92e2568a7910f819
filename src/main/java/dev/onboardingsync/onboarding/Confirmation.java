package dev.onboardingsync.onboarding;

/**
 * What {@code detail} said of a creation inferred after a lost answer: {@code ours} when the
 * customer's {@code thirdServerCode} is the prospect's ({@code confirmCreationsStep}).
 *
 * @param prospectId the prospect's id in {@code onboarding.prospect}
 * @param customerNo the platform's customer with the prospect's phone
 */
public record Confirmation(long prospectId, String customerNo, boolean ours) {
}
