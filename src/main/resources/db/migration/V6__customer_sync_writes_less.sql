-- What a full sync writes per customer besides the customer's own row (issue 13).

-- The customers a pass of a full sync has found: one row per call's batch of pages (and per head
-- page read on its own), its customers as one array, written by the statement that merges the batch
-- into reporting.customer. Before, a row and a B-tree entry per customer (V4), written by a statement
-- of its own: about a tenth of the database's time of a first sync (CustomerSyncBenchmark, BENCHMARKS.md).
-- Unlogged, as before: it holds nothing that is not read again from the platform; a crash of the
-- database empties it, which the pass notices by its count (the customers it noted) and answers by
-- reading the list again. A pass under way when this runs is emptied the same way.
DROP TABLE reporting.customer_seen;
CREATE UNLOGGED TABLE reporting.customer_seen (
    pass_id       BIGINT NOT NULL,
    customer_nos  TEXT[] NOT NULL
);
CREATE INDEX customer_seen_pass_idx ON reporting.customer_seen (pass_id);

-- Every customer a sync writes is due for its details (V4), so this partial index took an entry for
-- every new customer and every changed one, whether details are fetched at all
-- (onboarding.sync-detail-types is empty by default), and kept a changed row from a HOT update. The
-- details step reads the due customers in customer_no order, which the primary key serves.
DROP INDEX reporting.customer_detail_due_idx;
