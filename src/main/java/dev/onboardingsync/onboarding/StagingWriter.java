package dev.onboardingsync.onboarding;

import java.util.List;

import dev.onboardingsync.intake.StagedRow;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/** Records a chunk of validated input rows in the ledger, in the chunk's transaction. */
class StagingWriter implements ItemWriter<StagedRow> {

	private final Ledger ledger;

	private final Run run;

	StagingWriter(Ledger ledger, Run run) {
		this.ledger = ledger;
		this.run = run;
	}

	@Override
	public void write(Chunk<? extends StagedRow> chunk) {
		this.ledger.stage(this.run, List.copyOf(chunk.getItems()));
	}

}
