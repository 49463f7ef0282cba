-- Applications and everything the sync worker needs to deliver them.
-- Times are Unix milliseconds (UTC). Ids are UUIDv7 strings.

-- One row per application; `summary` is the masked JSON shown on the queue screen.
CREATE TABLE applications (
    id           TEXT PRIMARY KEY NOT NULL,
    kind         TEXT NOT NULL,
    profile      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'uploading', 'accepted',
                                               'verified', 'rejected', 'needs-action', 'purged')),
    summary      TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    -- When the platform first confirmed receipt; starts the retention clock.
    confirmed_at INTEGER
) STRICT;
CREATE INDEX applications_by_state ON applications (state, created_at);

-- The application payload. `sealing` says who can open `body`:
--   'draft'    plaintext JSON, protected only by the database key (drafts are deletable);
--   'local'    age-encrypted to this kiosk's local identity (not yet enrolled);
--   'platform' age-encrypted to the platform's recipient `recipient`.
CREATE TABLE payloads (
    application_id TEXT PRIMARY KEY NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    sealing        TEXT NOT NULL CHECK (sealing IN ('draft', 'local', 'platform')),
    recipient      TEXT,
    body           BLOB NOT NULL
) STRICT;

-- Attachments in the order handed in; a slot may take several files (the profile says how
-- many). Each is identified by the SHA-256 of its plaintext (the platform checks it after
-- decrypting); `body` is sealed like the payload.
CREATE TABLE attachments (
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL CHECK (position >= 0),
    slot           TEXT NOT NULL,
    sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
    media_type     TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sealing        TEXT NOT NULL CHECK (sealing IN ('draft', 'local', 'platform')),
    recipient      TEXT,
    body           BLOB NOT NULL,
    PRIMARY KEY (application_id, position)
) STRICT;

-- Applications waiting for delivery.
CREATE TABLE outbox (
    application_id  TEXT PRIMARY KEY NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT
) STRICT;
CREATE INDEX outbox_by_due ON outbox (next_attempt_at);

-- Status updates received from the platform, oldest first.
CREATE TABLE status_updates (
    id             INTEGER PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    state          TEXT NOT NULL,
    message        TEXT,
    received_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX status_updates_by_application ON status_updates (application_id, id);
