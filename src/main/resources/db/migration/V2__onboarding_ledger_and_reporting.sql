-- The ledger of onboarding (what was read, what became of it) and the reporting copy of the
-- platform's customers. A run is a Spring Batch job instance: restarts share its run_id.

CREATE SCHEMA onboarding;
CREATE SCHEMA reporting;

CREATE TABLE onboarding.run (
    run_id          BIGINT PRIMARY KEY,            -- BATCH_JOB_INSTANCE.JOB_INSTANCE_ID
    company_id      TEXT        NOT NULL,
    mode            TEXT        NOT NULL CHECK (mode IN ('LIVE', 'DRY_RUN')),
    input_location  TEXT        NOT NULL,
    input_checksum  TEXT,
    run_key         TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per prospect identity (third_server_code) per company: the idempotency ledger. Status
-- moves PENDING -> CREATED | EXISTS | REJECTED, or PENDING -> UNCERTAIN (a create whose answer
-- was lost) -> settled by a check. DRY_RUN rows live apart from LIVE ones so a dry run never
-- stands in a real run's way.
CREATE TABLE onboarding.prospect (
    id                   BIGSERIAL PRIMARY KEY,
    company_id           TEXT        NOT NULL,
    mode                 TEXT        NOT NULL CHECK (mode IN ('LIVE', 'DRY_RUN')),
    third_server_code    VARCHAR(50) NOT NULL,
    source_id            TEXT        NOT NULL,
    status               TEXT        NOT NULL
        CHECK (status IN ('PENDING', 'UNCERTAIN', 'CREATED', 'EXISTS', 'REJECTED', 'WOULD_CREATE')),
    customer_no          TEXT,
    phone_area           TEXT        NOT NULL,
    phone                TEXT        NOT NULL,
    email                TEXT,
    email_area           TEXT,
    country              CHAR(2)     NOT NULL,
    register_source      INTEGER     NOT NULL,
    customer_group_id    BIGINT      NOT NULL,
    trade_type_currency  TEXT,
    remark               TEXT,
    register_device      TEXT,
    utm_source           TEXT,
    utm_medium           TEXT,
    utm_campaign         TEXT,
    utm_content          TEXT,
    utm_term             TEXT,
    -- Only when the input carries the initial password (as MD5 hex); cleared once settled.
    pwd_md5              CHAR(32),
    run_id               BIGINT      NOT NULL,     -- the run that last staged it
    reason               TEXT,
    last_trace           TEXT,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT prospect_identity_uk UNIQUE (company_id, mode, third_server_code)
);

-- The onboard step's reader: this run's unsettled prospects, in id order.
CREATE INDEX prospect_unsettled_idx ON onboarding.prospect (run_id, id)
    WHERE status IN ('PENDING', 'UNCERTAIN');
CREATE INDEX prospect_phone_idx ON onboarding.prospect (company_id, phone_area, phone);

-- One row per input row per run, with its one outcome: REJECTED, DUPLICATE, ALREADY_ONBOARDED,
-- or PENDING until the onboard step records EXISTS, CREATED, REJECTED (or WOULD_CREATE in a dry run).
CREATE TABLE onboarding.input_row (
    run_id             BIGINT  NOT NULL REFERENCES onboarding.run (run_id),
    line_number        BIGINT  NOT NULL,
    source_id          TEXT,
    third_server_code  VARCHAR(50),
    outcome            TEXT    NOT NULL
        CHECK (outcome IN ('PENDING', 'REJECTED', 'DUPLICATE', 'ALREADY_ONBOARDED', 'EXISTS', 'CREATED',
                           'WOULD_CREATE')),
    reason             TEXT,
    duplicate_of       BIGINT,
    customer_no        TEXT,
    raw                TEXT[]  NOT NULL,
    PRIMARY KEY (run_id, line_number)
);
CREATE INDEX input_row_identity_idx ON onboarding.input_row (run_id, third_server_code);

-- Identities (third_server_code, phone, email) claimed by a line of a run: a later line with one
-- of them is a DUPLICATE of the claiming line.
CREATE TABLE onboarding.run_claim (
    run_id       BIGINT NOT NULL,
    claim_key    TEXT   NOT NULL,
    line_number  BIGINT NOT NULL,
    PRIMARY KEY (run_id, claim_key)
);

CREATE TABLE reporting.customer (
    customer_no                  TEXT PRIMARY KEY,
    id                           BIGINT,
    company_id                   BIGINT,
    agent_customer_no            TEXT,
    create_time                  TIMESTAMPTZ,
    update_time                  TIMESTAMPTZ,
    login_time                   TIMESTAMPTZ,
    first_account_activate_time  TIMESTAMPTZ,
    customer_group_id            BIGINT,
    customer_group_name          TEXT,
    customer_type                INTEGER,
    email                        TEXT,
    first_name                   TEXT,
    last_name                    TEXT,
    name                         TEXT,
    id_card                      TEXT,
    id_card_type                 TEXT,
    open_account_type            INTEGER,
    phone                        TEXT,
    phone_area                   TEXT,
    register_source              INTEGER,
    remark                       TEXT,
    status                       INTEGER,
    tg_user_id                   TEXT,
    tg_user_name                 TEXT,
    third_account_no             TEXT,
    third_login_source           TEXT,
    third_user_id                TEXT,
    unit_id                      BIGINT,
    unit_name                    TEXT,
    first_synced_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    changed_at                   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX customer_phone_idx ON reporting.customer (phone_area, phone);

CREATE TABLE reporting.customer_group (
    id                 BIGINT PRIMARY KEY,
    name               TEXT,
    open_account_type  INTEGER,
    type               INTEGER,
    trade_type         INTEGER,
    assets             TEXT,
    changed_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One summary per job execution (a restart adds its own).
CREATE TABLE reporting.run_summary (
    job_execution_id  BIGINT PRIMARY KEY,
    run_id            BIGINT      NOT NULL,
    company_id        TEXT        NOT NULL,
    mode              TEXT        NOT NULL,
    status            TEXT        NOT NULL,
    started_at        TIMESTAMPTZ NOT NULL,
    ended_at          TIMESTAMPTZ NOT NULL,
    rows_read         BIGINT      NOT NULL,
    accounts_created  BIGINT      NOT NULL,
    summary           JSONB       NOT NULL
);
