-- What a run read its input with, kept with the run (issue 9): the intake settings it started with
-- (no secret among them), so that a resume or `runs restart` with other settings is refused rather
-- than mixing two readings of one input; and the input's header, so that `runs export` writes the
-- rejected rows from the database alone, once the input file is gone.
ALTER TABLE onboarding.run
    ADD COLUMN intake_settings JSONB,
    ADD COLUMN input_header    TEXT[];

-- A table row's key (intake.table.key-column, as text): what proves, at the end of staging, that
-- every row the source holds within the run's bounds was staged, even when rows were added behind
-- the reader while it read (issue 8). NULL for a file's rows.
ALTER TABLE onboarding.input_row ADD COLUMN source_key TEXT;
