package dev.onboardingsync.sandbox;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import dev.onboardingsync.customerapi.ApiJson;
import dev.onboardingsync.customerapi.CreateAccountRequest;
import dev.onboardingsync.customerapi.CustomerGroup;
import dev.onboardingsync.customerapi.TradeTypeCurrency;
import dev.onboardingsync.system.PhoneNumbers;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Fills a store with a few customer groups and N existing customers, the same ones for the same
 * random seed: mainland China mobiles (area +86), most with an email, created a minute apart
 * before now, without a {@code thirdServerCode} (they came through other channels).
 */
final class SandboxSeeder {

	private static final Logger logger = LoggerFactory.getLogger(SandboxSeeder.class);

	private static final List<CustomerGroup> STANDARD_GROUPS = List.of(
			new CustomerGroup(1L, "Default", 1, 1, 1, "USDT"), new CustomerGroup(2L, "VIP", 1, 2, 1, "USDT"),
			new CustomerGroup(3L, "Institutional", 2, 3, 5, "USD"));

	private static final String[] MOBILE_PREFIXES = { "130", "131", "132", "133", "135", "136", "137", "138", "139",
			"150", "151", "152", "155", "156", "157", "158", "159", "186", "187", "188", "189" };

	private static final String[] COUNTRIES = { "CN", "CN", "CN", "HK", "SG", "US", "GB" };

	private SandboxSeeder() {
	}

	static void seed(CustomerStore store, int groups, int customers, long randomSeed, long now) {
		for (int i = 0; i < groups; i++) {
			store.putGroup((i < STANDARD_GROUPS.size()) ? STANDARD_GROUPS.get(i)
					: new CustomerGroup((long) i + 1, "Group " + (i + 1), 1, 1, 1, "USDT"));
		}
		Random random = new Random(randomSeed);
		long createTime = now - Duration.ofMinutes(customers).toMillis();
		int created = 0;
		while (created < customers) {
			String phone = mobile(random);
			String email = (random.nextInt(10) < 8) ? "customer" + (created + 1) + "@example.com" : null;
			long groupId = 1 + random.nextInt(Math.max(1, groups));
			CreateAccountRequest request = new CreateAccountRequest(phone, email, PhoneNumbers.DEFAULT_AREA,
					PhoneNumbers.DEFAULT_AREA, null, COUNTRIES[random.nextInt(COUNTRIES.length)],
					1 + random.nextInt(9), groupId, null, null, null, null, null, null, null, null,
					List.of(new TradeTypeCurrency("USDT", "1")));
			if (store.create(request, PhoneNumbers.DEFAULT_AREA, PhoneNumbers.key(PhoneNumbers.DEFAULT_AREA, phone),
					PhoneNumbers.DEFAULT_AREA, createTime).customer() != null) {
				created++;
				createTime += Duration.ofMinutes(1).toMillis();
			}
		}
	}

	/** Adds the customers of a seed file; a row the platform's rules refuse stops the start with its line. */
	static void seedFile(CustomerStore store, Path file, long createTime) {
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
				CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
			long time = createTime;
			for (CSVRecord row : parser) {
				String area = blankToNull(row.get("phone_area"));
				CreateAccountRequest request = new CreateAccountRequest(row.get("phone"), blankToNull(row.get("email")),
						(area != null) ? area : PhoneNumbers.DEFAULT_AREA, PhoneNumbers.DEFAULT_AREA, null,
						row.get("country"), Integer.valueOf(row.get("register_source")),
						Long.valueOf(row.get("customer_group_id")), null, null, null, null, null, null, null,
						blankToNull(row.get("third_server_code")), List.of(new TradeTypeCurrency("USDT", "1")));
				String phoneKey = PhoneNumbers.key(request.phoneArea(), request.phone());
				if (phoneKey == null || store.create(request, request.phoneArea(), phoneKey, PhoneNumbers.DEFAULT_AREA,
						time++).customer() == null) {
					throw new IllegalArgumentException(file + " line " + parser.getCurrentLineNumber()
							+ ": not a valid, unique customer (sandbox.seed.file)");
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the sandbox seed file " + file, ex);
		}
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	/** A valid mainland China mobile number, national format (11 digits). */
	static String mobile(Random random) {
		while (true) {
			StringBuilder phone = new StringBuilder(MOBILE_PREFIXES[random.nextInt(MOBILE_PREFIXES.length)]);
			for (int i = 0; i < 8; i++) {
				phone.append(random.nextInt(10));
			}
			if (PhoneNumbers.isValidForRegion(phone.toString(), "CN")) {
				return phone.toString();
			}
		}
	}

	/**
	 * Seeds the store as the settings say: from the data file a sandbox left, when there is one, else
	 * groups, generated customers and those of {@code sandbox.seed.file}.
	 */
	static void seed(CustomerStore store, SandboxSettings.Seed seed, long now) {
		if (seed.dataFile() != null && Files.exists(seed.dataFile())) {
			SandboxSeeder.seed(store, seed.groups(), 0, seed.randomSeed(), now);
			store.load(readCustomers(seed.dataFile()));
			return;
		}
		SandboxSeeder.seed(store, seed.groups(), seed.customers(), seed.randomSeed(), now);
		if (seed.file() != null) {
			SandboxSeeder.seedFile(store, seed.file(), now);
		}
	}

	private static List<SandboxCustomer> readCustomers(Path file) {
		try {
			return List.of(ApiJson.mapper().readValue(file.toFile(), SandboxCustomer[].class));
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("The sandbox data file " + file + " cannot be read: delete it to start afresh", ex);
		}
	}

	/** Keeps the store's customers in the data file, for the next sandbox ({@code sandbox.seed.data-file}). */
	static void save(CustomerStore store, Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			ApiJson.mapper().writeValue(file.toFile(), store.all());
		}
		catch (IOException | JacksonException ex) {
			logger.warn("Could not keep the sandbox's customers in {}: {}", file, ex.getMessage());
		}
	}

}
