package dev.onboardingsync.run;

import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests of {@code k8s/}, read with Kubernetes' own model (fabric8): every field must be one
 * the schema knows (a misspelt field would land in a model's additional properties), and the
 * settings the README promises are pinned here.
 */
class KubernetesManifestsTests {

	private static final Path K8S = Path.of("k8s");

	private static final Map<String, Class<?>> KINDS = Map.of("ServiceAccount", ServiceAccount.class, "ConfigMap",
			ConfigMap.class, "Secret", Secret.class, "CronJob", CronJob.class, "Job", Job.class,
			"PersistentVolumeClaim", PersistentVolumeClaim.class);

	private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

	@Test
	void everyManifestMatchesTheKubernetesSchema() throws IOException {
		List<Path> manifests = manifests();
		assertThat(manifests).hasSizeGreaterThanOrEqualTo(8);
		for (Path manifest : manifests) {
			Map<?, ?> raw = this.yaml.readValue(manifest.toFile(), Map.class);
			Class<?> type = KINDS.get(raw.get("kind"));
			if (manifest.getParent().startsWith(K8S.resolve("overlays"))) {
				assertThat(type).as("patch %s", manifest).isNotNull();
				continue;
			}
			assertThat(type).as("kind of %s", manifest).isNotNull();
			Object resource = this.yaml.readValue(manifest.toFile(), type);
			assertThat(unknownFields(resource, manifest.toString())).as("fields unknown to the schema").isEmpty();
		}
	}

	@Test
	void cronJobRunsOneAtATimeOnItsOwnClockAndCleansUp() throws IOException {
		CronJob cronJob = read("cronjob.yaml", CronJob.class);
		assertThat(cronJob.getSpec().getTimeZone()).isNotBlank();
		assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
		assertThat(cronJob.getSpec().getStartingDeadlineSeconds()).isGreaterThanOrEqualTo(60);
		assertThat(cronJob.getSpec().getSuccessfulJobsHistoryLimit()).isPositive();
		assertThat(cronJob.getSpec().getFailedJobsHistoryLimit()).isPositive();
		assertRetriesOnlyWhatRetryingCanFix(cronJob.getSpec().getJobTemplate().getSpec());
		assertThat(container(cronJob.getSpec().getJobTemplate().getSpec()).getEnv())
			.anySatisfy((env) -> assertThat(env.getName()).isEqualTo("RUN_KEY"));
	}

	@Test
	void migrationJobReadsItsFileFromAVolume() throws IOException {
		Job job = read("migration/job.yaml", Job.class);
		assertRetriesOnlyWhatRetryingCanFix(job.getSpec());
		PodSpec pod = job.getSpec().getTemplate().getSpec();
		String claim = read("migration/input-volume.yaml", PersistentVolumeClaim.class).getMetadata().getName();
		assertThat(pod.getVolumes()).filteredOn((volume) -> volume.getPersistentVolumeClaim() != null)
			.singleElement()
			.satisfies((volume) -> assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo(claim));
		assertThat(container(job.getSpec()).getArgs()).contains("input=/data/prospects.csv");
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
		assertThat(pod.getAutomountServiceAccountToken()).isFalse();
		assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
		Container container = container(job);
		assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
		assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
		assertThat(container.getVolumeMounts()).anySatisfy((mount) -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
		assertThat(pod.getVolumes()).anySatisfy((volume) -> assertThat(volume.getEmptyDir()).isNotNull());
		for (String resource : List.of("cpu", "memory")) {
			Quantity request = container.getResources().getRequests().get(resource);
			Quantity limit = container.getResources().getLimits().get(resource);
			assertThat(Quantity.getAmountInBytes(limit)).as(resource).isGreaterThanOrEqualTo(Quantity.getAmountInBytes(request));
		}
		assertThat(container.getEnv()).filteredOn((env) -> env.getValueFrom() != null
				&& env.getValueFrom().getSecretKeyRef() != null)
			.extracting(EnvVar::getName)
			.contains("CUSTOMER_API_TOKEN", "SPRING_DATASOURCE_PASSWORD");
	}

	@Test
	void secretsAreATemplateAndStayOutOfTheConfigMap() throws IOException {
		Secret secret = read("secret.yaml", Secret.class);
		assertThat(secret.getStringData()).containsKeys("CUSTOMER_API_TOKEN", "SPRING_DATASOURCE_PASSWORD")
			.allSatisfy((key, value) -> assertThat(value).isEmpty());
		assertThat(read("configmap.yaml", ConfigMap.class).getData().keySet())
			.noneMatch((key) -> key.contains("TOKEN") || key.contains("PASSWORD"));
		assertThat(read("serviceaccount.yaml", ServiceAccount.class).getAutomountServiceAccountToken()).isFalse();
	}

	@Test
	void kustomizationsNameFilesThatExistAndTheImageTheContainersUse() throws IOException {
		for (Path directory : List.of(K8S, K8S.resolve("migration"), K8S.resolve("overlays/staging"))) {
			Map<?, ?> kustomization = this.yaml.readValue(directory.resolve("kustomization.yaml").toFile(), Map.class);
			for (Object resource : list(kustomization.get("resources"))) {
				assertThat(directory.resolve((String) resource).normalize()).as("%s in %s", resource, directory).exists();
			}
			for (Object patch : list(kustomization.get("patches"))) {
				assertThat(directory.resolve((String) ((Map<?, ?>) patch).get("path"))).exists();
			}
			for (Object image : list(kustomization.get("images"))) {
				assertThat(container(read("cronjob.yaml", CronJob.class).getSpec().getJobTemplate().getSpec()).getImage())
					.startsWith(((Map<?, ?>) image).get("name") + ":");
			}
		}
	}

	@Test
	void everyVariableOfTheConfigMapsIsASettingOfTheJob() throws IOException {
		// given: the settings the code binds, as Spring's relaxed binding compares them to variables
		Set<String> settings = new HashSet<>();
		try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			new ObjectMapper().readTree(metadata)
				.get("properties")
				.forEach((property) -> settings.add(relaxed(property.get("name").asText())));
		}

		// then
		for (String path : List.of("configmap.yaml", "overlays/staging/configmap.yaml")) {
			for (String variable : read(path, ConfigMap.class).getData().keySet()) {
				if (variable.startsWith("SPRING_") || variable.startsWith("LOGGING_")) {
					continue;
				}
				assertThat(settings).as("%s in %s", variable, path).contains(relaxed(variable));
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
		PodSpec pod = read("cronjob.yaml", CronJob.class).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
		assertThat(user).isEqualTo(pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup());
		assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
		assertThat(pom).contains("<jvmFlag>-XX:MaxRAMPercentage=75</jvmFlag>");
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

	private <T> T read(String path, Class<T> type) throws IOException {
		return this.yaml.readValue(K8S.resolve(path).toFile(), type);
	}

	private static List<?> list(Object value) {
		return (value != null) ? (List<?>) value : List.of();
	}

	private static List<Path> manifests() throws IOException {
		try (Stream<Path> files = Files.walk(K8S)) {
			return files.filter((file) -> file.toString().endsWith(".yaml"))
				.filter((file) -> !file.getFileName().toString().equals("kustomization.yaml"))
				.sorted()
				.toList();
		}
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
		if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
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
