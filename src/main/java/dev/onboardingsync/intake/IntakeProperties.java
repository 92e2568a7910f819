package dev.onboardingsync.intake;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the input is read: the CSV dialect, which of the input's columns holds which field, the
 * per-run defaults for what the input lacks, and the source table when the input is a database.
 *
 * @param delimiter the CSV field separator, one character ({@code \t} for a tab); not a double quote
 * (the quote character) or a line break
 * @param columns the input's column for a field, where it differs from the field's default name
 * @param defaults values for fields the input leaves empty
 * @param groupTradeTypeCurrencies {@code tradeTypeCurrencyList} per customer group id, as
 * {@code currency:tradeType} pairs, e.g. {@code 2=USDT:1,USD:5}
 * @param thirdServerCodePrefix put before the external id to make the {@code thirdServerCode}
 * @param table the source table, for {@code input=table}
 * @param phoneNumberTypes the kinds of number (libphonenumber's {@code PhoneNumberType}) a phone may
 * be: mobiles by default, and numbers that may be either where the plan cannot tell (as in the US).
 * A fixed line, a 400 hotline or a personal number is rejected (issue 8)
 */
@ConfigurationProperties("intake")
@Validated
public record IntakeProperties(@DefaultValue(",") @Pattern(regexp = "[^\"\r\n]|\\\\t", message = "must be one character, not a double quote or a line break (\\t for a tab)") String delimiter,
		Map<ProspectField, String> columns, @DefaultValue @Valid @NotNull Defaults defaults,
		Map<Long, List<@Pattern(regexp = "[^:]+:[^:]+", message = "must be currency:tradeType") String>> groupTradeTypeCurrencies,
		@DefaultValue("os-") @Pattern(regexp = "[A-Za-z0-9._:-]{0,10}", message = "must be at most 10 of A-Z a-z 0-9 . _ : -") String thirdServerCodePrefix,
		@DefaultValue @Valid @NotNull SourceTable table,
		@DefaultValue({ "MOBILE", "FIXED_LINE_OR_MOBILE" }) @NotEmpty Set<PhoneNumberType> phoneNumberTypes) {

	public IntakeProperties {
		// A tab is hard to type on a command line or in YAML: \t stands for it.
		delimiter = "\\t".equals(delimiter) ? "\t" : delimiter;
		phoneNumberTypes = Set.copyOf(phoneNumberTypes);
		columns = (columns != null) ? Map.copyOf(columns) : Map.of();
		groupTradeTypeCurrencies = (groupTradeTypeCurrencies != null) ? Map.copyOf(groupTradeTypeCurrencies) : Map.of();
	}

	/**
	 * The settings that decide how an input is read, by property name, with no secret (the source's
	 * password is left out, its URL without a password parameter): kept with a run, so that a resume
	 * with other settings is refused (issue 9). A file's do not include the source table's, a
	 * table's not the delimiter.
	 * @param input the run's {@code input}: a file's path or {@code table}
	 */
	public SortedMap<String, String> readingSettings(String input) {
		SortedMap<String, String> settings = new TreeMap<>();
		if (!InputReaders.isTable(input)) {
			settings.put("intake.delimiter", this.delimiter);
		}
		columnNames().forEach((field, column) -> settings.put("intake.columns." + field.propertyName(), column));
		settings.put("intake.defaults.phone-area", this.defaults.phoneArea());
		settings.put("intake.defaults.email-area", this.defaults.emailArea());
		settings.put("intake.defaults.country", unsetIfNull(this.defaults.country()));
		settings.put("intake.defaults.register-source", Integer.toString(this.defaults.registerSource()));
		settings.put("intake.defaults.customer-group-id", Long.toString(this.defaults.customerGroupId()));
		settings.put("intake.defaults.trade-type-currencies", String.join(",", this.defaults.tradeTypeCurrencies()));
		new TreeMap<>(this.groupTradeTypeCurrencies).forEach((group, currencies) -> settings
			.put("intake.group-trade-type-currencies." + group, String.join(",", currencies)));
		settings.put("intake.third-server-code-prefix", this.thirdServerCodePrefix);
		settings.put("intake.phone-number-types",
				this.phoneNumberTypes.stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
		if (InputReaders.isTable(input)) {
			settings.put("intake.table.url", unsetIfNull(this.table.url()).replaceAll("(?i)(password=)[^&;]*", "$1***"));
			settings.put("intake.table.username", unsetIfNull(this.table.username()));
			settings.put("intake.table.name", unsetIfNull(this.table.name()));
			settings.put("intake.table.query", unsetIfNull(this.table.query()));
			settings.put("intake.table.key-column", this.table.keyColumn());
			// A restart finds its place by the page it stopped in and the rows read of it.
			settings.put("intake.table.page-size", Integer.toString(this.table.pageSize()));
		}
		return settings;
	}

	private static String unsetIfNull(String value) {
		return (value != null) ? value : "(unset)";
	}

	/** The input's column name of each field. */
	public Map<ProspectField, String> columnNames() {
		Map<ProspectField, String> names = new EnumMap<>(ProspectField.class);
		for (ProspectField field : ProspectField.values()) {
			names.put(field, this.columns.getOrDefault(field, field.defaultColumn()));
		}
		return names;
	}

	/**
	 * @param phoneArea area code of phones that do not carry one
	 * @param emailArea area of emails that do not carry one
	 * @param country ISO 3166 alpha-2 country of prospects without one; none by default
	 * @param registerSource 1..9; 3 (System) by default
	 * @param customerGroupId the group of prospects without one; 1 (the default group)
	 * @param tradeTypeCurrencies the default group's {@code tradeTypeCurrencyList}, {@code currency:tradeType}
	 */
	public record Defaults(@DefaultValue("+86") @Pattern(regexp = "\\+\\d{1,4}", message = "must be + and 1 to 4 digits") String phoneArea,
			@DefaultValue("+86") @Pattern(regexp = "\\+\\d{1,4}", message = "must be + and 1 to 4 digits") String emailArea,
			@Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 alpha-2 code such as CN") String country,
			@DefaultValue("3") @Min(1) @Max(9) int registerSource, @DefaultValue("1") @Min(1) long customerGroupId,
			@DefaultValue("USDT:1") List<@Pattern(regexp = "[^:]+:[^:]+", message = "must be currency:tradeType") String> tradeTypeCurrencies) {
	}

	/**
	 * A table or query of prospects on its own database, read in pages ordered by a unique key.
	 *
	 * @param url JDBC URL of the source database
	 * @param username its user
	 * @param password its password (a secret: from the environment or a mounted file)
	 * @param name the table or view, e.g. {@code crm.prospects}; a part that needs quoting in double
	 * quotes, as in SQL: {@code crm."Leads"}
	 * @param query instead of a table, a query whose columns are the input's columns
	 * @param keyColumn a unique, non-null column to page by, by its exact name (any case when only one
	 * column has it); also the row's external id if the mapping names no other
	 * @param pageSize rows per page
	 */
	public record SourceTable(String url, String username, String password,
			@Pattern(regexp = "(\"([^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)(\\.(\"([^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*))?", message = "must be a table name such as crm.prospects, with parts in double quotes where they need it: crm.\"Leads\"") String name,
			String query,
			@DefaultValue("external_id") @NotBlank String keyColumn,
			@DefaultValue("500") @Min(1) int pageSize) {

		@Override
		public String toString() {
			return "SourceTable[url=" + this.url + ", username=" + this.username + ", password=***, name=" + this.name
					+ ", keyColumn=" + this.keyColumn + "]";
		}

	}

}
