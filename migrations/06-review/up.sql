-- Supervisor review and offline export.

-- One row per application the review policy held back. While `status` is 'pending' or
-- 'returned' the outbox does not send the application; 'approved' releases it.
-- `reason` (returned) and `remarks` (approved) are the supervisor's words for the operator.
CREATE TABLE reviews (
    application_id TEXT PRIMARY KEY NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'returned')),
    requested_at   INTEGER NOT NULL,
    decided_by     TEXT,
    decided_at     INTEGER,
    remarks        TEXT,
    reason         TEXT
) STRICT;
CREATE INDEX reviews_by_status ON reviews (status, requested_at);

-- Applications written to an offline bundle (removable media). An exported application stays
-- in the outbox until the platform confirms it (status feed or upload receipt).
CREATE TABLE exports (
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    bundle         TEXT NOT NULL,
    exported_at    INTEGER NOT NULL,
    PRIMARY KEY (application_id, bundle)
) STRICT;
