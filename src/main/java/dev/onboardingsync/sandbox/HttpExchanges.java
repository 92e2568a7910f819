package dev.onboardingsync.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import dev.onboardingsync.customerapi.ApiJson;

/** Writing answers, and not writing them, on the JDK's HTTP server. */
final class HttpExchanges {

	private HttpExchanges() {
	}

	static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
		send(exchange, status, "application/json", ApiJson.mapper().writeValueAsBytes(body));
	}

	static void sendText(HttpExchange exchange, int status, String body) throws IOException {
		send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
	}

	static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	/**
	 * Drops the connection without an answer: closing an exchange before its headers are sent
	 * makes the JDK server close the socket, which the client sees as a lost response.
	 */
	static void drop(HttpExchange exchange) {
		exchange.close();
	}

}
