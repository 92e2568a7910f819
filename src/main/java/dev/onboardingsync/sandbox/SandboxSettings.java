package dev.onboardingsync.sandbox;

import java.nio.file.Path;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the sandbox, bound from {@code sandbox.*} when it runs standalone.
 *
 * @param bindAddress the address to listen on; loopback by default
 * @param port the port; 0 for any free one
 * @param companyId the only company the sandbox serves (a number, as the platform's are)
 * @param token the token the B-side endpoints require
 * @param threads how many threads read requests and answer those with no latency; after a latency,
 * answers are made on the sandbox's timer threads (as many as cores, at least 2), and neither the latency nor a
 * timeout holds a thread
 * @param seed what the sandbox starts with
 * @param faults what it does wrong, and how often
 */
@ConfigurationProperties("sandbox")
@Validated
public record SandboxSettings(@DefaultValue("127.0.0.1") @NotBlank String bindAddress,
		@DefaultValue("8089") @Min(0) @Max(65535) int port,
		@DefaultValue("1") @Pattern(regexp = "\\d{1,18}", message = "must be a number") String companyId,
		@DefaultValue("sandbox-token") @NotBlank String token, @DefaultValue("200") @Min(1) int threads,
		@DefaultValue @Valid @NotNull Seed seed, @DefaultValue @NotNull @NestedConfigurationProperty Faults faults) {

	/** Loopback, any free port, company 1, 100 seeded customers, no faults: what a test starts from. */
	public static SandboxSettings forTests() {
		return new SandboxSettings("127.0.0.1", 0, "1", "sandbox-token", 64, new Seed(100, 3, 42, null, null),
				Faults.none());
	}

	public SandboxSettings withSeed(Seed seed) {
		return new SandboxSettings(this.bindAddress, this.port, this.companyId, this.token, this.threads, seed,
				this.faults);
	}

	public SandboxSettings withFaults(Faults faults) {
		return new SandboxSettings(this.bindAddress, this.port, this.companyId, this.token, this.threads, this.seed,
				faults);
	}

	@Override
	public String toString() {
		return "SandboxSettings[bindAddress=" + this.bindAddress + ", port=" + this.port + ", companyId="
				+ this.companyId + ", token=***, threads=" + this.threads + ", seed=" + this.seed + ", faults="
				+ this.faults + "]";
	}

	/**
	 * @param customers how many existing customers to generate
	 * @param groups how many customer groups (ids 1..n; 1 is the default group)
	 * @param randomSeed the same seed makes the same customers
	 * @param file a CSV file of further existing customers (columns {@code phone_area, phone, email,
	 * country, register_source, customer_group_id, third_server_code}), added after the generated ones
	 * @param dataFile where the customers are kept between starts: loaded instead of seeding when it
	 * exists, written when the sandbox stops
	 */
	public record Seed(@DefaultValue("1000") @PositiveOrZero int customers, @DefaultValue("3") @Min(1) int groups,
			@DefaultValue("42") long randomSeed, Path file, Path dataFile) {
	}

}
