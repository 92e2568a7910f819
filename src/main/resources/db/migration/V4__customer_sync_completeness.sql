-- A reporting copy that is complete and says what it no longer finds (issue 12).

-- When a completed full sync first did not find the customer on the platform (closed and removed,
-- or deleted): the row is kept, marked, never deleted; NULL while the platform lists it. A customer
-- found again is unmarked.
ALTER TABLE reporting.customer ADD COLUMN missing_since TIMESTAMPTZ;
CREATE INDEX customer_missing_idx ON reporting.customer (missing_since) WHERE missing_since IS NOT NULL;

-- Every completed sync, FULL or INCREMENTAL: when it ran, how many customers it found and (a full
-- sync) marked missing, and the point up to which it is complete (every customer at or older than
-- this one in the platform's list order: createTime desc, id desc). A customer not marked missing
-- was last seen by the latest FULL one; an incremental sync reads only customers newer than the
-- last point, and sees neither changes to older ones nor deletions.
CREATE TABLE reporting.customer_sync (
    job_execution_id          BIGINT PRIMARY KEY,
    company_id                TEXT        NOT NULL,
    kind                      TEXT        NOT NULL CHECK (kind IN ('FULL', 'INCREMENTAL')),
    started_at                TIMESTAMPTZ NOT NULL,
    completed_at              TIMESTAMPTZ NOT NULL,
    customers                 BIGINT      NOT NULL,
    missing                   BIGINT      NOT NULL,
    newly_missing             BIGINT      NOT NULL,
    passes                    INTEGER     NOT NULL,
    complete_up_to            TEXT,
    complete_up_to_time       TIMESTAMPTZ
);

-- The customers a pass of a full sync has found, by pass (the step execution that began it):
-- what a completed pass compares reporting.customer with. Unlogged: it holds nothing that is not
-- read again from the platform, and writes no WAL; a crash of the database empties it, which the
-- pass notices by its count and answers by reading the list again.
CREATE UNLOGGED TABLE reporting.customer_seen (
    pass_id      BIGINT NOT NULL,
    customer_no  TEXT   NOT NULL,
    PRIMARY KEY (pass_id, customer_no)
);

-- The passes under way, by company: a pass that begins forgets the company's others, which a run
-- given up (runs abandon) or never resumed left behind (one sync of a company runs at a time, under
-- its run lock; a resumed one that finds its rows gone begins again).
CREATE TABLE reporting.customer_sync_pass (
    pass_id     BIGINT PRIMARY KEY,
    company_id  TEXT        NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Groups by trade type (issue 12): groupList is asked once per trade type the platform has
-- (onboarding.sync-trade-types), and a group is kept per trade type; 0 when the platform names none.
UPDATE reporting.customer_group SET trade_type = 0 WHERE trade_type IS NULL;
ALTER TABLE reporting.customer_group
    ALTER COLUMN trade_type SET NOT NULL,
    DROP CONSTRAINT customer_group_pkey,
    ADD PRIMARY KEY (trade_type, id);

-- Customers' details (issue 12): for each type of onboarding.sync-detail-types, the platform's
-- detail answer whole (jsonb) and, as columns, what reports filter on. A customer written by a sync
-- (new or changed) is due for its details again (detail_due), which syncCustomerDetailsStep clears.
ALTER TABLE reporting.customer ADD COLUMN detail_due BOOLEAN NOT NULL DEFAULT true;
CREATE INDEX customer_detail_due_idx ON reporting.customer (customer_no) WHERE detail_due;
CREATE TABLE reporting.customer_detail (
    customer_no        TEXT        NOT NULL,
    type               TEXT        NOT NULL,
    status             INTEGER,
    kyc_status         INTEGER,
    kyc_audit_status   INTEGER,
    activate_status    INTEGER,
    activate_time      TIMESTAMPTZ,
    third_server_code  TEXT,
    detail             JSONB       NOT NULL,
    first_synced_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    changed_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_no, type)
);
CREATE INDEX customer_detail_kyc_idx ON reporting.customer_detail (type, kyc_status);
