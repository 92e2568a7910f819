package dev.onboardingsync.customerapi;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import dev.onboardingsync.customerapi.CustomerApiTransport.Answer;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.client.ResourceAccessException;

/**
 * How every call to the platform goes, whatever its endpoint: a new {@code trace}, a slot of the
 * requests/s budget, the request through {@link CustomerApiTransport}, its answer timed by outcome
 * and turned into the envelope's {@code data} or the {@link CustomerApiException} that
 * {@link FailureClassifier} says it is, logged at the level its kind deserves. What the data of
 * each endpoint holds is {@link CustomerApiClient}'s to say. Thread-safe.
 */
final class CustomerApiCalls implements AutoCloseable {

	// The category operators know from the client's logs, which this class writes now.
	private static final Logger logger = LoggerFactory.getLogger(CustomerApiClient.class);

	private final CustomerApiTransport transport;

	private final RequestRateLimiter rateLimiter;

	private final FailureClassifier classifier;

	private final CustomerApiMetrics metrics;

	private final JsonMapper json = ApiJson.mapper();

	CustomerApiCalls(CustomerApiProperties properties, CustomerApiMetrics metrics) {
		this.transport = new CustomerApiTransport(properties);
		this.rateLimiter = new RequestRateLimiter(properties.maxRequestsPerSecond());
		this.classifier = new FailureClassifier(properties.errorCodes(), properties.baseUrl());
		this.metrics = metrics;
	}

	/**
	 * A new {@code trace}: a random (version 4) UUID, unique per call. From the calling thread's own
	 * generator, not {@link UUID#randomUUID()}'s one {@code SecureRandom}, on which the API threads
	 * queued (issue 13's profile): a trace identifies a call, it guards nothing.
	 */
	static String trace() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & ~0xF000L) | 0x4000L;
		long least = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
		return new UUID(most, least).toString();
	}

	/**
	 * Calls the endpoint with the request as its JSON body.
	 * @return the {@code data} of a {@code code "0"} answer, with the call's endpoint and trace
	 * @throws CustomerApiException if the call was refused, failed or may have been applied; a
	 * {@link RateLimitedException} of an HTTP 429 also holds every later call back for its
	 * {@code Retry-After}
	 */
	Reply call(Endpoint endpoint, Object body) {
		String trace = trace();
		try {
			this.metrics.recordRateLimitWait(this.rateLimiter.acquire());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw logged(new TransientApiException(endpoint, trace, null, null,
					"Interrupted before the request was sent", ex));
		}
		Timer.Sample sample = this.metrics.start();
		try {
			return interpret(endpoint, trace, send(endpoint, trace, body), sample);
		}
		catch (CustomerApiException ex) {
			this.metrics.stop(sample, endpoint, ex.outcome());
			throw ex;
		}
	}

	@Override
	public void close() throws IOException {
		this.transport.close();
	}

	private Answer send(Endpoint endpoint, String trace, Object body) {
		try {
			return this.transport.post(endpoint, trace, this.json.writeValueAsBytes(body));
		}
		catch (ResourceAccessException ex) {
			throw logged(this.classifier.ofIo(endpoint, trace, ex));
		}
	}

	private Reply interpret(Endpoint endpoint, String trace, Answer answer, Timer.Sample sample) {
		CustomerApiException refused = this.classifier.ofStatus(endpoint, trace, answer.status(), answer.retryAfter(),
				answer.location());
		if (refused instanceof RateLimitedException limited && answer.status() == 429) {
			this.rateLimiter.pause(limited.retryAfter().orElse(FailureClassifier.DEFAULT_RETRY_AFTER));
		}
		if (refused != null) {
			throw logged(refused);
		}
		ApiEnvelope envelope;
		try {
			envelope = this.json.readValue(answer.body(), ApiEnvelope.class);
		}
		catch (JacksonException ex) {
			throw logged(FailureClassifier.unexpected(endpoint, trace, "unparseable body", ex));
		}
		if (envelope == null || envelope.code() == null) {
			throw logged(FailureClassifier.unexpected(endpoint, trace, "body without a code", null));
		}
		if (envelope.successful()) {
			this.metrics.stop(sample, endpoint, CustomerApiMetrics.SUCCESS);
			return new Reply(endpoint, trace, envelope.data());
		}
		throw logged(this.classifier.ofCode(endpoint, trace, envelope.code(), envelope.msg()));
	}

	private static CustomerApiException logged(CustomerApiException ex) {
		if (ex instanceof CustomerAlreadyExistsException || ex instanceof CustomerNotFoundException) {
			logger.debug("{}", ex.getMessage());
		}
		else if (ex instanceof CustomerRejectedException) {
			logger.info("{}", ex.getMessage());
		}
		else {
			logger.warn("{}", ex.getMessage());
		}
		return ex;
	}

	/**
	 * The {@code data} of a successful answer.
	 * @param data the envelope's {@code data}, {@code null} if it had none
	 */
	record Reply(Endpoint endpoint, String trace, JsonNode data) {
	}

}
