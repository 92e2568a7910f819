package dev.onboardingsync.run;

import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The kustomizations of {@code k8s/} as {@code kubectl kustomize} renders them, read with
 * Kubernetes' own model (fabric8, and its Prometheus Operator model for the PrometheusRule): every
 * field must be one the schema knows (a misspelt field would land in a model's additional
 * properties), and the settings the README promises are pinned here. The alerts are run through
 * {@code promtool test rules}. kubectl and promtool are on the build machines ({@code .ci/run}
 * installs promtool); where one is missing these tests fail in CI ({@code CI} set) and are skipped
 * elsewhere, saying so (issue 10).
 */
class KubernetesManifestsTests {

	private static final Path K8S = Path.of("k8s");

	private static final List<String> KUSTOMIZATIONS = List.of("base", "overlays/staging", "migration", "monitoring");

	private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("ServiceAccount",
			ServiceAccount.class, "ConfigMap", ConfigMap.class, "CronJob", CronJob.class, "Job", Job.class,
			"PersistentVolumeClaim", PersistentVolumeClaim.class, "Pod", Pod.class, "PrometheusRule",
			PrometheusRule.class);

	private static final String SECRET = "onboarding-sync-secrets";

	private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

	@Test
	void everyKustomizationRendersResourcesThatMatchTheKubernetesSchema() throws IOException {
		for (String kustomization : KUSTOMIZATIONS) {
			List<HasMetadata> resources = render(kustomization);
			assertThat(resources).as(kustomization).isNotEmpty();
			for (HasMetadata resource : resources) {
				assertThat(unknownFields(resource, kustomization + ": " + resource.getKind()))
					.as("fields unknown to the schema")
					.isEmpty();
				assertThat(resource.getMetadata().getLabels()).as("labels of %s in %s", resource.getKind(), kustomization)
					.containsEntry("app.kubernetes.io/name", "onboarding-sync");
			}
		}
		Pod copy = this.yaml.readValue(K8S.resolve("migration/copy-pod.yaml").toFile(), Pod.class);
		assertThat(unknownFields(copy, "migration/copy-pod.yaml")).isEmpty();
	}

	@Test
	void theBaseIsTheNightlyCronJobWithItsSettingsAndNoSecret() throws IOException {
		List<HasMetadata> base = render("base");
		assertThat(base).extracting(HasMetadata::getKind)
			.containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "CronJob");
		CronJob cronJob = only(base, CronJob.class);
		assertThat(cronJob.getSpec().getTimeZone()).isNotBlank();
		assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
		assertThat(cronJob.getSpec().getStartingDeadlineSeconds()).isGreaterThanOrEqualTo(60);
		assertThat(cronJob.getSpec().getSuccessfulJobsHistoryLimit()).isPositive();
		assertThat(cronJob.getSpec().getFailedJobsHistoryLimit()).isPositive();
		// kubectl get cronjob,jobs,pods -l app.kubernetes.io/name=onboarding-sync lists the Jobs too
		assertThat(cronJob.getSpec().getJobTemplate().getMetadata().getLabels())
			.containsEntry("app.kubernetes.io/name", "onboarding-sync");
		JobSpec job = cronJob.getSpec().getJobTemplate().getSpec();
		assertThat(job.getTemplate().getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "onboarding-sync");
		assertRetriesOnlyWhatRetryingCanFix(job);
		assertThat(container(job).getEnv()).anySatisfy((env) -> assertThat(env.getName()).isEqualTo("RUN_KEY"));
		assertThat(container(job).getArgs()).containsExactly("input=table", "runKey=$(RUN_KEY)");
		assertThat(container(job).getImage()).isEqualTo("registry.example.com/onboarding-sync:0.1.0");
		assertThat(only(base, ServiceAccount.class).getAutomountServiceAccountToken()).isFalse();
	}

	@Test
	void theStagingOverlayChangesOnlyWhatItNames() throws IOException {
		List<HasMetadata> staging = render("overlays/staging");
		assertThat(staging).allSatisfy((resource) -> assertThat(resource.getMetadata().getNamespace())
			.isEqualTo("onboarding-staging"));
		CronJob cronJob = only(staging, CronJob.class);
		assertThat(cronJob.getSpec().getSchedule()).isEqualTo("0 */6 * * *");
		assertThat(cronJob.getSpec().getTimeZone()).isEqualTo("Etc/UTC");
		assertThat(container(cronJob.getSpec().getJobTemplate().getSpec()).getImage()).endsWith(":0.1.0-rc");
		Map<String, String> settings = only(staging, ConfigMap.class).getData();
		assertThat(settings).containsEntry("CUSTOMER_API_BASE_URL", "https://pre-api.platform.example")
			.containsEntry("CUSTOMER_API_MAX_REQUESTS_PER_SECOND", "10")
			// merged with the base's, not replacing them
			.containsKeys("SPRING_CONFIG_IMPORT", "MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ADDRESS",
					"INTAKE_TABLE_NAME");
		assertThat(cronJob.getSpec().getJobTemplate().getSpec()).usingRecursiveComparison()
			.ignoringFields("template.spec.containers.image")
			.isEqualTo(only(render("base"), CronJob.class).getSpec().getJobTemplate().getSpec());
	}

	@Test
	void theMigrationJobReadsItsFileFromTheVolumeTheCopyPodFills() throws IOException {
		List<HasMetadata> migration = render("migration");
		assertThat(migration).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("PersistentVolumeClaim", "Job");
		Job job = only(migration, Job.class);
		assertRetriesOnlyWhatRetryingCanFix(job.getSpec());
		String claim = only(migration, PersistentVolumeClaim.class).getMetadata().getName();
		Pod copy = this.yaml.readValue(K8S.resolve("migration/copy-pod.yaml").toFile(), Pod.class);
		for (PodSpec pod : List.of(job.getSpec().getTemplate().getSpec(), copy.getSpec())) {
			assertThat(pod.getVolumes()).filteredOn((volume) -> volume.getPersistentVolumeClaim() != null)
				.singleElement()
				.satisfies((volume) -> assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo(claim));
		}
		// its metrics in a group of their own (k8s/monitoring: a migration may run 24 hours)
		assertThat(container(job.getSpec()).getArgs()).contains("input=/data/prospects.csv",
				"--management.prometheus.metrics.export.pushgateway.grouping-key.component=migration");
		assertThat(copy.getSpec().getContainers().get(0).getVolumeMounts())
			.anySatisfy((mount) -> assertThat(mount.getMountPath()).isEqualTo("/data"));
		// the copy writes the file as the user the job reads it as
		assertThat(copy.getSpec().getSecurityContext().getRunAsUser())
			.isEqualTo(job.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser());
	}

	@Test
	void everyPodMeetsTheRestrictedPodSecurityLevel() throws IOException {
		// https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
		List<PodSpec> pods = new ArrayList<>();
		pods.add(only(render("base"), CronJob.class).getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
		pods.add(only(render("migration"), Job.class).getSpec().getTemplate().getSpec());
		pods.add(this.yaml.readValue(K8S.resolve("migration/copy-pod.yaml").toFile(), Pod.class).getSpec());
		for (PodSpec pod : pods) {
			assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
			assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
			assertThat(pod.getVolumes()).allSatisfy((volume) -> assertThat(volume.getHostPath()).isNull());
			assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
			assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
			assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
			assertThat(pod.getAutomountServiceAccountToken()).isFalse();
			for (Container container : pod.getContainers()) {
				assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
				assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
				assertThat(container.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
				assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
				assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
			}
		}
	}

	@Test
	void secretsAreFilesOfASecretMadeOutOfBandWhereTheJobReadsThem() throws IOException {
		ConfigMap config = only(render("base"), ConfigMap.class);
		assertThat(config.getData().keySet()).noneMatch((key) -> key.contains("TOKEN") || key.contains("PASSWORD"));
		String directory = config.getData().get("SPRING_CONFIG_IMPORT").replaceFirst("^configtree:", "");
		for (JobSpec job : List.of(only(render("base"), CronJob.class).getSpec().getJobTemplate().getSpec(),
				only(render("migration"), Job.class).getSpec())) {
			PodSpec pod = job.getTemplate().getSpec();
			String volume = pod.getVolumes()
				.stream()
				.filter((each) -> each.getSecret() != null && SECRET.equals(each.getSecret().getSecretName()))
				.findFirst()
				.orElseThrow()
				.getName();
			assertThat(container(job).getVolumeMounts()).anySatisfy((mount) -> {
				assertThat(mount.getName()).isEqualTo(volume);
				assertThat(directory).isEqualTo(mount.getMountPath() + "/");
				assertThat(mount.getReadOnly()).isTrue();
			});
			assertThat(container(job).getEnv()).allSatisfy((env) -> assertThat(env.getValueFrom() == null
					|| env.getValueFrom().getSecretKeyRef() == null).isTrue());
		}
		for (String kustomization : KUSTOMIZATIONS) {
			assertThat(render(kustomization)).as(kustomization).noneMatch((resource) -> resource.getKind().equals("Secret"));
		}
	}

	@Test
	void thePushgatewayIsSetInTheConfigMap() throws IOException {
		assertThat(only(render("base"), ConfigMap.class).getData())
			.containsEntry("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ENABLED", "true")
			.containsKey("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ADDRESS");
		for (String path : List.of("base/cronjob.yaml", "migration/job.yaml")) {
			assertThat(Files.readString(K8S.resolve(path))).as(path).doesNotContain("PUSHGATEWAY");
		}
	}

	@Test
	void everyVariableOfTheConfigMapsIsASetting() throws IOException {
		// given: every setting the class path's configuration metadata knows (the job's, Spring Boot's),
		// as Spring's relaxed binding compares them to variables
		Set<String> settings = new HashSet<>();
		Enumeration<URL> files = getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
		while (files.hasMoreElements()) {
			try (InputStream metadata = files.nextElement().openStream()) {
				new ObjectMapper().readTree(metadata)
					.path("properties")
					.forEach((property) -> settings.add(relaxed(property.get("name").asText())));
			}
		}

		// then
		for (String kustomization : List.of("base", "overlays/staging")) {
			for (String variable : only(render(kustomization), ConfigMap.class).getData().keySet()) {
				assertThat(settings).as("%s in %s", variable, kustomization).contains(relaxed(variable));
			}
		}
	}

	private static String relaxed(String name) {
		return name.replace("-", "").replace(".", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

	@Test
	void imageRunsAsTheUserTheManifestsRequire() throws IOException {
		// given: the image's user, as Jib is told it in pom.xml
		String pom = Files.readString(Path.of("pom.xml"));
		String user = pom.substring(pom.indexOf("<user>") + "<user>".length(), pom.indexOf("</user>"));

		// then
		PodSpec pod = only(render("base"), CronJob.class).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
		assertThat(user).isEqualTo(pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup());
		assertThat(pom).contains("<jvmFlag>-XX:MaxRAMPercentage=75</jvmFlag>");
	}

	@Test
	void theReadmesKubectlCommandsNameWhatExists() throws IOException {
		String readme = Files.readString(Path.of("README.md"));
		Matcher command = Pattern.compile("kubectl apply (-k|-f) ([\\w./-]+)").matcher(readme);
		int commands = 0;
		while (command.find()) {
			Path path = Path.of(command.group(2));
			assertThat(path).as(command.group()).exists();
			if (command.group(1).equals("-k")) {
				assertThat(KUSTOMIZATIONS).as(command.group()).contains(K8S.relativize(path).toString());
			}
			commands++;
		}
		assertThat(commands).isGreaterThanOrEqualTo(5);
		assertThat(readme).contains("Kubernetes 1.27");
	}

	@Test
	void everyAlertSaysWhatToDoAndTheReadmeListsIt() throws IOException {
		String readme = Files.readString(Path.of("README.md"));
		List<Rule> alerts = alerts();
		assertThat(alerts).hasSizeGreaterThanOrEqualTo(5);
		for (Rule alert : alerts) {
			assertThat(alert.getAnnotations()).as(alert.getAlert()).containsKeys("summary", "description", "runbook_url");
			assertThat(alert.getAnnotations().get("runbook_url")).startsWith("README.md#troubleshooting");
			assertThat(alert.getLabels()).containsKey("severity");
			assertThat(readme).as("README lists %s", alert.getAlert()).contains("`" + alert.getAlert() + "`");
		}
		assertThat(readme).contains("### Troubleshooting");
	}

	@Test
	void theAlertsPassTheirPromtoolTests(@TempDir Path directory) throws Exception {
		// given: the PrometheusRule's groups as a Prometheus rules file, beside a copy of the tests
		requireTool("promtool", "apt-get install prometheus");
		JsonNode rule = this.yaml.readTree(K8S.resolve("monitoring/prometheusrule.yaml").toFile());
		this.yaml.writeValue(directory.resolve("rules.yaml").toFile(), rule.get("spec"));
		Files.copy(K8S.resolve("monitoring/alerts.test.yaml"), directory.resolve("alerts.test.yaml"));

		// when
		Ran check = run(directory, "promtool", "check", "rules", "rules.yaml");
		Ran test = run(directory, "promtool", "test", "rules", "alerts.test.yaml");

		// then
		assertThat(check.exitCode()).as(check.output()).isZero();
		assertThat(test.exitCode()).as(test.output()).isZero();
		assertThat(test.output()).contains("SUCCESS");
	}

	/** The alerts of {@code k8s/monitoring}, as the Prometheus Operator's model reads them. */
	static List<Rule> alerts() throws IOException {
		PrometheusRule rule = new ObjectMapper(new YAMLFactory())
			.readValue(K8S.resolve("monitoring/prometheusrule.yaml").toFile(), PrometheusRule.class);
		return rule.getSpec().getGroups().stream().flatMap((group) -> group.getRules().stream()).toList();
	}

	// Exit codes 2 and 3 cannot be fixed by retrying: the Job fails at once; 1 is retried and resumes.
	private void assertRetriesOnlyWhatRetryingCanFix(JobSpec job) {
		assertThat(job.getBackoffLimit()).isPositive();
		assertThat(job.getActiveDeadlineSeconds()).isPositive();
		assertThat(job.getTtlSecondsAfterFinished()).isPositive();
		List<PodFailurePolicyRule> rules = job.getPodFailurePolicy().getRules();
		assertThat(rules).anySatisfy((rule) -> {
			assertThat(rule.getAction()).isEqualTo("FailJob");
			assertThat(rule.getOnExitCodes().getOperator()).isEqualTo("In");
			assertThat(rule.getOnExitCodes().getValues()).containsExactlyInAnyOrder(ExitCodes.BAD_INPUT.code(),
					ExitCodes.BAD_CONFIGURATION.code());
		});
		assertThat(rules).filteredOn((rule) -> rule.getOnExitCodes() != null)
			.noneSatisfy((rule) -> assertThat(rule.getOnExitCodes().getValues())
				.contains(ExitCodes.FAILED_RESTARTABLE.code()));
		PodSpec pod = job.getTemplate().getSpec();
		assertThat(pod.getRestartPolicy()).isEqualTo("Never");
		assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(60);
		assertThat(pod.getServiceAccountName()).isEqualTo("onboarding-sync");
		Container container = container(job);
		assertThat(container.getVolumeMounts()).anySatisfy((mount) -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
		assertThat(pod.getVolumes()).anySatisfy((volume) -> assertThat(volume.getEmptyDir()).isNotNull());
		for (String resource : List.of("cpu", "memory")) {
			Quantity request = container.getResources().getRequests().get(resource);
			Quantity limit = container.getResources().getLimits().get(resource);
			assertThat(Quantity.getAmountInBytes(limit)).as(resource).isGreaterThanOrEqualTo(Quantity.getAmountInBytes(request));
		}
	}

	/** What {@code kubectl kustomize k8s/<kustomization>} renders, each resource in its model. */
	private List<HasMetadata> render(String kustomization) throws IOException {
		requireTool("kubectl", "https://kubernetes.io/docs/tasks/tools/");
		Ran kubectl;
		try {
			kubectl = run(Path.of("."), "kubectl", "kustomize", K8S.resolve(kustomization).toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		assertThat(kubectl.exitCode()).as("kubectl kustomize k8s/%s: %s", kustomization, kubectl.output()).isZero();
		List<HasMetadata> resources = new ArrayList<>();
		try (MappingIterator<Map<?, ?>> documents = this.yaml.readerFor(Map.class).readValues(kubectl.output())) {
			while (documents.hasNextValue()) {
				Map<?, ?> document = documents.nextValue();
				Class<? extends HasMetadata> type = KINDS.get(document.get("kind"));
				assertThat(type).as("a model for %s", document.get("kind")).isNotNull();
				resources.add(this.yaml.convertValue(document, type));
			}
		}
		return resources;
	}

	private static <T extends HasMetadata> T only(List<HasMetadata> resources, Class<T> type) {
		List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
		assertThat(found).as(type.getSimpleName()).hasSize(1);
		return found.get(0);
	}

	// A tool the build machines have: missing, these tests fail in CI and are skipped elsewhere.
	private static void requireTool(String tool, String install) {
		boolean found = System.getenv("PATH") != null && Arrays.stream(System.getenv("PATH").split(":"))
			.anyMatch((directory) -> Files.isExecutable(Path.of(directory, tool)));
		if (found) {
			return;
		}
		String message = tool + " is not on the PATH: install it (" + install + ") to render and test k8s/";
		if (System.getenv("CI") != null) {
			fail(message);
		}
		Assumptions.abort(message);
	}

	private static Ran run(Path directory, String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
		return new Ran(process.exitValue(), output);
	}

	private record Ran(int exitCode, String output) {
	}

	private static Container container(JobSpec job) {
		return job.getTemplate()
			.getSpec()
			.getContainers()
			.stream()
			.filter((container) -> container.getName().equals("onboarding-sync"))
			.findFirst()
			.orElseThrow();
	}

	// The model keeps a field it does not know in additionalProperties instead of failing.
	private static List<String> unknownFields(Object node, String path) {
		List<String> unknown = new ArrayList<>();
		if (node == null) {
			return unknown;
		}
		if (node instanceof Collection<?> items) {
			int i = 0;
			for (Object item : items) {
				unknown.addAll(unknownFields(item, path + "[" + i++ + "]"));
			}
			return unknown;
		}
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> unknown.addAll(unknownFields(value, path + "." + key)));
			return unknown;
		}
		if (!node.getClass().getName().startsWith("io.fabric8.")) {
			return unknown;
		}
		try {
			for (PropertyDescriptor property : Introspector.getBeanInfo(node.getClass(), Object.class)
				.getPropertyDescriptors()) {
				Method getter = property.getReadMethod();
				if (getter == null) {
					continue;
				}
				Object value = getter.invoke(node);
				if (property.getName().equals("additionalProperties")) {
					((Map<?, ?>) value).keySet().forEach((key) -> unknown.add(path + "." + key));
				}
				else {
					unknown.addAll(unknownFields(value, path + "." + property.getName()));
				}
			}
		}
		catch (ReflectiveOperationException | IntrospectionException ex) {
			throw new IllegalStateException(ex);
		}
		return unknown;
	}

}
