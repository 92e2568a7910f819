package dev.onboardingsync;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import dev.onboardingsync.run.ExitCodes;
import dev.onboardingsync.run.JobDatabaseUrlCheck;
import dev.onboardingsync.run.ShutdownExitCode;
import dev.onboardingsync.sandbox.SandboxCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Onboards prospects onto the platform's Customer API and syncs its customers into PostgreSQL.
 * {@code java -jar onboarding-sync.jar sandbox [--sandbox.*=...]} starts the platform's stand-in
 * instead; {@code help} (or no argument) prints the usage.
 */
@SpringBootApplication
public class OnboardingSyncApplication {

	/** What {@code help}, {@code --help} and no argument at all print (issue 9). */
	static final String USAGE = """
			onboarding-sync: onboards prospects onto the platform's Customer API and copies its customers into PostgreSQL.

			Run a job:
			  java -jar onboarding-sync.jar input=<file.csv>|table [runKey=<slot>] [dryRun=true] [--setting=value ...]
			  java -jar onboarding-sync.jar job=customerSyncJob [runKey=<slot>]
			    input     a CSV file, or table for intake.table.* (the source database)
			    runKey    the schedule slot (a date, a Job name); a failed run of the same input and runKey is resumed
			              by the same command; adhoc by default
			    dryRun    check every prospect and create nothing
			Operate runs of the configured company (customer-api.company-id):
			  java -jar onboarding-sync.jar runs list [n] | runs show <run> | runs restart <run> | runs abandon <run>
			  java -jar onboarding-sync.jar runs find <external id|phone|email> | runs export <run> [rejected|outcomes] [file]
			Start the platform's stand-in for tests and trials:
			  java -jar onboarding-sync.jar sandbox [--sandbox.port=8089 ...]

			Settings are properties (--customer-api.base-url=...) or environment variables (CUSTOMER_API_BASE_URL=...);
			the README lists them all ("Configure it") with the exit codes: 0 done, 1 run the same command again,
			2 fix the input, 3 fix a setting, 4 another run of the company is in progress.
			""";

	private static final Set<String> HELP = Set.of("help", "--help", "-h", "-help", "-?");

	/** The name of a {@code --name=value} setting given twice, or {@code null}. */
	static String repeatedSetting(String[] args) {
		Set<String> seen = new HashSet<>();
		for (String argument : args) {
			if (argument.startsWith("--") && argument.indexOf('=') > 2) {
				String name = argument.substring(2, argument.indexOf('='));
				if (!seen.add(name)) {
					return name;
				}
			}
		}
		return null;
	}

	/**
	 * An operator's command that runs no job ({@code runs list}, not {@code runs restart}) pushes no
	 * metrics: its push would replace the last run's in the Pushgateway, which the alerts read
	 * (k8s/monitoring, issue 10), although it has the run's settings.
	 */
	static String[] withoutMetricsPushUnlessARunRuns(String[] args) {
		String setting = "--management.prometheus.metrics.export.pushgateway.enabled=";
		if (args.length == 0 || !args[0].equals("runs") || (args.length > 1 && args[1].equals("restart"))
				|| Arrays.stream(args).anyMatch((argument) -> argument.startsWith(setting))) {
			return args;
		}
		String[] quiet = Arrays.copyOf(args, args.length + 1);
		quiet[args.length] = setting + "false";
		return quiet;
	}

	/** The job's application: this class, and the checks of the job's settings that the sandbox does not need. */
	public static SpringApplication application() {
		SpringApplication application = new SpringApplication(OnboardingSyncApplication.class);
		application.addListeners(new JobDatabaseUrlCheck());
		return application;
	}

	public static void main(String[] args) {
		// runs and sandbox answer help too, before anything starts.
		if (args.length == 0 || HELP.contains(args[0]) || (args[0].equals("runs") && (args.length == 1
				|| HELP.contains(args[1]))) || (SandboxCommand.NAME.equals(args[0]) && args.length > 1
						&& HELP.contains(args[1]))) {
			// Before anything starts: help needs no database, no token and no settings.
			System.out.print(USAGE);
			return;
		}
		String repeated = repeatedSetting(args);
		if (repeated != null) {
			// Spring would join the two values with a comma and go on with neither.
			System.err.println("The setting --" + repeated + " is given twice: give it once (exit code 3).");
			System.exit(ExitCodes.BAD_CONFIGURATION.code());
		}
		if (SandboxCommand.NAME.equals(args[0])) {
			try {
				SandboxCommand.start(Arrays.copyOfRange(args, 1, args.length));
			}
			catch (RuntimeException ex) {
				// Spring Boot has said why ("APPLICATION FAILED TO START"); the exit code says what to do.
				System.exit(ExitCodes.of(ex).code());
			}
			return;
		}
		// The exit code is the contract with cron and Kubernetes (README, "Exit codes"), a signal's too.
		ShutdownExitCode.install();
		args = withoutMetricsPushUnlessARunRuns(args);
		int exitCode;
		try {
			exitCode = SpringApplication.exit(application().run(args));
		}
		catch (RuntimeException ex) {
			exitCode = ExitCodes.of(ex).code();
		}
		ShutdownExitCode.exiting();
		System.exit(exitCode);
	}

}
