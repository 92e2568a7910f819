package dev.onboardingsync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's configuration reference against the settings the code binds (the metadata that
 * Spring Boot's configuration processor writes from the {@code @ConfigurationProperties} records):
 * every setting is documented, and every documented setting exists.
 */
class ConfigurationReferenceTests {

	private static final Set<String> PREFIXES = Set.of("customer-api.", "intake.", "onboarding.", "sandbox.");

	// The first cell of a README table row: `name`, `--name`, or `name.<placeholder>` for a map.
	private static final Pattern TABLE_ROW = Pattern.compile("^\\| `(?:--)?([a-z][a-z0-9.-]*[a-z0-9])(?:\\.<[^`]*>)*` \\|");

	@Test
	void readmeDocumentsEverySettingAndNoOther() throws IOException {
		// given
		Set<String> bound = boundSettings();
		Set<String> documented = documentedSettings();

		// then
		assertThat(bound).as("settings the code binds").hasSizeGreaterThan(40);
		assertThat(documented).as("settings missing from the README").containsAll(bound);
		assertThat(bound).as("settings the README names that the code does not bind").containsAll(documented);
	}

	private static Set<String> boundSettings() throws IOException {
		Set<String> names = new TreeSet<>();
		try (InputStream metadata = ConfigurationReferenceTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			JsonNode properties = JsonMapper.builder().build().readTree(metadata).get("properties");
			for (JsonNode property : properties) {
				String name = property.get("name").asString();
				if (PREFIXES.stream().anyMatch(name::startsWith)) {
					names.add(name);
				}
			}
		}
		return names;
	}

	private static Set<String> documentedSettings() throws IOException {
		Set<String> names = new TreeSet<>();
		for (String line : Files.readAllLines(Path.of("README.md"))) {
			Matcher row = TABLE_ROW.matcher(line);
			if (row.find() && PREFIXES.stream().anyMatch(row.group(1)::startsWith)) {
				names.add(row.group(1));
			}
		}
		return names;
	}

}
