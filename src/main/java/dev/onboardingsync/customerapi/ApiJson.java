package dev.onboardingsync.customerapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapping of the Customer API, shared by the client and the sandbox: a tolerant reader
 * (fields the platform adds are ignored) that leaves absent optional fields out of requests.
 */
public final class ApiJson {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private ApiJson() {
	}

	public static JsonMapper mapper() {
		return MAPPER;
	}

}
