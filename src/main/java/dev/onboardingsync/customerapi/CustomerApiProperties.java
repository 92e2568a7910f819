package dev.onboardingsync.customerapi;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Customer API client.
 *
 * <p>
 * The base URL and the token are needed only to call the platform: the operator's {@code runs}
 * commands that read the job's database work without them, and a run or restart that lacks them
 * is refused before it starts ({@link #unsetForCalls()}, issue 9).
 *
 * @param baseUrl the gateway, without {@code /openapi-b}, e.g. {@code https://api.example.com}: an
 * {@code http} or {@code https} URL with a host, and no user, password, path parameter, query or
 * fragment, else the application does not start (issues 9 and 13);
 * kept as written (spaces around it dropped) so that a wrong one is named in the job's words rather
 * than in a URI parser's
 * @param companyId sent as the {@code companyId} header; a number, as the platform's records carry it
 * (the reporting copy keeps it with every customer it syncs)
 * @param token sent as the {@code token} header on every call but {@code checkCustomerExist};
 * a secret: take it from the environment or a mounted file, never a default; spaces and line
 * breaks around it (a file's last line break) are dropped (issue 9)
 * @param version the {@code version} header
 * @param connectTimeout how long to wait for a TCP connection
 * @param readTimeout how long to wait for an answer once sent; past it a create is ambiguous
 * @param maxConcurrency requests in flight at once; the HTTP connection pool is sized to it
 * @param maxRequestsPerSecond one budget shared by all threads; 0 for none
 * @param errorCodes which business codes mean what (CUSTOMER-API.md's table by default)
 */
@ConfigurationProperties("customer-api")
@Validated
public record CustomerApiProperties(String baseUrl,
		@NotBlank @Pattern(regexp = "\\s*\\d{1,18}\\s*", message = "must be the platform's company id, a number") String companyId,
		String token,
		@DefaultValue("0.0.1") @NotBlank String version, @DefaultValue("5s") @NotNull Duration connectTimeout,
		@DefaultValue("30s") @NotNull Duration readTimeout, @DefaultValue("16") @Min(1) int maxConcurrency,
		@DefaultValue("0") @PositiveOrZero double maxRequestsPerSecond,
		@DefaultValue @Valid @NotNull ErrorCodes errorCodes) {

	public CustomerApiProperties {
		// A token read from a mounted file ends in a line break, which would be sent as part of it.
		token = (token == null || token.isBlank()) ? null : token.strip();
		baseUrl = (baseUrl == null || baseUrl.isBlank()) ? null : baseUrl.strip();
		if (baseUrl != null) {
			parse(baseUrl);
		}
	}

	/** The base URL as a URI, or {@code null} when it is not set. */
	public URI baseUri() {
		return (this.baseUrl != null) ? parse(this.baseUrl) : null;
	}

	/**
	 * The settings that a call to the platform needs and that are not set, by property name, in the
	 * order of the README: empty when the client can call.
	 */
	public List<String> unsetForCalls() {
		List<String> unset = new ArrayList<>();
		if (this.baseUrl == null) {
			unset.add("customer-api.base-url");
		}
		if (this.token == null) {
			unset.add("customer-api.token");
		}
		return unset;
	}

	private static URI parse(String baseUrl) {
		URI uri;
		try {
			uri = new URI(baseUrl);
		}
		catch (URISyntaxException ex) {
			uri = null;
		}
		if (uri == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
				|| uri.getHost() == null) {
			throw new IllegalArgumentException("customer-api.base-url '" + masked(baseUrl) + "' must be an"
					+ " http:// or https:// URL with a host, such as https://api.example.com");
		}
		// A user and password in the URL would be sent to no one (the platform takes the token header, and
		// Apache HttpClient refuses such a request, so every call failed as if the platform were down) and
		// would reach the log with any failure of a call (a fresh user's try, issue 13); a query or a
		// fragment would be cut from every call's path.
		if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
				|| (uri.getRawPath() != null && uri.getRawPath().contains(";"))) {
			throw new IllegalArgumentException("customer-api.base-url '" + masked(baseUrl) + "' must be the"
					+ " gateway alone, scheme, host, port and path, such as https://api.example.com: no user or password"
					+ " (the platform takes customer-api.token), no path parameter (;), query or fragment");
		}
		return uri;
	}

	/**
	 * A URL as written, its parts that may hold a secret masked, whether it parses or not: whatever
	 * stands before an {@code @} after the scheme (a user and password), and a path parameter, query or
	 * fragment (a token), as {@code http://***@host/path?***}. Text with no {@code @}, {@code ;},
	 * {@code ?} or {@code #} is returned as it is.
	 */
	public static String masked(String url) {
		return url.replaceFirst("[?#;].*", "?***").replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*:[/\\\\]*)?[^@]*@", "$1***@");
	}

	/** Never prints the token. */
	@Override
	public String toString() {
		return "CustomerApiProperties[baseUrl=" + ((this.baseUrl != null) ? masked(this.baseUrl) : null)
				+ ", companyId=" + this.companyId + ", token="
				+ ((this.token == null || this.token.isEmpty()) ? "(unset)" : "***") + ", version=" + this.version
				+ ", connectTimeout=" + this.connectTimeout + ", readTimeout=" + this.readTimeout + ", maxConcurrency="
				+ this.maxConcurrency + ", maxRequestsPerSecond=" + this.maxRequestsPerSecond + ", errorCodes="
				+ this.errorCodes + "]";
	}

	/**
	 * The platform's business codes by meaning. An assumption of CUSTOMER-API.md: the real
	 * platform may use others. A code in none of these sets is unknown: transient for reads,
	 * ambiguous for a create.
	 *
	 * @param rejected invalid parameter: refused for good, the prospect is rejected with the message
	 * @param authenticationFailed token or company refused: the run stops, restartable
	 * @param notFound no such customer (detail)
	 * @param alreadyExists duplicate phone, email or thirdServerCode: the customer exists
	 * @param rateLimited too many requests: retried later
	 * @param busy system busy: retried later
	 */
	public record ErrorCodes(@DefaultValue("A0400") @NotEmpty Set<String> rejected,
			@DefaultValue("A0401") @NotEmpty Set<String> authenticationFailed,
			@DefaultValue("A0404") @NotEmpty Set<String> notFound,
			@DefaultValue("A0409") @NotEmpty Set<String> alreadyExists,
			@DefaultValue("A0429") @NotEmpty Set<String> rateLimited, @DefaultValue("B0001") @NotEmpty Set<String> busy) {

		public static ErrorCodes defaults() {
			return new ErrorCodes(Set.of("A0400"), Set.of("A0401"), Set.of("A0404"), Set.of("A0409"), Set.of("A0429"),
					Set.of("B0001"));
		}

	}

}
