package dev.onboardingsync.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settings of the job's own prefixes ({@link UnknownPropertiesCheck#PREFIXES}), from the
 * configuration metadata the build generates from the settings records
 * ({@code META-INF/spring-configuration-metadata.json}), in their canonical form ({@code a-b.c-d}):
 * a map or list as {@code name.*} (any key or index), a map keyed by an enum with each constant
 * ({@code intake.columns.phone}), a map of records as {@code name.*.setting}
 * ({@code sandbox.faults.endpoints.*.busy}).
 */
final class KnownSettings {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private KnownSettings() {
	}

	/** The properties of the configuration metadata on the class path, maps and lists as {@code name.*}. */
	static Set<String> of(ClassLoader classLoader) {
		Set<String> known = new LinkedHashSet<>();
		try {
			Enumeration<URL> files = ((classLoader != null) ? classLoader : KnownSettings.class.getClassLoader())
				.getResources(METADATA);
			JsonMapper mapper = JsonMapper.builder().build();
			while (files.hasMoreElements()) {
				try (InputStream in = files.nextElement().openStream()) {
					for (JsonNode property : mapper.readTree(in).path("properties")) {
						String name = property.path("name").asString();
						String type = property.path("type").asString("");
						if (UnknownPropertiesCheck.PREFIXES.stream().anyMatch((prefix) -> name.startsWith(prefix + "."))) {
							Class<?> recordValue = recordValue(type, classLoader);
							if (recordValue != null) {
								for (var component : recordValue.getRecordComponents()) {
									known.add(name + ".*." + kebab(component.getName()));
								}
								continue;
							}
							Class<?> enumKey = enumKey(type, classLoader);
							if (enumKey != null) {
								for (Object constant : enumKey.getEnumConstants()) {
									known.add(name + "." + ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'));
								}
								continue;
							}
							boolean collection = type.startsWith("java.util.Map") || type.startsWith("java.util.List")
									|| type.startsWith("java.util.Set");
							known.add(collection ? name + ".*" : name);
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + METADATA, ex);
		}
		return known;
	}

	// The value type of a java.util.Map<String,V> metadata type when it is a record of settings, else null.
	private static Class<?> recordValue(String type, ClassLoader classLoader) {
		if (!type.startsWith("java.util.Map<java.lang.String,") || !type.endsWith(">")) {
			return null;
		}
		try {
			Class<?> value = Class.forName(type.substring("java.util.Map<java.lang.String,".length(), type.length() - 1),
					false, classLoader);
			return value.isRecord() ? value : null;
		}
		catch (ClassNotFoundException ex) {
			return null;
		}
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	// The key type of a java.util.Map<K,V> metadata type when it is an enum, else null.
	private static Class<?> enumKey(String type, ClassLoader classLoader) {
		if (!type.startsWith("java.util.Map<") || type.indexOf(',') < 0) {
			return null;
		}
		try {
			Class<?> key = Class.forName(type.substring("java.util.Map<".length(), type.indexOf(',')), false, classLoader);
			return key.isEnum() ? key : null;
		}
		catch (ClassNotFoundException ex) {
			return null;
		}
	}

}
