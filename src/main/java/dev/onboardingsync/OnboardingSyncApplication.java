package dev.onboardingsync;

import java.util.Arrays;

import dev.onboardingsync.run.ExitCodes;
import dev.onboardingsync.run.ShutdownExitCode;
import dev.onboardingsync.sandbox.SandboxCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Onboards prospects onto the platform's Customer API and syncs its customers into PostgreSQL.
 * {@code java -jar onboarding-sync.jar sandbox [--sandbox.*=...]} starts the platform's stand-in instead.
 */
@SpringBootApplication
public class OnboardingSyncApplication {

	public static void main(String[] args) {
		if (args.length > 0 && SandboxCommand.NAME.equals(args[0])) {
			SandboxCommand.start(Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		// The exit code is the contract with cron and Kubernetes (README, "Exit codes"), a signal's too.
		ShutdownExitCode.install();
		int exitCode;
		try {
			exitCode = SpringApplication.exit(SpringApplication.run(OnboardingSyncApplication.class, args));
		}
		catch (RuntimeException ex) {
			exitCode = ExitCodes.of(ex).code();
		}
		ShutdownExitCode.exiting();
		System.exit(exitCode);
	}

}
