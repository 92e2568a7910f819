package dev.onboardingsync.run;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives Spring Batch's {@code spring.batch.item.process} timer its status tag when an item failed:
 * Batch 6 tags only items that succeeded with it, and Prometheus refuses a meter whose tag keys
 * differ from its name's first one ("registration has failed", once per run that fails), so the
 * failures went uncounted. The job turns the per-item observations off
 * ({@code management.observations.enable.spring.batch.item=false}, application.yml, for their cost);
 * this keeps the timer right where an operator turns them on again.
 */
class ItemProcessStatusTag implements MeterFilter {

	static final String METER = "spring.batch.item.process";

	static final String STATUS = "spring.batch.item.process.status";

	@Override
	public Meter.Id map(Meter.Id id) {
		return (METER.equals(id.getName()) && id.getTag(STATUS) == null) ? id.withTag(Tag.of(STATUS, "FAILURE")) : id;
	}

}
