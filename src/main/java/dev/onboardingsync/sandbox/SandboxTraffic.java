package dev.onboardingsync.sandbox;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.onboardingsync.customerapi.Endpoint;

/**
 * What reached the sandbox: requests by endpoint, those that reached the platform's rules, faults
 * injected by kind, and the most requests in flight at once ({@link SandboxState} shows them).
 * Thread-safe: every request's thread counts.
 */
final class SandboxTraffic {

	private final Map<Endpoint, LongAdder> requests = new EnumMap<>(Endpoint.class);

	private final Map<Endpoint, LongAdder> handled = new EnumMap<>(Endpoint.class);

	private final Map<String, LongAdder> faultsInjected = new LinkedHashMap<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger peakInFlight = new AtomicInteger();

	SandboxTraffic() {
		for (Endpoint endpoint : Endpoint.values()) {
			this.requests.put(endpoint, new LongAdder());
			this.handled.put(endpoint, new LongAdder());
		}
		for (Fault fault : Fault.values()) {
			this.faultsInjected.put(fault.name(), new LongAdder());
		}
		this.faultsInjected.put(FaultInjector.RATE_LIMITED, new LongAdder());
	}

	void countRequest(Endpoint endpoint) {
		this.requests.get(endpoint).increment();
	}

	void countHandled(Endpoint endpoint) {
		this.handled.get(endpoint).increment();
	}

	void requestStarted() {
		this.peakInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
	}

	void requestFinished() {
		this.inFlight.decrementAndGet();
	}

	/** @param kind a {@link Fault}'s name, or {@link FaultInjector#RATE_LIMITED} */
	void countFault(String kind) {
		this.faultsInjected.get(kind).increment();
	}

	/** Requests by endpoint short name. */
	Map<String, Long> requests() {
		return sums(this.requests);
	}

	/** Requests that reached the platform's rules, by endpoint short name. */
	Map<String, Long> handled() {
		return sums(this.handled);
	}

	/** Faults injected, by kind. */
	Map<String, Long> faultsInjected() {
		Map<String, Long> injected = new LinkedHashMap<>();
		this.faultsInjected.forEach((fault, count) -> injected.put(fault, count.sum()));
		return injected;
	}

	int peakInFlight() {
		return this.peakInFlight.get();
	}

	/** Zero counters; the requests still in flight stay counted. */
	void reset() {
		this.requests.values().forEach(LongAdder::reset);
		this.handled.values().forEach(LongAdder::reset);
		this.faultsInjected.values().forEach(LongAdder::reset);
		this.peakInFlight.set(this.inFlight.get());
	}

	private static Map<String, Long> sums(Map<Endpoint, LongAdder> counts) {
		Map<String, Long> sums = new LinkedHashMap<>();
		counts.forEach((endpoint, count) -> sums.put(endpoint.shortName(), count.sum()));
		return sums;
	}

}
