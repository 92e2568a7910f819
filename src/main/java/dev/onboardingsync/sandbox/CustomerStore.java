package dev.onboardingsync.sandbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import dev.onboardingsync.customerapi.CreateAccountRequest;
import dev.onboardingsync.customerapi.CustomerGroup;
import dev.onboardingsync.system.PhoneNumbers;

/**
 * The sandbox's customers and groups, in memory. Uniqueness per company of (phone area, phone),
 * email and {@code thirdServerCode} is checked and the customer added under one write lock, so
 * two concurrent creates with one key make exactly one customer. Customers are kept in creation
 * order, which is ascending {@code createTime} then {@code id}: newest first is that list backwards.
 */
final class CustomerStore {

	private static final long FIRST_ID = 1000;

	private static final long FIRST_CUSTOMER_NO = 86000001;

	private static final Comparator<SandboxCustomer> CREATION_ORDER = Comparator
		.comparingLong(SandboxCustomer::createTime)
		.thenComparingLong(SandboxCustomer::id);

	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	private final List<SandboxCustomer> customers = new ArrayList<>();

	private final CustomerIndexes indexes = new CustomerIndexes();

	private final Map<Long, CustomerGroup> groups = new HashMap<>();

	private long lastCreateTime;

	// Customers ever created, removed ones included: ids and customer numbers are never reused.
	private long created;

	/**
	 * Adds the customer, or names the unique field it collides with.
	 * @param phoneKey the request's phone as {@link PhoneNumbers#key} in its area
	 * @throws IllegalArgumentException if there is no key: the phone was not validated first
	 */
	CreateOutcome create(CreateAccountRequest request, String phoneArea, String phoneKey, String emailArea, long now) {
		if (phoneKey == null) {
			throw new IllegalArgumentException("Not a valid phone of area " + phoneArea + ": validate a create first");
		}
		String emailKey = CustomerIndexes.emailKey(request.email());
		this.lock.writeLock().lock();
		try {
			if (this.indexes.hasPhone(phoneKey)) {
				return CreateOutcome.conflict("phone");
			}
			if (this.indexes.hasEmail(emailKey)) {
				return CreateOutcome.conflict("email");
			}
			if (this.indexes.hasThirdServerCode(request.thirdServerCode())) {
				return CreateOutcome.conflict("thirdServerCode");
			}
			long sequence = this.created++;
			long createTime = Math.max(now, this.lastCreateTime);
			SandboxCustomer customer = new SandboxCustomer(FIRST_ID + sequence, Long.toString(FIRST_CUSTOMER_NO + sequence),
					createTime, createTime, phoneArea, request.phone(), request.email(), emailArea, request.country(),
					request.registerSource(), request.customerGroupId(), request.remark(), request.registerDevice(),
					request.utmSource(), request.utmMedium(), request.utmCampaign(), request.utmContent(),
					request.utmTerm(), request.thirdServerCode(), request.tradeTypeCurrencyList(), SandboxCustomer.ACTIVE);
			add(customer, phoneKey);
			return new CreateOutcome(customer, null);
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	private void add(SandboxCustomer customer) {
		add(customer, PhoneNumbers.key(customer.phoneArea(), customer.phone()));
	}

	// The phone's key computed before the write lock, not again under it: parsing a phone is most of
	// a create's work, and the lock holds back every other request (a JFR profile, issue 13).
	private void add(SandboxCustomer customer, String phoneKey) {
		this.lastCreateTime = Math.max(this.lastCreateTime, customer.createTime());
		this.created = Math.max(this.created, customer.id() - FIRST_ID + 1);
		this.customers.add(customer);
		this.indexes.put(customer, phoneKey);
	}

	/** Adds customers kept from an earlier start, as they were. */
	void load(List<SandboxCustomer> kept) {
		this.lock.writeLock().lock();
		try {
			for (SandboxCustomer customer : kept) {
				add(customer);
			}
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	/**
	 * Removes the customer, as the platform does when it deletes one: it leaves the list, and
	 * {@code detail} no longer finds it. Its phone, email and {@code thirdServerCode} are free again.
	 * @return whether there was such a customer
	 */
	boolean remove(String customerNo) {
		this.lock.writeLock().lock();
		try {
			SandboxCustomer customer = this.indexes.byCustomerNo(customerNo);
			if (customer == null) {
				return false;
			}
			this.customers.remove(indexOf(customer));
			this.indexes.remove(customer);
			return true;
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	/**
	 * Closes the customer: it stays in the list, with status {@link SandboxCustomer#CLOSED}.
	 * @return the closed customer, or empty if there is no such customer
	 */
	Optional<SandboxCustomer> close(String customerNo, long now) {
		this.lock.writeLock().lock();
		try {
			SandboxCustomer customer = this.indexes.byCustomerNo(customerNo);
			if (customer == null) {
				return Optional.empty();
			}
			SandboxCustomer closed = customer.closed(now);
			this.customers.set(indexOf(customer), closed);
			this.indexes.put(closed);
			return Optional.of(closed);
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	// The list is in ascending createTime then id: a binary search by that order.
	private int indexOf(SandboxCustomer customer) {
		int index = Collections.binarySearch(this.customers, customer, CREATION_ORDER);
		if (index < 0) {
			throw new IllegalStateException("The sandbox's list lost " + customer);
		}
		return index;
	}

	boolean existsByPhone(String phoneArea, String phone) {
		String key = PhoneNumbers.key(phoneArea, phone);
		return key != null && read(() -> this.indexes.hasPhone(key));
	}

	boolean existsByEmail(String email) {
		String key = CustomerIndexes.emailKey(email);
		return key != null && read(() -> this.indexes.hasEmail(key));
	}

	Optional<SandboxCustomer> findByCustomerNo(String customerNo) {
		return Optional.ofNullable(read(() -> this.indexes.byCustomerNo(customerNo)));
	}

	Optional<SandboxCustomer> findById(long id) {
		return Optional.ofNullable(read(() -> this.indexes.byId(id)));
	}

	/** One page, newest first; {@code current} is 1-based. */
	Page page(int current, int size) {
		return read(() -> {
			int total = this.customers.size();
			int newest = total - 1 - (current - 1) * size;
			List<SandboxCustomer> records = new ArrayList<>(size);
			for (int i = newest; i >= 0 && i > newest - size; i--) {
				records.add(this.customers.get(i));
			}
			return new Page(total, records);
		});
	}

	int size() {
		return read(this.customers::size);
	}

	List<SandboxCustomer> all() {
		return read(() -> List.copyOf(this.customers));
	}

	void putGroup(CustomerGroup group) {
		this.lock.writeLock().lock();
		try {
			this.groups.put(group.id(), group);
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	Optional<CustomerGroup> group(long id) {
		return Optional.ofNullable(read(() -> this.groups.get(id)));
	}

	List<CustomerGroup> groups() {
		return read(() -> this.groups.values()
			.stream()
			.sorted((left, right) -> Long.compare(left.id(), right.id()))
			.toList());
	}

	void clear() {
		this.lock.writeLock().lock();
		try {
			this.customers.clear();
			this.indexes.clear();
			this.groups.clear();
			this.lastCreateTime = 0;
			this.created = 0;
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	private <T> T read(Supplier<T> reader) {
		this.lock.readLock().lock();
		try {
			return reader.get();
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	record CreateOutcome(SandboxCustomer customer, String conflict) {

		static CreateOutcome conflict(String field) {
			return new CreateOutcome(null, field);
		}

	}

	record Page(int total, List<SandboxCustomer> records) {
	}

}
