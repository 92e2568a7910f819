package dev.onboardingsync.onboarding;

/**
 * The one recorded outcome of an input row. {@link #PENDING} only until the onboard step settles
 * the row's prospect; a completed run has none left.
 */
public enum Outcome {

	/** Invalid input, or refused by the platform; the reason says which. */
	REJECTED,
	/** The same identity (external id, phone or email) came earlier in the same input. */
	DUPLICATE,
	/** Onboarded by an earlier run: no API call. */
	ALREADY_ONBOARDED,
	/** The platform already had the customer. */
	EXISTS,
	/** This run created the account. */
	CREATED,
	/** Dry run: the check found no customer, so a real run would create one. */
	WOULD_CREATE,
	/** Not yet settled. */
	PENDING

}
