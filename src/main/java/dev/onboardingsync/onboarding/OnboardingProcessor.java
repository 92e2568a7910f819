package dev.onboardingsync.onboarding;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.onboardingsync.customerapi.CheckCustomerExistRequest;
import dev.onboardingsync.customerapi.CustomerAlreadyExistsException;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerRejectedException;
import dev.onboardingsync.system.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Settles one prospect against the platform: a check first, then, for a live run, a create keyed
 * by its {@code thirdServerCode}. Before a create is sent the ledger notes it (in its own
 * transaction), so a create whose answer is lost, or whose chunk never commits, is settled later
 * by a check and never sent blind a second time; the platform's uniqueness of the code guards the
 * rest. Transient and ambiguous failures are thrown for the step's retry policy; rejections and
 * duplicates are outcomes. Thread-safe: the step runs it on several threads at once.
 */
class OnboardingProcessor implements ItemProcessor<PendingProspect, Settlement>, StepExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(OnboardingProcessor.class);

	private final CustomerApiClient client;

	private final Ledger ledger;

	private final Mode mode;

	private final InitialPasswords passwords = new InitialPasswords();

	private final Set<Long> createsSent = ConcurrentHashMap.newKeySet();

	private volatile boolean stepEnded;

	OnboardingProcessor(CustomerApiClient client, Ledger ledger, Mode mode) {
		this.client = client;
		this.ledger = ledger;
		this.mode = mode;
	}

	@Override
	public Settlement process(PendingProspect prospect) {
		if (this.stepEnded) {
			// A chunk that failed leaves its other items running: they must not call the platform any more.
			throw new IllegalStateException("The onboard step has ended; " + prospect + " stays unsettled");
		}
		boolean createSent = prospect.status() == ProspectStatus.UNCERTAIN || this.createsSent.contains(prospect.id());
		String registered = registered(prospect);
		if (registered != null) {
			// After a create of ours went out, a customer with this phone is most likely that create.
			return settle(prospect, createSent ? ProspectStatus.CREATED : ProspectStatus.EXISTS, null,
					createSent ? "created; its answer was lost, the check found it" : registered + " already registered",
					null);
		}
		if (this.mode == Mode.DRY_RUN) {
			return settle(prospect, ProspectStatus.WOULD_CREATE, null, null, null);
		}
		String pwd = (prospect.passwordMd5() != null) ? prospect.passwordMd5() : this.passwords.newPasswordMd5();
		if (this.createsSent.add(prospect.id()) && prospect.status() != ProspectStatus.UNCERTAIN
				&& !this.ledger.noteCreateSent(prospect.id())) {
			// Another process noted a create first: it may have been applied.
			createSent = true;
		}
		try {
			String customerNo = this.client.createAccount(prospect.toCreateRequest(pwd));
			return settle(prospect, ProspectStatus.CREATED, customerNo, null, null);
		}
		catch (CustomerAlreadyExistsException ex) {
			// The code, phone or email is taken. An earlier create of ours, if it was applied, registered
			// the phone; the check above found none, so only a create applied since then is ours.
			boolean ours = createSent && this.client
				.checkCustomerExist(CheckCustomerExistRequest.byPhone(prospect.phoneArea(), prospect.phone()));
			return settle(prospect, ours ? ProspectStatus.CREATED : ProspectStatus.EXISTS, null,
					ours ? "created; its answer was lost, the check found it" : ex.platformMessage(), ex.trace());
		}
		catch (CustomerRejectedException ex) {
			return settle(prospect, ProspectStatus.REJECTED, null, ex.platformMessage(), ex.trace());
		}
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		this.stepEnded = true;
		return stepExecution.getExitStatus();
	}

	// Which identity a customer already has ("phone", "email"), or null.
	private String registered(PendingProspect prospect) {
		if (this.client.checkCustomerExist(CheckCustomerExistRequest.byPhone(prospect.phoneArea(), prospect.phone()))) {
			return "phone";
		}
		// A live create answers a taken email itself (A0409); a dry run has no create to ask.
		boolean email = this.mode == Mode.DRY_RUN && prospect.email() != null
				&& this.client.checkCustomerExist(CheckCustomerExistRequest.byEmail(prospect.emailArea(), prospect.email()));
		return email ? "email" : null;
	}

	private Settlement settle(PendingProspect prospect, ProspectStatus status, String customerNo, String reason,
			String trace) {
		logger.debug("{} settled as {}", prospect, status);
		return new Settlement(prospect.id(), prospect.thirdServerCode(), status, customerNo, reason, trace);
	}

}
