package dev.onboardingsync.system;

import java.util.Random;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PhoneNumbersTests {

	private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

	@Test
	void aMobileOfItsAreaIsValidWithItsKind() {
		PhoneNumbers.TypedPhone phone = PhoneNumbers.parseTyped("+86", "13800138000");
		assertThat(phone).isNotNull();
		assertThat(phone.type()).isEqualTo(PhoneNumberType.MOBILE);
		assertThat(PhoneNumbers.nationalNumber(phone.number())).isEqualTo("13800138000");
		assertThat(PhoneNumbers.parseTyped("+86", "1380013800")).isNull();
		assertThat(PhoneNumbers.parseTyped("+44", "13800138000")).isNull();
		assertThat(PhoneNumbers.parseTyped("+86", "+44 20 7946 0958")).as("a number of another area").isNull();
	}

	// Areas of many regions (+1, +7, +44), and numbers of no region (+800, +882, +883), given
	// internationally as the platform's non-geographic numbers are written.
	@ParameterizedTest
	@CsvSource(nullValues = "-", value = { "+1, 4165550123, FIXED_LINE_OR_MOBILE", "+1, 8095550123, FIXED_LINE_OR_MOBILE",
			"+1, 5551234567, -", "+7, 7012345678, MOBILE", "+44, 1481256789, FIXED_LINE",
			"+800, +80012345678, TOLL_FREE", "+883, +883510012345678, VOIP", "+882, +88234000123, -" })
	void aNumberOfAnAreaOfManyRegionsOrNoneIsTypedAsLibphonenumberTypesIt(String area, String phone,
			PhoneNumberType expected) {
		PhoneNumbers.TypedPhone typed = PhoneNumbers.parseTyped(area, phone);
		assertThat((typed != null) ? typed.type() : null).isEqualTo(expected);
		assertThat(typed != null).isEqualTo(libphonenumbersVerdict(area, phone) != null);
	}

	// The one-pass check gives libphonenumber's own verdict (isValidNumber, then getNumberType) for
	// random numbers of areas with one region and with many (+1, +7, +44), valid or not.
	@Test
	void agreesWithLibphonenumbersValidationAndKind() {
		Random random = new Random(13);
		String[] areas = { "+86", "+1", "+7", "+44", "+49", "+852", "+33", "+91", "+61", "+34" };
		int valid = 0;
		for (int i = 0; i < 20_000; i++) {
			String area = areas[random.nextInt(areas.length)];
			StringBuilder digits = new StringBuilder();
			int length = 6 + random.nextInt(7);
			for (int d = 0; d < length; d++) {
				digits.append((d == 0) ? 1 + random.nextInt(9) : random.nextInt(10));
			}
			String phone = digits.toString();
			PhoneNumbers.TypedPhone typed = PhoneNumbers.parseTyped(area, phone);
			PhoneNumber expected = libphonenumbersVerdict(area, phone);
			assertThat(typed != null).as("%s %s valid", area, phone).isEqualTo(expected != null);
			if (expected != null) {
				valid++;
				assertThat(typed.number()).isEqualTo(expected);
				assertThat(typed.type()).as("%s %s", area, phone).isEqualTo(UTIL.getNumberType(expected));
			}
		}
		assertThat(valid).as("valid numbers among those drawn").isGreaterThan(1_000);
	}

	private static PhoneNumber libphonenumbersVerdict(String area, String phone) {
		int countryCode = PhoneNumbers.countryCode(area);
		try {
			PhoneNumber number = UTIL.parse(phone, UTIL.getRegionCodeForCountryCode(countryCode));
			return (number.getCountryCode() == countryCode && UTIL.isValidNumber(number)) ? number : null;
		}
		catch (NumberParseException ex) {
			return null;
		}
	}

}
