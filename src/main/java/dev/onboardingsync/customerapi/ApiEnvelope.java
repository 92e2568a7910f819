package dev.onboardingsync.customerapi;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The response envelope of every endpoint. Success is {@code code == "0"} only: the seed's
 * examples carry placeholder {@code ok}/{@code fail} values, so those are informational.
 * {@code tm} and {@code msgParams} vary in type between examples and stay untyped.
 */
public record ApiEnvelope(String code, String msg, JsonNode data, Boolean ok, Boolean fail, String trace, JsonNode tm,
		String bizCode, JsonNode msgParams) {

	public static final String SUCCESS = "0";

	public boolean successful() {
		return SUCCESS.equals(this.code);
	}

	public static ApiEnvelope success(JsonNode data, String trace, long tm) {
		return new ApiEnvelope(SUCCESS, "Success", data, true, false, trace,
				JsonNodeFactory.instance.numberNode(tm), "", null);
	}

	public static ApiEnvelope failure(String code, String msg, String trace, long tm) {
		return new ApiEnvelope(code, msg, null, false, true, trace,
				JsonNodeFactory.instance.numberNode(tm), "", null);
	}

}
