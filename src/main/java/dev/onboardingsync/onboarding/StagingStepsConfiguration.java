package dev.onboardingsync.onboarding;

import java.util.List;

import dev.onboardingsync.intake.InputReaders;
import dev.onboardingsync.intake.IntakeProperties;
import dev.onboardingsync.intake.ProspectValidator;
import dev.onboardingsync.intake.ReadAheadReader;
import dev.onboardingsync.intake.ValidatedRow;
import dev.onboardingsync.system.JobParameterNames;
import dev.onboardingsync.system.ProgressLogger;
import dev.onboardingsync.system.Run;
import dev.onboardingsync.system.RunLogContext;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The staging steps: {@code stageProspectsStep} reads and validates the input into the ledger;
 * {@code checkStagedRowsStep} proves every row of the source staged. {@code onboardProspectsStep}
 * is {@link OnboardStepConfiguration}'s.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ IntakeProperties.class, OnboardingProperties.class })
class StagingStepsConfiguration {

	@Bean
	Ledger ledger(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		return new Ledger(jdbc, transactionManager);
	}

	@Bean
	Step stageProspectsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ReadAheadReader stagingReader, ItemWriter<ValidatedRow> stagingWriter,
			RunLogContext runLogContext, OnboardingProperties properties, Ledger ledger) {
		return new StepBuilder("stageProspectsStep", jobRepository).<ValidatedRow, ValidatedRow>chunk(properties.stageChunkSize())
			.transactionManager(transactionManager)
			.reader(stagingReader)
			.writer(stagingWriter)
			.listener(runLogContext)
			.listener(new ExecutionContextCheckpoint(jobRepository))
			.listener(new StepExecutionListener() {
				@Override
				public ExitStatus afterStep(StepExecution stepExecution) {
					// The header goes with the run, for its rejected-rows file once the input is gone.
					ledger.recordHeader(Run.of(stepExecution), stagingReader.header());
					return null;
				}
			})
			.listener(new ProgressLogger("rows", (step) -> step.getJobParameters().getLong(JobParameterNames.INPUT_ROWS, -1L),
					(step) -> step.getExecutionContext().getLong(ReadAheadReader.ROWS_TAKEN, 0L), properties.progressInterval()))
			.build();
	}

	/**
	 * Every row of the source staged, none lost: a file must have given as many rows as the
	 * pre-read counted when the run started ({@link JobParameterNames#INPUT_ROWS}); a table has the
	 * rows the reader missed, if it changed meanwhile, read and staged now ({@link StagedRowsCheck}).
	 * Rows lost fail the run with exit code 2 before anything is sent to the platform (issue 8).
	 */
	@Bean
	Step checkStagedRowsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			Ledger ledger, RunLogContext runLogContext, IntakeProperties intake, NamedParameterJdbcTemplate jdbc) {
		StagedRowsCheck check = new StagedRowsCheck(jdbc, ledger);
		return new StepBuilder("checkStagedRowsStep", jobRepository).tasklet((contribution, chunkContext) -> {
			StepExecution step = contribution.getStepExecution();
			JobParameters parameters = step.getJobParameters();
			long inputRows = parameters.getLong(JobParameterNames.INPUT_ROWS, -1L);
			if (inputRows >= 0) {
				check.check(Run.of(step), inputRows,
						() -> InputReaders.reader(parameters.getString(JobParameterNames.INPUT), intake,
								parameters.getString(JobParameterNames.INPUT_UPPER_KEY)),
						new ProspectValidator(intake), InputReaders.isTable(parameters.getString(JobParameterNames.INPUT)));
			}
			return RepeatStatus.FINISHED;
		}, transactionManager).listener(runLogContext).build();
	}

	/**
	 * The input's rows ({@link InputReaders}), validated, read ahead of the chunk being written: a
	 * chunk's worth, so that the next chunk is read and validated while one is written
	 * ({@link ReadAheadReader}); a read under way when the step ends is waited for as long as a stop
	 * waits for its chunk ({@code onboarding.shutdown-timeout}). The input's reader is its own, not a
	 * step-scoped bean: the thread that reads ahead is outside the step's scope.
	 */
	@Bean
	@StepScope
	ReadAheadReader stagingReader(@Value("#{jobParameters['" + JobParameterNames.INPUT + "']}") String input,
			@Value("#{jobParameters['" + JobParameterNames.INPUT_UPPER_KEY + "']}") String upperKey, IntakeProperties intake,
			OnboardingProperties properties) {
		return new ReadAheadReader(InputReaders.reader(input, intake, upperKey), new ProspectValidator(intake),
				properties.stageChunkSize(), properties.shutdownTimeout());
	}

	/** Records a chunk of validated rows in the ledger, in the chunk's transaction. */
	@Bean
	@StepScope
	ItemWriter<ValidatedRow> stagingWriter(Run run, Ledger ledger) {
		return (chunk) -> ledger.stage(run, List.copyOf(chunk.getItems()));
	}

}
