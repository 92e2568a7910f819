package dev.onboardingsync.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's metrics reach a Prometheus Pushgateway when the run ends: a stand-in gateway over real
 * HTTP receives them.
 */
class MetricsIntegrationTests {

	@TempDir
	private Path directory;

	@Test
	void runPushesItsMetricsToThePushgatewayWhenItEnds() throws Exception {
		// given
		List<String> pushes = new CopyOnWriteArrayList<>();
		HttpServer pushgateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		pushgateway.createContext("/metrics/", (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				pushes.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "\n"
						+ new String(body.readAllBytes(), StandardCharsets.UTF_8));
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		pushgateway.start();
		TestSandbox.reset();
		Path input = Files.writeString(this.directory.resolve("metrics.csv"),
				"external_id,phone,country\nmetric-1,13912900001,CN\nmetric-2,13912900002,CN\nmetric-3,12,CN\n");

		// when
		try {
			assertThat(TestApplication.run(this.directory.resolve("reports"), "input=" + input,
					"--management.prometheus.metrics.export.pushgateway.enabled=true",
					"--management.prometheus.metrics.export.pushgateway.address=127.0.0.1:"
							+ pushgateway.getAddress().getPort(),
					"--management.prometheus.metrics.export.pushgateway.format=text"))
				.isZero();
		}
		finally {
			pushgateway.stop(0);
		}

		// then: the last push replaces the group with the run's final numbers
		assertThat(pushes).isNotEmpty();
		String last = pushes.get(pushes.size() - 1);
		assertThat(last).startsWith("PUT /metrics/job/onboarding-sync/company/1");
		assertThat(last).containsPattern("onboarding_outcomes_total\\{outcome=\"CREATED\"\\} 2\\.0")
			.containsPattern("onboarding_outcomes_total\\{outcome=\"REJECTED\"\\} 1\\.0")
			.containsPattern("onboarding_rows_read_total 3\\.0")
			.containsPattern("customer_api_requests_seconds_count\\{endpoint=\"create\",outcome=\"success\"\\} 2")
			.containsPattern("customer_api_requests_seconds_count\\{endpoint=\"check\",outcome=\"success\"\\} 2")
			.contains("customer_api_rate_limit_wait_seconds_count", "onboarding_retries_total",
					"onboarding_run_rows_per_second");
	}

}
