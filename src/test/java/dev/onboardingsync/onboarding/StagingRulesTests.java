package dev.onboardingsync.onboarding;

import java.util.List;
import java.util.Map;

import dev.onboardingsync.intake.InputRow;
import dev.onboardingsync.intake.Prospect;
import dev.onboardingsync.intake.ValidatedRow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Each of {@link StagingRules}' rules, and the order they apply in. */
class StagingRulesTests {

	@Test
	void aRejectedRowKeepsItsReasonAndClaimsNothing() {
		StagingRules.Claims claims = StagingRules.claim(List.of(ValidatedRow.rejected(row(2), "phone: missing")), Map.of());

		assertThat(claims.decided()).singleElement().satisfies((decision) -> {
			assertThat(decision.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(decision.reason()).isEqualTo("phone: missing");
		});
		assertThat(claims.unclaimed()).isEmpty();
		assertThat(claims.newClaims()).isEmpty();
	}

	@Test
	void aLaterLineWithAnIdentityAnEarlierOneClaimedIsItsDuplicate() {
		// given: line 2; line 3 with its phone; line 4 with its email in other letters; line 5 with its code
		List<ValidatedRow> rows = List.of(accepted(2, "a", "13800000001", "Jane@Example.org"),
				accepted(3, "b", "13800000001", null), accepted(4, "c", "13800000003", "jane@example.ORG"),
				accepted(5, "a", "13800000005", null), accepted(6, "d", "13800000006", null));

		// when
		StagingRules.Claims claims = StagingRules.claim(rows, Map.of());

		// then
		assertThat(claims.decided()).extracting((decision) -> decision.row().row().lineNumber(), StagingRules.Decision::outcome,
				StagingRules.Decision::reason, StagingRules.Decision::duplicateOf)
			.containsExactly(tuple(3L, Outcome.DUPLICATE, "same phone as line 2", 2L),
					tuple(4L, Outcome.DUPLICATE, "same email as line 2", 2L),
					tuple(5L, Outcome.DUPLICATE, "same external id as line 2", 2L));
		assertThat(claims.unclaimed()).extracting((staged) -> staged.row().lineNumber()).containsExactly(2L, 6L);
		assertThat(claims.newClaims()).containsEntry("code:os-a", 2L)
			.containsEntry("phone:+86:13800000001", 2L)
			.containsEntry("email:jane@example.org", 2L)
			.containsEntry("code:os-d", 6L)
			.hasSize(5);
	}

	@Test
	void aClaimOfAnEarlierChunkCounts() {
		StagingRules.Claims claims = StagingRules.claim(List.of(accepted(900, "z", "13800000009", null)),
				Map.of("phone:+86:13800000009", 17L));

		assertThat(claims.decided()).singleElement()
			.satisfies((decision) -> assertThat(decision.reason()).isEqualTo("same phone as line 17"));
	}

	@Test
	void aProspectAnEarlierRunSettledIsAlreadyOnboardedWithItsCustomerNo() {
		List<ValidatedRow> rows = List.of(accepted(2, "a", "13800000001", null), accepted(3, "b", "13800000002", null));

		List<StagingRules.Decision> decisions = StagingRules.settle(rows,
				Map.of("os-a", new StagingRules.SettledProspect("CREATED", "C-1", 7)));

		assertThat(decisions.get(0).outcome()).isEqualTo(Outcome.ALREADY_ONBOARDED);
		assertThat(decisions.get(0).reason()).isEqualTo("onboarded as CREATED by run 7");
		assertThat(decisions.get(0).customerNo()).isEqualTo("C-1");
		assertThat(decisions.get(1).outcome()).isEqualTo(Outcome.PENDING);
		assertThat(decisions.get(1).reason()).isNull();
	}

	private static ValidatedRow accepted(long line, String code, String phone, String email) {
		Prospect prospect = new Prospect(code, "os-" + code, "+86", phone, email, null, "CN", 1, 0, List.of(), null, null,
				null, null, null, null, null, null);
		return ValidatedRow.accepted(row(line), prospect);
	}

	private static InputRow row(long line) {
		return new InputRow(line, Map.of(), List.of(), null);
	}

}
