package dev.onboardingsync.onboarding;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.onboardingsync.customerapi.CheckCustomerExistRequest;
import dev.onboardingsync.customerapi.CustomerAlreadyExistsException;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Settles one prospect against the platform: a check first, then, for a live run, a create keyed
 * by its {@code thirdServerCode}. Before a create is sent the ledger notes it (in its own
 * transaction), so a create whose answer is lost, or whose chunk never commits, is settled later
 * by a check and never sent blind a second time; the platform's uniqueness of the code guards the
 * rest. Transient and ambiguous failures are thrown for the step's retry policy; rejections and
 * duplicates are outcomes. Thread-safe: the step runs it on several threads at once.
 */
class OnboardingProcessor implements ItemProcessor<PendingProspect, Settlement> {

	private static final Logger logger = LoggerFactory.getLogger(OnboardingProcessor.class);

	private final CustomerApiClient client;

	private final Ledger ledger;

	private final Mode mode;

	private final InitialPasswords passwords = new InitialPasswords();

	private final Set<Long> createsSent = ConcurrentHashMap.newKeySet();

	OnboardingProcessor(CustomerApiClient client, Ledger ledger, Mode mode) {
		this.client = client;
		this.ledger = ledger;
		this.mode = mode;
	}

	@Override
	public Settlement process(PendingProspect prospect) {
		boolean createSent = prospect.status() == ProspectStatus.UNCERTAIN || this.createsSent.contains(prospect.id());
		if (exists(prospect)) {
			// After a create of ours went out, a customer with this phone is most likely that create.
			return settle(prospect, createSent ? ProspectStatus.CREATED : ProspectStatus.EXISTS, null,
					createSent ? "created; its answer was lost, the check found it" : "phone already registered",
					null);
		}
		if (this.mode == Mode.DRY_RUN) {
			return settle(prospect, ProspectStatus.WOULD_CREATE, null, null, null);
		}
		String pwd = (prospect.passwordMd5() != null) ? prospect.passwordMd5() : this.passwords.newPasswordMd5();
		if (this.createsSent.add(prospect.id()) && prospect.status() != ProspectStatus.UNCERTAIN) {
			this.ledger.noteCreateSent(prospect.id());
		}
		try {
			String customerNo = this.client.createAccount(prospect.toCreateRequest(pwd));
			return settle(prospect, ProspectStatus.CREATED, customerNo, null, null);
		}
		catch (CustomerAlreadyExistsException ex) {
			// The code, phone or email is taken: by our own earlier create when one was sent, else by another customer.
			return settle(prospect, createSent ? ProspectStatus.CREATED : ProspectStatus.EXISTS, null,
					ex.platformMessage(), ex.trace());
		}
		catch (CustomerRejectedException ex) {
			return settle(prospect, ProspectStatus.REJECTED, null, ex.platformMessage(), ex.trace());
		}
	}

	private boolean exists(PendingProspect prospect) {
		if (this.client.checkCustomerExist(CheckCustomerExistRequest.byPhone(prospect.phoneArea(), prospect.phone()))) {
			return true;
		}
		// A live create answers a taken email itself (A0409); a dry run has no create to ask.
		return this.mode == Mode.DRY_RUN && prospect.email() != null
				&& this.client.checkCustomerExist(CheckCustomerExistRequest.byEmail(prospect.emailArea(), prospect.email()));
	}

	private Settlement settle(PendingProspect prospect, ProspectStatus status, String customerNo, String reason,
			String trace) {
		logger.debug("{} settled as {}", prospect, status);
		return new Settlement(prospect.id(), prospect.thirdServerCode(), status, customerNo, reason, trace);
	}

}
