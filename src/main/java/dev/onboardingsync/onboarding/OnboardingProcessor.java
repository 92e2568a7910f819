package dev.onboardingsync.onboarding;

import dev.onboardingsync.customerapi.CheckCustomerExistRequest;
import dev.onboardingsync.customerapi.CustomerAlreadyExistsException;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerRejectedException;
import dev.onboardingsync.system.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.core.retry.RetryTemplate;

/**
 * Settles one prospect against the platform: a check first, then, for a live run, a create keyed
 * by its {@code thirdServerCode}. Before a create is sent the ledger notes it (committed, apart
 * from any chunk: {@link CreateSentNotes}), so a create whose answer is lost, or whose settlement
 * is never recorded, is settled later by a check and never sent blind a second time; the
 * platform's uniqueness of the code guards the rest. Transient and ambiguous failures are retried
 * here, with the step's back-off ({@code onboarding.retry}), and thrown once the retries are spent;
 * rejections and duplicates are outcomes. Thread-safe: the onboard step runs it on every API
 * thread at once ({@link OnboardTasklet}).
 */
class OnboardingProcessor implements ItemProcessor<PendingProspect, Settlement> {

	private static final Logger logger = LoggerFactory.getLogger(OnboardingProcessor.class);

	private final CustomerApiClient client;

	private final CreateSentNotes notes;

	private final Mode mode;

	private final RetryTemplate retry;

	private final InitialPasswords passwords = new InitialPasswords();

	private volatile boolean ended;

	/**
	 * @param retry retries the transient and ambiguous failures of one prospect's calls
	 */
	OnboardingProcessor(CustomerApiClient client, Ledger ledger, Mode mode, RetryTemplate retry) {
		this.client = client;
		this.notes = new CreateSentNotes(ledger);
		this.mode = mode;
		this.retry = retry;
	}

	/**
	 * Settles the prospect, retrying its calls as the retry policy allows.
	 * @throws IllegalStateException once {@link #end()} was called: the prospect stays unsettled
	 * @throws dev.onboardingsync.customerapi.CustomerApiException the last failure once the retries are spent
	 */
	@Override
	public Settlement process(PendingProspect prospect) {
		Attempts attempts = new Attempts(prospect.status() == ProspectStatus.UNCERTAIN);
		return this.retry.invoke(() -> attempt(prospect, attempts));
	}

	/**
	 * No call starts after this (one under way finishes): the step ended (it failed or was
	 * stopped), and the prospects still running stay unsettled for the next run.
	 */
	void end() {
		this.ended = true;
	}

	private Settlement attempt(PendingProspect prospect, Attempts attempts) {
		goOn(prospect);
		String registered = registered(prospect);
		if (registered != null) {
			// After a create of ours went out, a customer with this phone is most likely that create.
			return settle(prospect, attempts.createSent ? ProspectStatus.CREATED : ProspectStatus.EXISTS, null,
					attempts.createSent ? "created; its answer was lost, the check found it"
							: registered + " already registered",
					null);
		}
		if (this.mode == Mode.DRY_RUN) {
			return settle(prospect, ProspectStatus.WOULD_CREATE, null, null, null);
		}
		if (attempts.pwdMd5 == null) {
			attempts.pwdMd5 = (prospect.passwordMd5() != null) ? prospect.passwordMd5() : this.passwords.newPasswordMd5();
		}
		// Whether a create of ours may have been applied before this one: an earlier attempt's, or
		// another process's that noted it first.
		goOn(prospect);
		boolean earlierCreate = attempts.createSent || !this.notes.note(prospect.id());
		attempts.createSent = true;
		// A create noted but not sent is safe: an UNCERTAIN prospect is settled by a check first.
		goOn(prospect);
		try {
			String customerNo = this.client.createAccount(prospect.toCreateRequest(attempts.pwdMd5));
			return settle(prospect, ProspectStatus.CREATED, customerNo, null, null);
		}
		catch (CustomerAlreadyExistsException ex) {
			// The code, phone or email is taken. An earlier create of ours, if it was applied, registered
			// the phone; the check above found none, so only a create applied since then is ours.
			goOn(prospect);
			boolean ours = earlierCreate && this.client
				.checkCustomerExist(CheckCustomerExistRequest.byPhone(prospect.phoneArea(), prospect.phone()));
			return settle(prospect, ours ? ProspectStatus.CREATED : ProspectStatus.EXISTS, null,
					ours ? "created; its answer was lost, the check found it" : ex.platformMessage(), ex.trace());
		}
		catch (CustomerRejectedException ex) {
			return settle(prospect, ProspectStatus.REJECTED, null, ex.platformMessage(), ex.trace());
		}
	}

	// No call goes out once the step has ended: the prospect stays unsettled for the next run.
	private void goOn(PendingProspect prospect) {
		if (this.ended) {
			throw new IllegalStateException("The onboard step has ended; " + prospect + " stays unsettled");
		}
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

	/** What the attempts at one prospect learn: whether a create may have gone out, and its password. */
	private static final class Attempts {

		private boolean createSent;

		private String pwdMd5;

		Attempts(boolean createSent) {
			this.createSent = createSent;
		}

	}

}
