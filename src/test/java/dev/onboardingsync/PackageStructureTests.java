package dev.onboardingsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages' shape (issue 11): features by package, no cycles between them, shared plumbing
 * ({@code system}: the run, its log context and job parameters, masking, phones) that depends on
 * no feature, and the sandbox, the platform's stand-in, reached from no production package but the
 * command that starts it; and the ledger's tables written by the ledger alone.
 */
class PackageStructureTests {

	private static final JavaClasses PRODUCTION = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.onboardingsync");

	@Test
	void thePackagesDependOnEachOtherWithoutCycles() {
		slices().matching("dev.onboardingsync.(*)..").should().beFreeOfCycles().check(PRODUCTION);
	}

	@Test
	void noProductionPackageUsesTheSandbox() {
		noClasses().that()
			.resideOutsideOfPackage("dev.onboardingsync.sandbox..")
			.and()
			.doNotHaveFullyQualifiedName(OnboardingSyncApplication.class.getName())
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.onboardingsync.sandbox..")
			.check(PRODUCTION);
	}

	@Test
	void theSharedPlumbingDependsOnNoFeature() {
		noClasses().that()
			.resideInAPackage("dev.onboardingsync.system..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.onboardingsync.customerapi..", "dev.onboardingsync.intake..",
					"dev.onboardingsync.onboarding..", "dev.onboardingsync.reporting..", "dev.onboardingsync.run..",
					"dev.onboardingsync.sandbox..")
			.check(PRODUCTION);
	}

	@Test
	void theSandboxUsesOnlyTheApiContractOfTheJob() {
		// It stands for the platform: it may share the contract's records (customerapi), nothing of the job.
		noClasses().that()
			.resideInAPackage("dev.onboardingsync.sandbox..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.onboardingsync.intake..", "dev.onboardingsync.onboarding..",
					"dev.onboardingsync.reporting..", "dev.onboardingsync.run..")
			.check(PRODUCTION);
	}

	@Test
	void onlyTheLedgerWritesTheLedgersTables() throws IOException {
		// SQL is text to ArchUnit: the statements that change onboarding.* are found in the sources.
		Pattern write = Pattern.compile(
				"(?i)\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|MERGE\\s+INTO|TRUNCATE(\\s+TABLE)?|COPY)\\s+\"?onboarding\"?\\.");
		Set<String> writers = new TreeSet<>();
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).toList()) {
				if (write.matcher(Files.readString(source)).find()) {
					writers.add(source.toString().replace('\\', '/'));
				}
			}
		}
		String ledger = "src/main/java/dev/onboardingsync/onboarding/";
		assertThat(writers).containsExactlyInAnyOrder(ledger + "Ledger.java", ledger + "LedgerLinks.java",
				ledger + "LedgerStaging.java");
	}

}
