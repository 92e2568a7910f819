package dev.onboardingsync.sandbox;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The sandbox's own endpoints, for tests and operators: {@code GET /sandbox/state},
 * {@code GET /sandbox/customers} (filters {@code thirdServerCode}, {@code customerNo}; paging
 * {@code offset}, {@code limit}), {@code POST /sandbox/customers/remove?customerNo=} and
 * {@code POST /sandbox/customers/close?customerNo=} (a customer deleted or closed on the platform,
 * issue 12), and {@code POST /sandbox/reset}.
 */
final class AdminHttpHandler implements HttpHandler {

	private static final int DEFAULT_LIMIT = 1000;

	private final Sandbox sandbox;

	AdminHttpHandler(Sandbox sandbox) {
		this.sandbox = sandbox;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try {
			String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
			switch (route) {
				case "GET /sandbox/state" -> HttpExchanges.sendJson(exchange, 200, this.sandbox.state());
				case "GET /sandbox/customers" -> HttpExchanges.sendJson(exchange, 200, customers(exchange));
				case "POST /sandbox/customers/remove" -> {
					String customerNo = required(exchange, "customerNo");
					if (this.sandbox.removeCustomer(customerNo)) {
						HttpExchanges.sendJson(exchange, 200, this.sandbox.state());
					}
					else {
						HttpExchanges.sendText(exchange, 404, "No customer " + customerNo);
					}
				}
				case "POST /sandbox/customers/close" -> {
					String customerNo = required(exchange, "customerNo");
					Optional<SandboxCustomer> closed = this.sandbox.closeCustomer(customerNo);
					if (closed.isPresent()) {
						HttpExchanges.sendJson(exchange, 200, closed.get());
					}
					else {
						HttpExchanges.sendText(exchange, 404, "No customer " + customerNo);
					}
				}
				case "POST /sandbox/reset" -> {
					this.sandbox.reset();
					HttpExchanges.sendJson(exchange, 200, this.sandbox.state());
				}
				default -> HttpExchanges.sendText(exchange, 404,
						"Try GET /sandbox/state, GET /sandbox/customers, POST /sandbox/customers/remove?customerNo=,"
								+ " POST /sandbox/customers/close?customerNo= or POST /sandbox/reset");
			}
		}
		catch (IllegalArgumentException ex) {
			HttpExchanges.sendText(exchange, 400, ex.getMessage());
		}
		finally {
			exchange.close();
		}
	}

	private List<SandboxCustomer> customers(HttpExchange exchange) {
		Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
		int offset = number(query, "offset", 0);
		int limit = number(query, "limit", DEFAULT_LIMIT);
		String thirdServerCode = query.get("thirdServerCode");
		String customerNo = query.get("customerNo");
		return this.sandbox.customers()
			.stream()
			.filter((customer) -> thirdServerCode == null || thirdServerCode.equals(customer.thirdServerCode()))
			.filter((customer) -> customerNo == null || customerNo.equals(customer.customerNo()))
			.skip(offset)
			.limit(limit)
			.toList();
	}

	private static String required(HttpExchange exchange, String name) {
		String value = query(exchange.getRequestURI().getRawQuery()).get(name);
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(name + " is required");
		}
		return value;
	}

	private static int number(Map<String, String> query, String name, int fallback) {
		String value = query.get(name);
		try {
			int number = (value != null) ? Integer.parseInt(value) : fallback;
			if (number < 0) {
				throw new NumberFormatException();
			}
			return number;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a number, 0 or more");
		}
	}

	private static Map<String, String> query(String rawQuery) {
		Map<String, String> query = new HashMap<>();
		if (rawQuery == null) {
			return query;
		}
		for (String pair : rawQuery.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				query.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
			}
		}
		return query;
	}

}
