package dev.onboardingsync.onboarding;

import java.util.List;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/** Records a chunk of settlements in the ledger, in the chunk's transaction. */
class SettlementWriter implements ItemWriter<Settlement> {

	private final Ledger ledger;

	private final Run run;

	SettlementWriter(Ledger ledger, Run run) {
		this.ledger = ledger;
		this.run = run;
	}

	@Override
	public void write(Chunk<? extends Settlement> chunk) {
		this.ledger.settle(this.run, List.copyOf(chunk.getItems()));
	}

}
