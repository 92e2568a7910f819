package dev.onboardingsync.customerapi;

import java.util.List;

/**
 * {@code data} of {@code page}: records newest first; {@code total} counted at query time.
 */
public record CustomerPage(Long current, Long size, Long total, List<CustomerRecord> records) {

	public CustomerPage {
		records = (records != null) ? List.copyOf(records) : List.of();
	}

}
