package dev.onboardingsync.intake;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;

import dev.onboardingsync.customerapi.TradeTypeCurrency;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProspectValidatorTests {

	private final ProspectValidator validator = new ProspectValidator(new IntakeProperties(",", null,
			new IntakeProperties.Defaults("+86", "+86", null, 3, 1, List.of("USDT:1")), Map.of(2L, List.of("USD:5")),
			"os-", new IntakeProperties.SourceTable(null, null, null, null, null, "external_id", 500),
			Set.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)));

	@Test
	void normalisesPhonesToTheNationalNumberOfTheirArea() {
		assertThat(accept(Map.of(ProspectField.PHONE, "+86 138-0013-8000")).phone()).isEqualTo("13800138000");
		assertThat(accept(Map.of(ProspectField.PHONE, "0086 13800138000")).phoneArea()).isEqualTo("+86");
		Prospect hongKong = accept(Map.of(ProspectField.PHONE, "9123 4567", ProspectField.PHONE_AREA, "852",
				ProspectField.COUNTRY, "hk"));
		assertThat(hongKong.phoneArea()).isEqualTo("+852");
		assertThat(hongKong.phone()).isEqualTo("91234567");
		assertThat(hongKong.country()).isEqualTo("HK");
		assertThat(accept(Map.of(ProspectField.PHONE_AREA, "0086")).phoneArea()).isEqualTo("+86");
		assertThat(accept(Map.of(ProspectField.PHONE_AREA, "+086")).phoneArea()).isEqualTo("+86");
	}

	@Test
	void rejectsPhonesThatAreNoMobileNumber() {
		// given: ../shared/cases/phones-not-mobile.csv
		Map<String, Map<ProspectField, String>> rows = Map.of("P04-1",
				Map.of(ProspectField.PHONE, "010 6552 9988", ProspectField.PHONE_AREA, "+86"), "P04-2",
				Map.of(ProspectField.PHONE, "400 600 1234", ProspectField.PHONE_AREA, "+86"), "P04-3",
				Map.of(ProspectField.PHONE, "8123 4567", ProspectField.PHONE_AREA, "+852", ProspectField.COUNTRY, "HK"),
				"P04-4", Map.of(ProspectField.PHONE, "13900000041", ProspectField.PHONE_AREA, "+86"));

		// when / then
		assertThat(reject(rows.get("P04-1"))).contains("phone is not a mobile number (libphonenumber: FIXED_LINE;"
				+ " intake.phone-number-types allows FIXED_LINE_OR_MOBILE,MOBILE)");
		assertThat(reject(rows.get("P04-2"))).contains("not a mobile number (libphonenumber: SHARED_COST");
		assertThat(reject(rows.get("P04-3"))).contains("not a mobile number (libphonenumber: PERSONAL_NUMBER");
		assertThat(accept(rows.get("P04-4")).phone()).isEqualTo("13900000041");
	}

	@Test
	void acceptsTheNumberTypesItIsSetTo() {
		// given: intake.phone-number-types=MOBILE,FIXED_LINE
		ProspectValidator fixedLinesToo = new ProspectValidator(new IntakeProperties(",", null,
				new IntakeProperties.Defaults("+86", "+86", "CN", 3, 1, List.of("USDT:1")), null, "os-",
				new IntakeProperties.SourceTable(null, null, null, null, null, "external_id", 500),
				Set.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE)));

		// when
		ValidatedRow row = fixedLinesToo.process(new InputRow(2,
				Map.of(ProspectField.EXTERNAL_ID, "x", ProspectField.PHONE, "010 6552 9988"), List.of(), null));

		// then
		assertThat(row.isAccepted()).isTrue();
		assertThat(row.prospect().phone()).isEqualTo("1065529988");
	}

	@Test
	void appliesTheRunsDefaults() {
		// when
		Prospect prospect = accept(Map.of());

		// then
		assertThat(prospect.registerSource()).isEqualTo(3);
		assertThat(prospect.customerGroupId()).isEqualTo(1);
		assertThat(prospect.tradeTypeCurrencyList()).containsExactly(new TradeTypeCurrency("USDT", "1"));
		assertThat(accept(Map.of(ProspectField.CUSTOMER_GROUP_ID, "2")).tradeTypeCurrencyList())
			.containsExactly(new TradeTypeCurrency("USD", "5"));
	}

	@Test
	void derivesTheThirdServerCodeFromTheExternalId() {
		assertThat(accept(Map.of()).thirdServerCode()).isEqualTo("os-ext-1");
		String longId = "x".repeat(60);
		String hashed = accept(Map.of(ProspectField.EXTERNAL_ID, longId)).thirdServerCode();
		assertThat(hashed).startsWith("os-h-").hasSize(50).isEqualTo(ThirdServerCodes.of("os-", longId));
		assertThat(ThirdServerCodes.of("abcdefghij", longId)).hasSize(50);
		assertThat(ThirdServerCodes.of("os-", "with space")).startsWith("os-h-");
	}

	@Test
	void rejectsWithEveryReason() {
		// when
		ValidatedRow staged = this.validator.process(row(Map.of(ProspectField.EXTERNAL_ID, "", ProspectField.PHONE, "12345",
				ProspectField.EMAIL, "not-an-email", ProspectField.COUNTRY, "ZZ", ProspectField.REGISTER_SOURCE, "12",
				ProspectField.PASSWORD_MD5, "secret")));

		// then
		assertThat(staged.isAccepted()).isFalse();
		assertThat(staged.rejection()).contains("external id is missing", "phone is not a valid number for area +86",
				"email is not a valid address", "country 'ZZ' is not an ISO 3166 alpha-2 code",
				"register source must be 1 to 9", "password must be given as 32 hex digits");
	}

	@Test
	void rejectsRowsThatCouldNotBeReadWhole() {
		ValidatedRow staged = this.validator.process(new InputRow(7, Map.of(), List.of("a"), "has 1 cells where the header has 3"));
		assertThat(staged.rejection()).isEqualTo("row has 1 cells where the header has 3");
	}

	// Found by a fresh user's try (issue 13): an email area of "+" was sent to the platform, an
	// Arabic-Indic digit taken as register source 1, a number too large called no number, and a phone
	// with no area known rejected "for area (unknown)".
	@Test
	void anEmailAreaIsACallingCodeWrittenAsThePhonesArea() {
		assertThat(accept(Map.of(ProspectField.EMAIL_AREA, "65")).emailArea()).isEqualTo("+65");
		assertThat(accept(Map.of(ProspectField.EMAIL_AREA, "0044")).emailArea()).isEqualTo("+44");
		assertThat(accept(Map.of()).emailArea()).isEqualTo("+86");
		assertThat(reject(Map.of(ProspectField.EMAIL_AREA, "+")))
			.isEqualTo("email area '+' is not a country calling code such as +86");
		assertThat(reject(Map.of(ProspectField.EMAIL_AREA, "+999"))).contains("email area '+999' is not a country calling code");
	}

	@Test
	void numbersAreWholeNumbersInAsciiDigits() {
		assertThat(accept(Map.of(ProspectField.REGISTER_SOURCE, "2")).registerSource()).isEqualTo(2);
		assertThat(reject(Map.of(ProspectField.REGISTER_SOURCE, "\u0661")))
			.isEqualTo("register source '\u0661' is not a whole number");
		assertThat(reject(Map.of(ProspectField.REGISTER_SOURCE, "1.5"))).isEqualTo("register source '1.5' is not a whole number");
		assertThat(reject(Map.of(ProspectField.REGISTER_SOURCE, "99999999999999999999")))
			.isEqualTo("register source '99999999999999999999' is too large");
		assertThat(reject(Map.of(ProspectField.PHONE_AREA, "+\u0668\u0666")))
			.isEqualTo("phone area '+\u0668\u0666' is not a country calling code such as +86");
	}

	@Test
	void aPhoneWhoseAreaIsUnknownOrWrongIsSaidSo() {
		assertThat(reject(Map.of(ProspectField.PHONE_AREA, "+999"))).isEqualTo("phone area '+999' is not a country calling code such as +86");
		assertThat(reject(Map.of(ProspectField.PHONE, "+1 555 0100"))).isEqualTo("phone is not a valid number");
		assertThat(reject(Map.of(ProspectField.PHONE, "12345"))).isEqualTo("phone is not a valid number for area +86");
	}

	private String reject(Map<ProspectField, String> overrides) {
		ValidatedRow staged = this.validator.process(row(overrides));
		assertThat(staged.isAccepted()).isFalse();
		return staged.rejection();
	}

	private Prospect accept(Map<ProspectField, String> overrides) {
		ValidatedRow staged = this.validator.process(row(overrides));
		assertThat(staged.rejection()).isNull();
		return staged.prospect();
	}

	private static InputRow row(Map<ProspectField, String> overrides) {
		Map<ProspectField, String> values = new EnumMap<>(ProspectField.class);
		values.put(ProspectField.EXTERNAL_ID, "ext-1");
		values.put(ProspectField.PHONE, "13800138000");
		values.put(ProspectField.COUNTRY, "CN");
		values.putAll(overrides);
		return new InputRow(2, values, List.copyOf(values.values()), null);
	}

}
