package dev.onboardingsync.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.onboardingsync.customerapi.Endpoint;
import dev.onboardingsync.sandbox.FaultRates;
import dev.onboardingsync.sandbox.Faults;
import dev.onboardingsync.sandbox.Sandbox;
import dev.onboardingsync.testsupport.TestApplication;
import dev.onboardingsync.testsupport.TestDatabase;
import dev.onboardingsync.testsupport.TestSandbox;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * A run's metrics reach a Prometheus Pushgateway: a stand-in gateway over real HTTP receives them.
 * What k8s/monitoring's alerts and dashboard query is what the job pushes (issue 10).
 */
class MetricsIntegrationTests {

	private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

	@TempDir
	private Path directory;

	private final List<String> pushes = new CopyOnWriteArrayList<>();

	private HttpServer pushgateway;

	@BeforeEach
	void startPushgateway() throws IOException {
		this.pushgateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.pushgateway.createContext("/metrics/", (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				this.pushes.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "\n"
						+ new String(body.readAllBytes(), StandardCharsets.UTF_8));
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.pushgateway.start();
	}

	@AfterEach
	void stopPushgateway() {
		this.pushgateway.stop(0);
	}

	@Test
	void runPushesItsMetricsToThePushgatewayWhenItEnds() throws Exception {
		// given
		TestSandbox.reset();
		Path input = Files.writeString(this.directory.resolve("metrics.csv"),
				"external_id,phone,country\nmetric-1,13912900001,CN\nmetric-2,13912900002,CN\nmetric-3,12,CN\n");
		double before = System.currentTimeMillis() / 1000.0;

		// when
		assertThat(run("input=" + input)).isZero();

		// then: the last push replaces the group with the run's final numbers
		String last = lastPush();
		assertThat(last).startsWith("PUT /metrics/job/onboarding-sync/company/1");
		assertThat(last).containsPattern("onboarding_run_rows\\{outcome=\"CREATED\"\\} 2\\.0")
			.containsPattern("onboarding_run_rows\\{outcome=\"REJECTED\"\\} 1\\.0")
			.containsPattern("(?m)^onboarding_run_rows_read 3\\.0")
			.containsPattern("customer_api_requests_seconds_count\\{endpoint=\"create\",outcome=\"success\"\\} 2")
			.containsPattern("customer_api_requests_seconds_count\\{endpoint=\"check\",outcome=\"success\"\\} 2")
			.containsPattern("onboarding_run_status\\{status=\"COMPLETED\"\\} 1\\.0")
			.containsPattern("onboarding_run_status\\{status=\"FAILED\"\\} 0\\.0")
			.containsPattern("(?m)^onboarding_run_in_progress 0\\.0")
			.contains("customer_api_rate_limit_wait_seconds_count", "onboarding_retries_total",
					"onboarding_run_rows_per_second");
		assertThat(value(last, "onboarding_run_last_success_timestamp_seconds")).isGreaterThanOrEqualTo(Math.floor(before))
			.isEqualTo(value(last, "onboarding_run_end_timestamp_seconds"));
		assertThat(value(last, "onboarding_run_start_timestamp_seconds")).isGreaterThanOrEqualTo(before);
	}

	@Test
	void aFailedRunSaysSoAndKeepsTheLastSuccess() throws Exception {
		// given: a run that completed, then one the platform is too busy for
		Sandbox sandbox = TestSandbox.reset();
		Path first = Files.writeString(this.directory.resolve("first.csv"), "external_id,phone,country\nmf-1,13912900011,CN\n");
		assertThat(run("input=" + first)).isZero();
		double lastSuccess = value(lastPush(), "onboarding_run_last_success_timestamp_seconds");
		sandbox.faults(Faults.none().with(Endpoint.CREATE_ACCOUNT, FaultRates.none().withBusy(1)));
		Path second = Files.writeString(this.directory.resolve("second.csv"), "external_id,phone,country\nmf-2,13912900012,CN\n");

		// when
		try {
			assertThat(run("input=" + second, "--onboarding.retry.max-retries=0")).isEqualTo(ExitCodes.FAILED_RESTARTABLE.code());
		}
		finally {
			sandbox.faults(Faults.none());
		}

		// then: what OnboardingSyncRunFailed and OnboardingSyncNoCompletedRun read
		String last = lastPush();
		assertThat(last).containsPattern("onboarding_run_status\\{status=\"FAILED\"\\} 1\\.0")
			.containsPattern("onboarding_run_status\\{status=\"COMPLETED\"\\} 0\\.0")
			.containsPattern("(?m)^onboarding_run_in_progress 0\\.0");
		// as the job's database has it, to the millisecond
		assertThat(value(last, "onboarding_run_last_success_timestamp_seconds")).isCloseTo(lastSuccess, offset(0.001));
	}

	@Test
	void aRunRefusedBeforeItStartsPushesFailedAndOneRefusedForTheLockPushesNoRun() throws Exception {
		// given: a completed run
		TestSandbox.reset();
		Path input = Files.writeString(this.directory.resolve("refused.csv"), "external_id,phone,country\nmr-1,13912900031,CN\n");
		assertThat(run("input=" + input)).isZero();
		String completed = lastPush();

		// when / then: a process that finds the company's run lock held pushes no run of its own (the
		// lock's run, pushing every minute, keeps its group)
		TestDatabase.Connection database = TestDatabase.connection();
		try (Connection lock = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
			lock.createStatement().execute("SELECT pg_advisory_lock(hashtextextended('onboarding-sync:1', 0))");
			assertThat(run("input=" + input)).isEqualTo(ExitCodes.RUN_IN_PROGRESS.code());
		}
		assertThat(lastPush()).doesNotContain("onboarding_run_");

		// when / then: one refused for its input before its run started failed, for the alerts
		assertThat(run("input=" + this.directory.resolve("missing.csv"))).isEqualTo(ExitCodes.BAD_INPUT.code());
		String refused = lastPush();
		assertThat(refused).containsPattern("onboarding_run_status\\{status=\"FAILED\"\\} 1\\.0")
			.containsPattern("(?m)^onboarding_run_in_progress 0\\.0")
			.containsPattern("(?m)^onboarding_run_rows_read NaN");
		assertThat(value(refused, "onboarding_run_last_success_timestamp_seconds"))
			.isCloseTo(value(completed, "onboarding_run_last_success_timestamp_seconds"), offset(0.001));
	}

	@Test
	void theAlertsAndTheDashboardQueryOnlyMetricsTheJobPushes() throws Exception {
		// given: every metric a run pushes, with a call of each kind the dashboard shows
		TestSandbox.reset();
		Path input = Files.writeString(this.directory.resolve("names.csv"), "external_id,phone,country\nmn-1,13912900021,CN\n");
		assertThat(run("input=" + input, "--customer-api.max-requests-per-second=100")).isZero();
		Set<String> pushed = new TreeSet<>();
		Matcher sample = SAMPLE.matcher(lastPush());
		while (sample.find()) {
			pushed.add(sample.group(1));
		}

		// when: the metrics the alerts and the dashboard's panels query
		List<String> queries = new ArrayList<>();
		KubernetesManifestsTests.alerts().forEach((Rule alert) -> queries.add(alert.getExpr().getStrVal()));
		JsonNode dashboard = new ObjectMapper().readTree(Path.of("k8s/monitoring/onboarding-sync-dashboard.json").toFile());
		dashboard.findValues("expr").forEach((expr) -> queries.add(expr.asText()));
		dashboard.findValues("definition").forEach((query) -> queries.add(query.asText()));
		Set<String> queried = new TreeSet<>();
		queries.forEach((query) -> queried.addAll(metricNames(query)));

		// then
		assertThat(queries).hasSizeGreaterThanOrEqualTo(20);
		// (kube_*: kube-state-metrics' view of the CronJob, which the job does not push)
		assertThat(queried).hasSizeGreaterThanOrEqualTo(15)
			.filteredOn((name) -> !name.startsWith("kube_"))
			.allSatisfy((name) -> assertThat(pushed).contains(name));
		assertThat(queried).filteredOn((name) -> name.startsWith("kube_"))
			.containsExactlyInAnyOrder("kube_cronjob_status_last_schedule_time", "kube_cronjob_status_last_successful_time");
	}

	@Test
	void metricNamesAreFoundInPromQl() {
		assertThat(metricNames("histogram_quantile(0.95, sum by (le, endpoint) (rate(x_bucket{company=~\"$company\","
				+ "outcome!=\"success\"}[$__rate_interval]))) / ignoring(outcome) y_total > 26 * 3600 or absent(z)"))
			.containsExactlyInAnyOrder("x_bucket", "y_total", "z");
		assertThat(metricNames("label_values(onboarding_run_last_success_timestamp_seconds, company)"))
			.containsExactly("onboarding_run_last_success_timestamp_seconds");
	}

	// The metric names of a PromQL expression (or a Grafana label_values query): its identifiers
	// that are neither functions, keywords, label names nor durations.
	static Set<String> metricNames(String query) {
		String bare = query.replaceAll("\"(\\\\.|[^\"])*\"", "\"\"")
			.replaceAll("\\{[^}]*\\}", "")
			.replaceAll("\\[[^\\]]*\\]", "")
			.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "")
			.replaceAll("label_values\\(([^,]+),[^)]*\\)", "$1")
			.replaceAll("\\$\\w+", "");
		Set<String> keywords = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring");
		Set<String> names = new TreeSet<>();
		Matcher identifier = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(bare);
		while (identifier.find()) {
			if (identifier.group(2) == null && !keywords.contains(identifier.group(1))) {
				names.add(identifier.group(1));
			}
		}
		return names;
	}

	private int run(String... args) {
		List<String> arguments = new ArrayList<>(Arrays.asList(args));
		arguments.addAll(List.of("--management.prometheus.metrics.export.pushgateway.enabled=true",
				"--management.prometheus.metrics.export.pushgateway.address=127.0.0.1:"
						+ this.pushgateway.getAddress().getPort(),
				"--management.prometheus.metrics.export.pushgateway.format=text", "--onboarding.retry.initial-delay=10ms"));
		return TestApplication.run(this.directory.resolve("reports"), arguments.toArray(String[]::new));
	}

	private String lastPush() {
		assertThat(this.pushes).isNotEmpty();
		return this.pushes.get(this.pushes.size() - 1);
	}

	private static double value(String push, String metric) {
		Matcher sample = Pattern.compile("(?m)^" + metric + " (\\S+)$").matcher(push);
		assertThat(sample.find()).as(metric).isTrue();
		return Double.parseDouble(sample.group(1));
	}

}
