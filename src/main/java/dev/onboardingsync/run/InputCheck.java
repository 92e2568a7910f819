package dev.onboardingsync.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.onboardingsync.intake.BadInputException;
import dev.onboardingsync.intake.InputReaders;
import dev.onboardingsync.intake.IntakeProperties;
import dev.onboardingsync.intake.ProspectReader;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What {@link RunLauncher} learns of the input before a run starts, by reading all of it once
 * (the file's checksum is taken as its rows are counted).
 *
 * @param checksum a file's SHA-256 (hex), {@code null} for a table
 * @param rows how many rows it has
 * @param upperKey for a table, the largest key it holds now (the run reads up to it), else {@code null}
 */
record InputCheck(String checksum, long rows, String upperKey) {

	/**
	 * Reads the whole input once before anything starts, so that an input that cannot be read
	 * (a wrong header, a broken quote on line 900,000) leaves no run and no partial work behind;
	 * counts its rows for progress and the check of what was staged, for a table notes the key it
	 * reads up to, and for a file takes its checksum.
	 */
	static InputCheck of(String input, IntakeProperties intake) throws Exception {
		ProspectReader reader = InputReaders.reader(input, intake);
		long rows = 0;
		try {
			reader.open(new ExecutionContext());
			while (reader.read() != null) {
				rows++;
			}
		}
		catch (RuntimeException ex) {
			throw (ex.getCause() instanceof BadInputException bad) ? bad : ex;
		}
		finally {
			reader.close();
		}
		return new InputCheck(reader.checksum(), rows, reader.upperKey());
	}

	/**
	 * Checks that a run's file is the one it started with, before a restart resumes it.
	 * @param input the file's path as the run was given it
	 * @param checksum the SHA-256 it started with, {@code null} for a table (nothing to check)
	 * @throws BadConfigurationException if a relative path leads to no file from here
	 * @throws BadInputException if the file is gone or changed
	 */
	static void requireUnchanged(long runId, String input, String checksum) {
		if (checksum == null) {
			return;
		}
		if (!Path.of(input).isAbsolute() && !Files.exists(Path.of(input))) {
			throw new BadConfigurationException("Run " + runId + " reads " + input + ", a path relative to the directory"
					+ " it started in, which is not this one (" + Path.of("").toAbsolutePath() + "): run runs restart "
					+ runId + " there, or its own command.");
		}
		if (!checksum.equals(sha256(Path.of(input)))) {
			throw new BadInputException("The input " + input + " changed since run " + runId + " started: restore"
					+ " that file to resume the run, or give the run up (runs abandon " + runId + ", which also clears"
					+ " the personal data it keeps) and run the new file as a new run.");
		}
	}

	// A file's SHA-256, hex, read whole: what a restart compares with the one its run started with.
	private static String sha256(Path file) {
		try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
			in.transferTo(OutputStream.nullOutputStream());
			return HexFormat.of().formatHex(in.getMessageDigest().digest());
		}
		catch (NoSuchFileException ex) {
			throw new BadInputException("The input file " + file.toAbsolutePath() + " does not exist.", ex);
		}
		catch (IOException ex) {
			throw new BadInputException("The input file " + file.toAbsolutePath() + " cannot be read: " + ex.getMessage(), ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
