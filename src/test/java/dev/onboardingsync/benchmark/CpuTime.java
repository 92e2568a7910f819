package dev.onboardingsync.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * CPU time of this JVM (the job, the sandbox and the bare client all run in it) and of the test
 * PostgreSQL's processes (its postmaster and every child: backends, WAL writer, checkpointer), read
 * from {@code /proc}: what a measure cost, whatever else the shared machine was doing. PostgreSQL's
 * is 0 where its processes are not visible (Testcontainers).
 */
final class CpuTime implements AutoCloseable {

	// USER_HZ: the unit of utime and stime in /proc/<pid>/stat (proc(5)); 100 on Linux.
	private static final double TICKS_PER_SECOND = 100;

	private static final long SAMPLE_EVERY_MILLIS = 200;

	private final long postmaster;

	// Readings every SAMPLE_EVERY_MILLIS, by time (epoch milliseconds): the CPU of a window that began
	// and ended inside the process (a step, from Spring Batch's metadata) is read off them.
	private final NavigableMap<Long, Reading> samples = new ConcurrentSkipListMap<>();

	private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

	CpuTime(JdbcTemplate jdbc) {
		Integer backend = jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class);
		this.postmaster = (backend != null) ? parent(backend) : -1;
		this.sampler.scheduleAtFixedRate(() -> this.samples.put(System.currentTimeMillis(), read()), 0,
				SAMPLE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
	}

	/** The CPU used between the two times (epoch milliseconds), to the nearest samples. */
	Reading between(long from, long to) {
		Map.Entry<Long, Reading> start = this.samples.floorEntry(from);
		Map.Entry<Long, Reading> end = this.samples.ceilingEntry(to);
		if (end == null) {
			end = Map.entry(System.currentTimeMillis(), read());
		}
		return end.getValue().since((start != null) ? start.getValue() : this.samples.firstEntry().getValue());
	}

	@Override
	public void close() {
		this.sampler.shutdownNow();
	}

	Reading read() {
		double jvm = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
			.getProcessCpuTime() / 1e9;
		return new Reading(jvm, postgres());
	}

	private double postgres() {
		if (this.postmaster < 0) {
			return 0;
		}
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			return processes.filter((path) -> path.getFileName().toString().matches("\\d+"))
				.mapToDouble((path) -> {
					long pid = Long.parseLong(path.getFileName().toString());
					String[] stat = stat(pid);
					if (stat == null || (pid != this.postmaster && Long.parseLong(stat[1]) != this.postmaster)) {
						return 0;
					}
					return (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / TICKS_PER_SECOND;
				})
				.sum();
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static long parent(long pid) {
		String[] stat = stat(pid);
		return (stat != null) ? Long.parseLong(stat[1]) : -1;
	}

	// The fields of /proc/<pid>/stat after the command's name: [0] state, [1] ppid, [11] utime, [12] stime.
	private static String[] stat(long pid) {
		try {
			String text = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
			return text.substring(text.lastIndexOf(')') + 2).split(" ");
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/** CPU seconds of the JVM and of PostgreSQL. */
	record Reading(double jvm, double postgres) {

		Reading since(Reading before) {
			return new Reading(this.jvm - before.jvm, this.postgres - before.postgres);
		}

		String perPage(long pages) {
			return String.format(Locale.ROOT, "%.2f s JVM + %.2f s PostgreSQL (%.1f + %.1f ms a page)", this.jvm,
					this.postgres, 1000 * this.jvm / pages, 1000 * this.postgres / pages);
		}

	}

}
