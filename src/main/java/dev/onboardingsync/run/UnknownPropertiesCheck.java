package dev.onboardingsync.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.commons.text.similarity.LevenshteinDistance;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses to start when a property under the job's own prefixes ({@code customer-api.*},
 * {@code onboarding.*}, {@code intake.*}, {@code sandbox.*}) is not one the job knows: Spring Boot
 * would ignore a misspelt {@code --customer-api.max-concurency=4} and run with the default (issue 9).
 * The message names the nearest known property; exit code 3. The known properties are
 * {@link KnownSettings}'. Environment variables are matched as Spring Boot binds them (upper case,
 * underscores, dashes optional), except those Kubernetes adds for services in the namespace
 * ({@code SANDBOX_SERVICE_HOST}, {@code SANDBOX_PORT_8080_TCP}...), which belong to no setting.
 */
public class UnknownPropertiesCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	static final List<String> PREFIXES = List.of("customer-api", "onboarding", "intake", "sandbox");

	// Kubernetes' service links: <SERVICE>_SERVICE_HOST, <SERVICE>_SERVICE_PORT[_<name>], <SERVICE>_PORT[_<n>_<PROTO>[_...]].
	private static final Pattern SERVICE_LINK = Pattern
		.compile(".*_(SERVICE_HOST|SERVICE_PORT(_.*)?|PORT|PORT_\\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)");

	// Once the log goes to standard error (LogsToStandardError), so that the refusal does too.
	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		check(event.getEnvironment(), KnownSettings.of(event.getSpringApplication().getClassLoader()));
	}

	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 2;
	}

	/**
	 * @param known the known property names, in their canonical form ({@code a-b.c-d}); a name
	 * ending in {@code .*} accepts any key or index below it
	 * @throws BadConfigurationException naming every unknown property and its nearest known one
	 */
	static void check(ConfigurableEnvironment environment, Set<String> known) {
		List<String> problems = new ArrayList<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			boolean variables = source instanceof SystemEnvironmentPropertySource;
			for (String name : enumerable.getPropertyNames()) {
				String problem = variables ? checkVariable(name, known) : checkProperty(name, known);
				if (problem != null && !problems.contains(problem)) {
					problems.add(problem);
				}
			}
		}
		if (!problems.isEmpty()) {
			throw new BadConfigurationException(String.join(" ", problems) + " The settings are listed in the README,"
					+ " \"Configure it\".");
		}
	}

	private static String checkProperty(String name, Set<String> known) {
		String normal = normal(name);
		if (PREFIXES.stream().noneMatch((prefix) -> normal.startsWith(normal(prefix) + "."))) {
			return null;
		}
		for (String property : known) {
			String candidate = normal(property);
			if (candidate.contains(".*.")) {
				// A map of records: any key, then one of the record's settings.
				if (normal.matches(Pattern.quote(candidate.substring(0, candidate.indexOf(".*."))) + "(\\.[^.\\[]+|\\[[^]]+])\\."
						+ Pattern.quote(candidate.substring(candidate.indexOf(".*.") + 3)))) {
					return null;
				}
				continue;
			}
			if (candidate.endsWith(".*")) {
				String base = candidate.substring(0, candidate.length() - 2);
				if (normal.equals(base) || normal.startsWith(base + ".") || normal.startsWith(base + "[")) {
					return null;
				}
			}
			else if (normal.equals(candidate)) {
				return null;
			}
		}
		return "The property " + name + " is not a setting of this job: did you mean " + nearest(name, known) + "?";
	}

	private static String checkVariable(String name, Set<String> known) {
		String upper = name.toUpperCase(Locale.ROOT);
		if (PREFIXES.stream().noneMatch((prefix) -> upper.startsWith(variable(prefix) + "_")
				|| upper.startsWith(variable(prefix.replace("-", "")) + "_")) || SERVICE_LINK.matcher(name).matches()) {
			return null;
		}
		for (String property : known) {
			if (property.contains(".*.")) {
				// A map of records: SANDBOX_FAULTS_ENDPOINTS_CREATE_BUSY, the key being one word.
				// Underscores for a name's dashes and dots are optional, as Spring Boot binds them.
				String base = variable(property.substring(0, property.indexOf(".*."))).replace("_", "_?");
				String setting = variable(property.substring(property.indexOf(".*.") + 3)).replace("_", "_?");
				if (upper.matches(base + "_[A-Z0-9]+_" + setting)) {
					return null;
				}
				continue;
			}
			boolean open = property.endsWith(".*");
			String base = open ? property.substring(0, property.length() - 2) : property;
			// Spring Boot's two forms: CUSTOMER_API_MAX_CONCURRENCY, and CUSTOMERAPI_MAXCONCURRENCY.
			for (String form : List.of(variable(base), variable(base.replace("-", "")))) {
				if (upper.equals(form) || (open && upper.startsWith(form + "_"))) {
					return null;
				}
			}
		}
		return "The environment variable " + name + " is not a setting of this job: did you mean "
				+ variable(nearest(name, known)) + "?";
	}

	private static String nearest(String name, Set<String> known) {
		String squashed = squashed(name);
		LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
		// Among the settings of its own prefix (onboarding.foo is nearest an onboarding.* one).
		Set<String> candidates = new LinkedHashSet<>();
		for (String prefix : PREFIXES) {
			if (squashed.startsWith(squashed(prefix))) {
				known.stream().filter((property) -> property.startsWith(prefix + ".")).forEach(candidates::add);
			}
		}
		return (candidates.isEmpty() ? known : candidates).stream()
			.map((property) -> property.endsWith(".*") ? property.substring(0, property.length() - 2) : property)
			.map((property) -> withKeyOf(name, property))
			// The fewest edits; of those, the longest start in common (max-retry: max-retries, not max-delay).
			.min(Comparator.comparingInt((String property) -> distance.apply(squashed, squashed(property)))
				.thenComparing((property) -> -commonPrefix(squashed, squashed(property))))
			.orElse("(none)");
	}

	private static int commonPrefix(String a, String b) {
		int i = 0;
		while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
			i++;
		}
		return i;
	}

	// A map-of-records setting (sandbox.faults.endpoints.*.busy) with the key the name gave (create).
	private static String withKeyOf(String name, String property) {
		if (!property.contains(".*.")) {
			return property;
		}
		String base = property.substring(0, property.indexOf(".*."));
		String given = name.toLowerCase(Locale.ROOT).replace('_', '.');
		String key = given.startsWith(base + ".") ? given.substring(base.length() + 1).split("\\.")[0] : "<key>";
		return base + "." + key + "." + property.substring(property.indexOf(".*.") + 3);
	}

	// Relaxed binding: case, dashes and underscores within a part do not matter (maxConcurrency, max-concurrency).
	private static String normal(String name) {
		return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
	}

	private static String squashed(String name) {
		return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9*]", "").replace("*", "");
	}

	private static String variable(String property) {
		return property.toUpperCase(Locale.ROOT).replaceAll("[.\\-]", "_");
	}

}
