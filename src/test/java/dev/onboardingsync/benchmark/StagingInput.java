package dev.onboardingsync.benchmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A large input in the sample format ({@code sample-data/prospects.csv}: 15 columns, quoted remarks),
 * written in a stream so that a million rows cost no heap: mainland mobiles {@code 13<9 digits>} and
 * emails unique to each row, external ids {@code <prefix>-<n>}. Every {@code rejectedEvery}-th row
 * has a phone no mobile (rejected, its cells kept for the rejected-rows file) and every
 * {@code duplicateEvery}-th row the phone of the row before it (a duplicate, in a chain: it claims
 * nothing, so its own external id and email stay free).
 */
final class StagingInput {

	static final String HEADER = "external_id,phone,phone_area,email,email_area,country,register_source,"
			+ "customer_group_id,remark,register_device,utm_source,utm_medium,utm_campaign,utm_content,utm_term";

	private StagingInput() {
	}

	/**
	 * Writes the file.
	 * @param rejectedEvery every n-th row rejected, 0 for none
	 * @param duplicateEvery every n-th row a duplicate of the one before, 0 for none
	 */
	static Path write(Path file, String prefix, int rows, int rejectedEvery, int duplicateEvery) throws IOException {
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			out.write(HEADER);
			out.write('\n');
			for (int i = 1; i <= rows; i++) {
				boolean rejected = rejectedEvery > 0 && i % rejectedEvery == 0;
				boolean duplicate = !rejected && duplicateEvery > 0 && i % duplicateEvery == 0 && i > 1;
				out.write(prefix);
				out.write('-');
				out.write(Integer.toString(i));
				out.write(',');
				// 010 numbers are Beijing's fixed lines: valid, but no mobile.
				out.write(rejected ? String.format("010%08d", i % 100_000_000) : phone(duplicate ? i - 1 : i));
				out.write(",+86,");
				out.write(prefix.toLowerCase());
				out.write(".p");
				out.write(Integer.toString(i));
				out.write("@example.com,,CN,2,1,\"Prefers contact after 6pm, \"\"urgent\"\"\",Xiaomi 14,newsletter,email,"
						+ "black-friday,,\n");
			}
		}
		return file;
	}

	/** The phone of row n: {@code 13} and nine digits, unique for n below a billion. */
	static String phone(int row) {
		return String.format("13%09d", row);
	}

}
