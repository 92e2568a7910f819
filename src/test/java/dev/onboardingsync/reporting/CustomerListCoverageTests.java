package dev.onboardingsync.reporting;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerListCoverageTests {

	@Test
	void pagesReadWhileTheListStandsStillCoverItInOrder() {
		// given: 45 customers in pages of 10
		CustomerListCoverage coverage = new CustomerListCoverage(45, 10);

		// when
		List<Long> plan = coverage.pagesToRead(100);
		plan.forEach((page) -> coverage.add(page, 45, (int) Math.min(10, 45 - (page - 1) * 10)));

		// then
		assertThat(plan).containsExactly(1L, 2L, 3L, 4L, 5L);
		assertThat(coverage.complete()).isTrue();
		assertThat(coverage.coveredPositions()).isEqualTo(45);
	}

	@Test
	void aPageCutBeforeItsPredecessorLeavesTheCustomersBetweenThemToReadAgain() {
		// given: 30 customers; page 2 is cut after 3 customers were created, page 3 before
		CustomerListCoverage coverage = new CustomerListCoverage(30, 10);
		coverage.add(1, 30, 10);
		coverage.add(3, 30, 10);
		coverage.add(2, 33, 10);

		// when: page 2 held the start's positions 7 to 16, page 3 20 to 29
		List<long[]> gaps = coverage.gaps();

		// then: 17 to 19 are unread, and now on page 3 (3 places later)
		assertThat(gaps).singleElement().satisfies((gap) -> assertThat(gap).containsExactly(17, 20));
		assertThat(coverage.pagesToRead(100)).containsExactly(3L);
		coverage.add(3, 33, 10);
		assertThat(coverage.complete()).isTrue();
	}

	@Test
	void theGapsArePlannedAtTheLatestShiftAndPagesCutLaterStillCountByTheirOwnTotal() {
		// given: 40 customers; page 3 was cut after 12 were created, the others before
		CustomerListCoverage coverage = new CustomerListCoverage(40, 10);
		coverage.add(1, 40, 10);
		coverage.add(2, 40, 10);
		coverage.add(4, 40, 10);
		coverage.add(3, 52, 10);

		// when
		List<Long> pages = coverage.pagesToRead(100);

		// then: page 3 held the start's positions 8 to 17; 20 to 29 are now 32 to 41: pages 4 and 5
		assertThat(coverage.gaps()).singleElement().satisfies((gap) -> assertThat(gap).containsExactly(20, 30));
		assertThat(pages).containsExactly(4L, 5L);
		// a page cut after 3 more were created counts as 15 places further on: 15 to 24
		coverage.add(4, 55, 10);
		assertThat(coverage.gaps()).singleElement().satisfies((gap) -> assertThat(gap).containsExactly(25, 30));
	}

	@Test
	void thePlanIsLimited() {
		CustomerListCoverage coverage = new CustomerListCoverage(1000, 10);

		assertThat(coverage.pagesToRead(8)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
	}

	@Test
	void theCoverageIsKeptAsTextAcrossARestart() {
		// given
		CustomerListCoverage coverage = new CustomerListCoverage(50, 10);
		coverage.add(1, 50, 10);
		coverage.add(3, 52, 10);

		// when
		CustomerListCoverage restored = CustomerListCoverage.fromText(50, 10, coverage.toText());

		// then
		assertThat(restored.toText()).isEqualTo(coverage.toText()).isEqualTo("2;0-10,18-28");
		assertThat(restored.pagesToRead(100)).isEqualTo(coverage.pagesToRead(100));
	}

}
