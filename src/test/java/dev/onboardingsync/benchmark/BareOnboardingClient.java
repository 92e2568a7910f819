package dev.onboardingsync.benchmark;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.sun.management.OperatingSystemMXBean;
import dev.onboardingsync.customerapi.CheckCustomerExistRequest;
import dev.onboardingsync.customerapi.CreateAccountRequest;
import dev.onboardingsync.customerapi.CustomerApiClient;
import dev.onboardingsync.customerapi.CustomerApiProperties;
import dev.onboardingsync.customerapi.TradeTypeCurrency;

/**
 * The baseline of the onboarding benchmark (issue 13): a bare client, in its own JVM, that makes
 * the onboard step's two calls per prospect (a check by phone, then a create) with the job's own
 * {@code CustomerApiClient} (the same HTTP client and JSON), {@code concurrency} prospects at
 * once, and no database. Prints one line: {@code prospects=<n> seconds=<work> cpu=<process CPU
 * seconds during the work>}, the JVM's start excluded from both.
 * <p>
 * Arguments: base URL, prospects, concurrency, phone prefix (3 digits after 1), code prefix.
 */
public final class BareOnboardingClient {

	private BareOnboardingClient() {
	}

	public static void main(String[] arguments) throws Exception {
		String baseUrl = arguments[0];
		int prospects = Integer.parseInt(arguments[1]);
		int concurrency = Integer.parseInt(arguments[2]);
		String phonePrefix = arguments[3];
		String codePrefix = arguments[4];
		OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		ExecutorService threads = Executors.newFixedThreadPool(concurrency);
		try (CustomerApiClient client = CustomerApiClient.create(new CustomerApiProperties(baseUrl, "1", "sandbox-token",
				"0.0.1", Duration.ofSeconds(2), Duration.ofSeconds(10), concurrency, 0,
				CustomerApiProperties.ErrorCodes.defaults()))) {
			long cpuStart = os.getProcessCpuTime();
			long start = System.nanoTime();
			List<Future<?>> onboarded = new ArrayList<>();
			for (int i = 0; i < prospects; i++) {
				String phone = OnboardingLimitBenchmark.phone(phonePrefix, i);
				String code = codePrefix + "-" + i;
				onboarded.add(threads.submit(() -> {
					if (!client.checkCustomerExist(CheckCustomerExistRequest.byPhone("+86", phone))) {
						client.createAccount(new CreateAccountRequest(phone, null, "+86", null,
								"dc483e80a7a0bd9ef71d8cf973673924", "CN", 1, 1L, null, null, null, null, null, null, null,
								code, List.of(new TradeTypeCurrency("USDT", "1"))));
					}
					return null;
				}));
			}
			for (Future<?> prospect : onboarded) {
				prospect.get();
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
			System.out.printf(java.util.Locale.ROOT, "prospects=%d seconds=%.3f cpu=%.3f%n", prospects, seconds, cpu);
		}
		finally {
			threads.shutdownNow();
		}
	}

}
