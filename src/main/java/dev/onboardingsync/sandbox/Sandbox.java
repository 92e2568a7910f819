package dev.onboardingsync.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A local, stateful stand-in of the platform's Customer API over real HTTP, as CUSTOMER-API.md
 * describes it: the five endpoints under {@code /openapi-b/}, and {@code /sandbox/state} and
 * {@code /sandbox/customers} to look inside. Start it standalone
 * ({@code java -jar onboarding-sync.jar sandbox}) or embedded in a test with {@link #start}.
 * Faults can be changed while it runs.
 */
public final class Sandbox implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Sandbox.class);

	static {
		// The JDK server writes headers and body in separate segments; with Nagle's algorithm on, a
		// kept-alive connection waits for the client's delayed ACK (~40 ms) on every answer.
		if (System.getProperty("sun.net.httpserver.nodelay") == null) {
			System.setProperty("sun.net.httpserver.nodelay", "true");
		}
	}

	private final SandboxSettings settings;

	private final CustomerStore store = new CustomerStore();

	private final Clock clock;

	private final SandboxTraffic traffic = new SandboxTraffic();

	private ScheduledThreadPoolExecutor timer;

	private final PlatformEndpoints platform;

	private final FaultInjector faults;

	private HttpServer server;

	private ExecutorService executor;

	private Sandbox(SandboxSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
		this.platform = new PlatformEndpoints(this.store, Long.parseLong(settings.companyId()), clock);
		this.faults = new FaultInjector(settings.faults());
	}

	/** Seeds the store and starts serving; the answer is ready for requests. */
	public static Sandbox start(SandboxSettings settings) {
		Sandbox sandbox = new Sandbox(settings, Clock.systemUTC());
		sandbox.seed();
		sandbox.listen();
		return sandbox;
	}

	private void seed() {
		SandboxSeeder.seed(this.store, this.settings.seed(), this.clock.millis());
	}

	private void listen() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(this.settings.bindAddress(), this.settings.port()),
					1024);
		}
		catch (IOException ex) {
			throw new IllegalStateException("The sandbox could not listen on " + this.settings.bindAddress() + ":"
					+ this.settings.port() + " (" + ex.getMessage() + "): choose another --sandbox.port", ex);
		}
		ThreadPoolExecutor pool = new ThreadPoolExecutor(this.settings.threads(), this.settings.threads(), 30,
				TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("sandbox-"));
		pool.allowCoreThreadTimeOut(true);
		this.executor = pool;
		this.server.setExecutor(pool);
		// The platform's latency and a timeout's silence: answers made once their time has passed, on as
		// many threads as cores, at least 2. Without a pool thread held for each answer's latency the
		// sandbox used about a fifth less CPU at 20 ms, and the calls in flight are no longer limited to
		// its threads (BENCHMARKS.md, "Onboarding against its limits"). A task left when the sandbox
		// stops is dropped: stopping closes its connection.
		this.timer = new ScheduledThreadPoolExecutor(Math.max(2, Runtime.getRuntime().availableProcessors()),
				daemonThreads("sandbox-timer-"), new ThreadPoolExecutor.DiscardPolicy());
		this.server.createContext("/openapi-b/", new PlatformHttpHandler(this));
		this.server.createContext("/sandbox/", new AdminHttpHandler(this));
		this.server.start();
		logger.info("Sandbox serving company {} at {} with {} customers and {} groups; faults: {}",
				this.settings.companyId(), baseUrl(), this.store.size(), this.store.groups().size(),
				this.settings.faults());
	}

	// Daemon threads named prefix + a number: a sandbox never keeps its JVM alive.
	private static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	/** Where the API is, e.g. {@code http://127.0.0.1:8089}: the client's {@code customer-api.base-url}. */
	public URI baseUrl() {
		InetSocketAddress address = this.server.getAddress();
		return URI.create("http://" + address.getHostString() + ":" + address.getPort());
	}

	public SandboxSettings settings() {
		return this.settings;
	}

	public Faults faults() {
		return this.faults.current();
	}

	/** Changes the faults from the next request on. */
	public void faults(Faults faults) {
		this.faults.set(faults);
	}

	public SandboxState state() {
		return SandboxState.of(this.settings.companyId(), this.store.all(), this.store.groups().size(), this.traffic);
	}

	/** Every customer, oldest first. */
	public List<SandboxCustomer> customers() {
		return this.store.all();
	}

	public long accountsWithThirdServerCode(String thirdServerCode) {
		return this.store.all().stream().filter((customer) -> thirdServerCode.equals(customer.thirdServerCode())).count();
	}

	/**
	 * Removes the customer from the platform, as a deletion does: it leaves the list, and
	 * {@code detail} no longer finds it (issue 12: a customer that vanishes).
	 * @return whether there was such a customer
	 */
	public boolean removeCustomer(String customerNo) {
		return this.store.remove(customerNo);
	}

	/**
	 * Closes the customer: it stays in the list with status {@link SandboxCustomer#CLOSED} and a
	 * later {@code updateTime}.
	 * @return the closed customer, or empty if there is no such customer
	 */
	public Optional<SandboxCustomer> closeCustomer(String customerNo) {
		return this.store.close(customerNo, this.clock.millis());
	}

	/** Back to the seeded customers, the configured faults and zero counters. */
	public void reset() {
		this.store.clear();
		seed();
		this.faults.set(this.settings.faults());
		this.traffic.reset();
	}

	@Override
	public void close() {
		if (this.server != null) {
			this.server.stop(0);
			this.executor.shutdownNow();
			this.timer.shutdownNow();
			this.server = null;
			if (this.settings.seed().dataFile() != null) {
				SandboxSeeder.save(this.store, this.settings.seed().dataFile());
			}
			logger.info("Sandbox stopped");
		}
	}

	CustomerStore store() {
		return this.store;
	}

	PlatformEndpoints platform() {
		return this.platform;
	}

	FaultInjector faultInjector() {
		return this.faults;
	}

	SandboxTraffic traffic() {
		return this.traffic;
	}

	/**
	 * Runs the task once the time has passed, on the sandbox's timer threads. A task still waiting
	 * when the sandbox stops is dropped, with its connection (stopping closes them all); the count of
	 * requests in flight is not kept after a stop.
	 */
	void later(Duration delay, Runnable task) {
		this.timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
	}

}
