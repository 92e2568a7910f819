package dev.onboardingsync.customerapi;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TradeTypeCurrencyTests {

	@Test
	void aListIsTextOfPairsJoinedByCommasAndBackAgain() {
		// given
		List<TradeTypeCurrency> list = List.of(new TradeTypeCurrency("USDT", "1"), new TradeTypeCurrency("USD", "5"));

		// when
		String text = TradeTypeCurrency.format(list);

		// then
		assertThat(text).isEqualTo("USDT:1,USD:5");
		assertThat(TradeTypeCurrency.parseList(text)).isEqualTo(list);
	}

	@Test
	void aPairAsASettingIsTrimmed() {
		assertThat(TradeTypeCurrency.parse(" USDT : 1 ")).isEqualTo(new TradeTypeCurrency("USDT", "1"));
	}

	@Test
	void noListIsEmptyTextAndBlankTextNoList() {
		assertThat(TradeTypeCurrency.format(List.of())).isEmpty();
		assertThat(TradeTypeCurrency.parseList("")).isEmpty();
		assertThat(TradeTypeCurrency.parseList(null)).isEmpty();
	}

	@Test
	void aPairWithoutAColonIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> TradeTypeCurrency.parse("USDT"))
			.withMessageContaining("currency:tradeType");
	}

}
