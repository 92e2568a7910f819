package dev.onboardingsync.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.onboardingsync.customerapi.ApiEnvelope;
import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.customerapi.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * {@code POST /openapi-b/{bizType}}: the rate limit, latency and faults around the platform's
 * rules. Headers are checked as the platform would: {@code trace} and {@code version} on every
 * call, the sandbox's {@code companyId}, and the {@code token} on every B-side endpoint.
 */
final class PlatformHttpHandler implements HttpHandler {

	private static final String PREFIX = "/openapi-b/";

	private static final Logger logger = LoggerFactory.getLogger(PlatformHttpHandler.class);

	private final Sandbox sandbox;

	PlatformHttpHandler(Sandbox sandbox) {
		this.sandbox = sandbox;
	}

	@Override
	public void handle(HttpExchange exchange) {
		this.sandbox.traffic().requestStarted();
		step(exchange, () -> serve(exchange));
	}

	// Runs a step of the exchange, and finishes the exchange unless the step left it to the timer.
	private void step(HttpExchange exchange, ExchangeStep step) {
		boolean answeredLater = false;
		try {
			answeredLater = step.run();
		}
		catch (IOException ex) {
			HttpExchanges.drop(exchange);
		}
		catch (RuntimeException ex) {
			failed(exchange, ex);
		}
		catch (Error ex) {
			failed(exchange, ex);
			throw ex;
		}
		finally {
			if (!answeredLater) {
				finish(exchange);
			}
		}
	}

	// Whether the answer was left to the sandbox's timer (the exchange is then finished there).
	private boolean serve(HttpExchange exchange) throws IOException {
		Endpoint endpoint = Endpoint.fromBizType(exchange.getRequestURI().getPath().substring(PREFIX.length()));
		if (endpoint == null) {
			HttpExchanges.sendText(exchange, 404, "No such service: " + exchange.getRequestURI().getPath());
			return false;
		}
		if (!"POST".equals(exchange.getRequestMethod())) {
			exchange.getResponseHeaders().set("Allow", "POST");
			HttpExchanges.sendText(exchange, 405, "Use POST");
			return false;
		}
		this.sandbox.traffic().countRequest(endpoint);
		byte[] body;
		try (InputStream in = exchange.getRequestBody()) {
			body = in.readAllBytes();
		}
		FaultInjector faults = this.sandbox.faultInjector();
		long rateLimitWait = faults.rateLimitWaitNanos();
		if (rateLimitWait > 0) {
			this.sandbox.traffic().countFault(FaultInjector.RATE_LIMITED);
			exchange.getResponseHeaders()
				.set("Retry-After", Long.toString(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(rateLimitWait - 1) + 1)));
			HttpExchanges.sendJson(exchange, 429, failure("A0429", "Too many requests", null));
			return false;
		}
		Duration latency = faults.latency();
		if (latency.isZero()) {
			return respond(exchange, endpoint, body);
		}
		// The platform's latency holds no thread: the answer is made and sent on the sandbox's timer once
		// it has passed.
		this.sandbox.later(latency, () -> step(exchange, () -> respond(exchange, endpoint, body)));
		return true;
	}

	// The fault rolled for the call, or the platform's answer: whether the exchange is left to the timer.
	private boolean respond(HttpExchange exchange, Endpoint endpoint, byte[] body) throws IOException {
		FaultInjector faults = this.sandbox.faultInjector();
		String trace = exchange.getRequestHeaders().getFirst("trace");
		Fault fault = faults.roll(endpoint);
		if (fault != null) {
			this.sandbox.traffic().countFault(fault.name());
		}
		if (fault == Fault.SERVER_ERROR) {
			HttpExchanges.sendText(exchange, faults.current().serverErrorStatus(), "Service Unavailable");
			return false;
		}
		if (fault == Fault.BUSY) {
			HttpExchanges.sendJson(exchange, 200, failure("B0001", "System busy, please try again later", trace));
			return false;
		}
		if (fault == Fault.TOO_MANY_REQUESTS) {
			HttpExchanges.sendJson(exchange, 200, failure("A0429", "Too many requests", trace));
			return false;
		}
		this.sandbox.traffic().countHandled(endpoint);
		ApiEnvelope answer = answer(exchange, endpoint, trace, body);
		if (fault == Fault.TIMEOUT) {
			// Applied, then silent until the connection is dropped: a client's read timeout.
			this.sandbox.later(faults.current().timeoutHold(), () -> {
				HttpExchanges.drop(exchange);
				finish(exchange);
			});
			return true;
		}
		if (fault == Fault.LOST_RESPONSE) {
			HttpExchanges.drop(exchange);
		}
		else if (fault == Fault.MALFORMED) {
			HttpExchanges.send(exchange, 200, "application/json",
					"{\"code\":\"0\",\"msg\":\"Succ<html>".getBytes(StandardCharsets.UTF_8));
		}
		else {
			HttpExchanges.sendJson(exchange, 200, answer);
		}
		return false;
	}

	// The JDK's server would close the connection without a word: a client would read a lost answer,
	// where the sandbox itself failed. Said, and answered as a platform's bug would be.
	private void failed(HttpExchange exchange, Throwable ex) {
		logger.error("The sandbox failed to serve {}", exchange.getRequestURI().getPath(), ex);
		if (exchange.getResponseCode() == -1) {
			try {
				HttpExchanges.sendText(exchange, 500, "Sandbox failure: see its log");
			}
			catch (IOException sendFailed) {
				HttpExchanges.drop(exchange);
			}
		}
	}

	/** A step of an exchange: whether it left the exchange to the sandbox's timer. */
	@FunctionalInterface
	private interface ExchangeStep {

		boolean run() throws IOException;

	}

	private void finish(HttpExchange exchange) {
		this.sandbox.traffic().requestFinished();
		exchange.close();
	}

	private ApiEnvelope answer(HttpExchange exchange, Endpoint endpoint, String trace, byte[] body) {
		PlatformEndpoints.Answer answer = refusedHeaders(exchange, endpoint, trace);
		if (answer == null) {
			try {
				answer = this.sandbox.platform().handle(endpoint, (body.length == 0) ? null : ApiJson.mapper().readTree(body));
			}
			catch (JacksonException ex) {
				answer = PlatformEndpoints.Answer.error(PlatformEndpoints.INVALID, "Request body is not JSON");
			}
		}
		return answer.code().equals(ApiEnvelope.SUCCESS) ? ApiEnvelope.success(answer.data(), trace, now())
				: failure(answer.code(), answer.msg(), trace);
	}

	private PlatformEndpoints.Answer refusedHeaders(HttpExchange exchange, Endpoint endpoint, String trace) {
		SandboxSettings settings = this.sandbox.settings();
		if (trace == null || trace.isBlank()) {
			return PlatformEndpoints.Answer.error(PlatformEndpoints.INVALID, "trace header is required");
		}
		if (exchange.getRequestHeaders().getFirst("version") == null) {
			return PlatformEndpoints.Answer.error(PlatformEndpoints.INVALID, "version header is required");
		}
		if (!settings.companyId().equals(exchange.getRequestHeaders().getFirst("companyId"))) {
			return PlatformEndpoints.Answer.error(PlatformEndpoints.UNAUTHORIZED,
					"companyId header is missing or not a company of this platform");
		}
		if (endpoint.tokenRequired() && !settings.token().equals(exchange.getRequestHeaders().getFirst("token"))) {
			return PlatformEndpoints.Answer.error(PlatformEndpoints.UNAUTHORIZED, "token is missing, invalid or expired");
		}
		return null;
	}

	private ApiEnvelope failure(String code, String msg, String trace) {
		return ApiEnvelope.failure(code, msg, trace, now());
	}

	private static long now() {
		return System.currentTimeMillis();
	}

}
