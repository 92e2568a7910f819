-- The onboard step's two updates of each prospect, in place (issue 13).
--
-- Each prospect is updated twice by the onboard step: its create's note (PENDING -> UNCERTAIN) and its
-- settlement. prospect_unsettled_idx's predicate names the status, and PostgreSQL counts a predicate's
-- columns as indexed: no such update could be a heap-only tuple (HOT) update, so each wrote a new entry
-- into every index of the table (the key, the identity, and for a note the partial index again). The
-- notes were the database's largest cost in the onboard step: the backend that wrote them used about
-- three quarters of the database's CPU there. With no index on the status, and room left in each page
-- for the next version of its rows, more than half of those updates stay within their page and write
-- no index entry. With the two changes of the same commit (settlements in one statement per table, a
-- note in one auto-committed statement), the database's CPU in the step fell by about two fifths
-- (10,000 prospects at C = 64, per-process CPU; BENCHMARKS.md, "Onboarding against its limits",
-- third round).
--
-- The reader of unsettled prospects (run_id = ? AND status IN ('PENDING', 'UNCERTAIN') ORDER BY id)
-- uses this index and skips the settled ones by their status: a restarted onboard step reads past the
-- prospects its run already settled once, where the partial index held only the unsettled ones.
DROP INDEX IF EXISTS onboarding.prospect_unsettled_idx;
CREATE INDEX prospect_run_idx ON onboarding.prospect (run_id, id);

-- A tenth of each new page left free for the next versions of its rows; pages already full keep their
-- rows as they are.
ALTER TABLE onboarding.prospect SET (fillfactor = 90);
