package dev.onboardingsync.onboarding;

import java.util.List;

/**
 * PostgreSQL's text form of a {@code text[]} value ({@code {"a","b \"c\""}}), so that a row's cells
 * travel as one value of a {@code COPY} ({@link CopyRows}), which reads a {@code text[]} column in this
 * form. Every element is quoted, with {@code "} and {@code \} escaped; a {@code null} element is
 * {@code NULL}. See "Array Value Input" in PostgreSQL's documentation (section 8.15.2). Written here
 * because pgjdbc encodes an array only as a parameter of its own, not as a value within rows it copies.
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
