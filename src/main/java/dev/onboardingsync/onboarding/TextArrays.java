package dev.onboardingsync.onboarding;

import java.util.List;

/**
 * PostgreSQL's text form of a {@code text[]} value ({@code {"a","b \"c\""}}), so that arrays of
 * cells travel as the elements of one array parameter and are cast back in SQL
 * ({@code CAST(raw AS text[])}). Every element is quoted, with {@code "} and {@code \} escaped; a
 * {@code null} element is {@code NULL}. See "Array Value Input" in PostgreSQL's documentation
 * (section 8.15.2). Written here because pgjdbc encodes an array only as a parameter of its own, not
 * as one element among others.
 */
final class TextArrays {

	private TextArrays() {
	}

	static String literal(List<String> values) {
		StringBuilder literal = new StringBuilder(16 * values.size() + 2).append('{');
		for (int i = 0; i < values.size(); i++) {
			if (i > 0) {
				literal.append(',');
			}
			String value = values.get(i);
			if (value == null) {
				literal.append("NULL");
				continue;
			}
			literal.append('"');
			for (int c = 0; c < value.length(); c++) {
				char ch = value.charAt(c);
				if (ch == '"' || ch == '\\') {
					literal.append('\\');
				}
				literal.append(ch);
			}
			literal.append('"');
		}
		return literal.append('}').toString();
	}

}
