package dev.onboardingsync.intake;

import java.util.Locale;

/**
 * The fields of a prospect, each read from one column of the input. The default header of a CSV
 * file is these columns' {@link #defaultColumn() default names}, in this order; a file with its own
 * names maps them with {@code intake.columns.<field>=<its column>}.
 */
public enum ProspectField {

	EXTERNAL_ID("external_id", true), PHONE("phone", true), PHONE_AREA("phone_area", false),
	EMAIL("email", false), EMAIL_AREA("email_area", false), COUNTRY("country", false),
	REGISTER_SOURCE("register_source", false), CUSTOMER_GROUP_ID("customer_group_id", false),
	REMARK("remark", false), REGISTER_DEVICE("register_device", false), UTM_SOURCE("utm_source", false),
	UTM_MEDIUM("utm_medium", false), UTM_CAMPAIGN("utm_campaign", false), UTM_CONTENT("utm_content", false),
	UTM_TERM("utm_term", false), PASSWORD_MD5("password_md5", false);

	private final String defaultColumn;

	private final boolean required;

	ProspectField(String defaultColumn, boolean required) {
		this.defaultColumn = defaultColumn;
		this.required = required;
	}

	public String defaultColumn() {
		return this.defaultColumn;
	}

	/** Whether the input must have a column for it (others may come from per-run defaults). */
	public boolean required() {
		return this.required;
	}

	/**
	 * Whether the field is free text, passed to the platform exactly as written (spaces, tabs and
	 * line breaks at its edges included); the others are trimmed and normalised (issue 8).
	 */
	public boolean freeText() {
		return this == REMARK || this == REGISTER_DEVICE || name().startsWith("UTM_");
	}

	/** The name used in settings, e.g. {@code external-id}. */
	public String propertyName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
