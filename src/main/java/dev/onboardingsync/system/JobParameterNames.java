package dev.onboardingsync.system;

/**
 * The names of the job parameters a run is launched with ({@code run.RunParameters}), which the steps,
 * listeners and operator commands read back. Identifying (together, the run): {@link #COMPANY_ID},
 * {@link #MODE}, {@link #RUN_KEY}, {@link #SEQUENCE}, {@link #INPUT}, {@link #INPUT_CHECKSUM}; the
 * others are not.
 */
public final class JobParameterNames {

	/** The platform's company the run onboards for ({@code customer-api.company-id}). */
	public static final String COMPANY_ID = "companyId";

	/** {@code LIVE} or {@code DRY_RUN} ({@link Mode}). */
	public static final String MODE = "mode";

	/** The schedule slot: a date, a Kubernetes Job's name; {@code adhoc} by default. */
	public static final String RUN_KEY = "runKey";

	/**
	 * The run's number among the runs of the same company, slot, mode and input: a new run after a
	 * completed one, the same while the last one is unfinished.
	 */
	public static final String SEQUENCE = "sequence";

	/** A CSV file's path as given, or {@code table}. */
	public static final String INPUT = "input";

	/** A CSV file's SHA-256, hex: a changed file is a new run. */
	public static final String INPUT_CHECKSUM = "inputChecksum";

	/**
	 * The number of input rows the pre-read of the run's first execution counted: its progress's
	 * whole, and what staging must give ({@code StagedRowsCheck}). A resumed execution keeps its first
	 * execution's parameters ({@code RunParameters}).
	 */
	public static final String INPUT_ROWS = "inputRows";

	/**
	 * The largest key of a source table when the pre-read of the run's first execution began: the run
	 * reads the rows up to it, resumed or not (see {@code ProspectReader#upperKey()}).
	 */
	public static final String INPUT_UPPER_KEY = "inputUpperKey";

	private JobParameterNames() {
	}

}
