package dev.onboardingsync.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpServer;
import dev.onboardingsync.customerapi.CheckCustomerExistRequest;
import dev.onboardingsync.customerapi.CreateAccountRequest;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerPageRequest;
import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.sandbox.SandboxSettings;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests per second the sandbox serves to the project's own client, 16 threads over 16 pooled
 * connections, against a baseline measured in the same run: a bare JDK HTTP server that answers
 * every POST with a fixed success envelope (the cost of the transport and the client alone).
 * Not part of the test suite; run it with the command in BENCHMARKS.md.
 */
@Tag("benchmark")
class SandboxThroughputBenchmark {

	private static final int THREADS = 16;

	private static final int REQUESTS = 20_000;

	private final AtomicInteger phones = new AtomicInteger();

	@Test
	void sandboxThroughputAgainstBareHttpServer() throws Exception {
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.forTests().withSeed(new SandboxSettings.Seed(10_000, 3, 1, null, null)));
				BareServer bare = new BareServer();
				CustomerApiClient toBare = CustomerApiClient.create(TestSandbox.clientProperties(bare.baseUrl()));
				CustomerApiClient toSandbox = CustomerApiClient.create(TestSandbox.clientProperties(sandbox.baseUrl()))) {
			CheckCustomerExistRequest check = CheckCustomerExistRequest.byPhone("+86", "13800138000");
			measure("warm-up bare", () -> toBare.checkCustomerExist(check));
			measure("warm-up sandbox", () -> toSandbox.checkCustomerExist(check));

			double baseline = measure("baseline: bare JDK server, fixed answer", () -> toBare.checkCustomerExist(check));
			double checks = measure("sandbox checkCustomerExist (phone)", () -> toSandbox.checkCustomerExist(check));
			double creates = measure("sandbox create (validated, unique)", () -> toSandbox.createAccount(prospect()));
			double pages = measure("sandbox page, size 20", () -> toSandbox.page(CustomerPageRequest.all(3, 20)));
			double baselineAgain = measure("baseline again", () -> toBare.checkCustomerExist(check));

			System.out.printf("%nratio to the mean baseline (%.0f req/s): check %.2f, create %.2f, page %.2f%n",
					(baseline + baselineAgain) / 2, checks / ((baseline + baselineAgain) / 2),
					creates / ((baseline + baselineAgain) / 2), pages / ((baseline + baselineAgain) / 2));
			assertThat(sandbox.state().maxAccountsPerPhone()).isEqualTo(1);
		}
	}

	private double measure(String name, Runnable call) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(THREADS);
		AtomicInteger remaining = new AtomicInteger(REQUESTS);
		long start = System.nanoTime();
		List<Future<?>> workers = new ArrayList<>();
		for (int i = 0; i < THREADS; i++) {
			workers.add(executor.submit(() -> {
				while (remaining.getAndDecrement() > 0) {
					call.run();
				}
			}));
		}
		for (Future<?> worker : workers) {
			worker.get();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		executor.shutdown();
		double perSecond = REQUESTS / seconds;
		System.out.printf("%-45s %8.0f req/s  (%d requests in %.2f s)%n", name, perSecond, REQUESTS, seconds);
		return perSecond;
	}

	private CreateAccountRequest prospect() {
		int n = this.phones.incrementAndGet();
		return new CreateAccountRequest("166" + String.format("%08d", n), "bench" + n + "@example.org", "+86", "+86",
				"dc483e80a7a0bd9ef71d8cf973673924", "CN", 1, 1L, null, null, null, null, null, null, null, "bench-" + n,
				List.of(new TradeTypeCurrency("USDT", "1")));
	}

	/** The transport floor: same JDK server and thread pool size, no work. */
	private static final class BareServer implements AutoCloseable {

		private static final byte[] ANSWER = "{\"code\":\"0\",\"msg\":\"Success\",\"data\":1,\"trace\":\"t\"}"
			.getBytes(StandardCharsets.UTF_8);

		private final HttpServer server;

		private final ExecutorService executor = Executors.newFixedThreadPool(64);

		BareServer() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
			this.server.setExecutor(this.executor);
			this.server.createContext("/", (exchange) -> {
				try (InputStream in = exchange.getRequestBody()) {
					in.readAllBytes();
				}
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, ANSWER.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(ANSWER);
				}
			});
			this.server.start();
		}

		URI baseUrl() {
			return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
		}

		@Override
		public void close() {
			this.server.stop(0);
			this.executor.shutdownNow();
		}

	}

}
