-- Staging near COPY (issue 13): an index every staged prospect pays for and no query uses.
--
-- prospect_phone_idx cost about a quarter of the time of inserting a run's prospects (98,000 rows set-based
-- on PostgreSQL 15: 1.13 s with it, 0.80 s without). Every query that compares a prospect's phone finds
-- the prospect by other columns first and the customer by reporting.customer's customer_phone_idx
-- (the reconciliation's inferred creations and LedgerLinks' EXISTS links), or compares it inside an OR
-- with other tables' columns, which no index of prospect serves (runs find).
DROP INDEX IF EXISTS onboarding.prospect_phone_idx;
