package dev.onboardingsync.customerapi;

/**
 * Body of {@code page}: {@code customerNo} filters exactly ({@code null} for all), {@code current}
 * is 1-based.
 */
public record CustomerPageRequest(String customerNo, Integer size, Integer current) {

	public static CustomerPageRequest all(int current, int size) {
		return new CustomerPageRequest(null, size, current);
	}

}
