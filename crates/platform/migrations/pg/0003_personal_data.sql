-- platformd on PostgreSQL, schema version 3: personal data at rest, as SQLite migration 5
-- (SCHEMA_V5 in crates/platform/src/db.rs; see crates/platform/src/pii.rs). Columns that held
-- personal values in plaintext now hold a blind index (HMAC-SHA256, hex) or an age-sealed
-- value; the rows of a database from before are converted by platformd on start (once,
-- recorded in platform_upgrades).
ALTER TABLE registry RENAME COLUMN value TO value_index;
ALTER TABLE sms_codes RENAME COLUMN phone TO phone_index;
ALTER TABLE sms_tokens RENAME COLUMN phone TO phone_index;
ALTER TABLE submission_mobiles RENAME COLUMN phone TO phone_sealed;
CREATE TABLE platform_upgrades (
    name TEXT PRIMARY KEY,
    done_at BIGINT NOT NULL
);
