-- Key/value settings of this kiosk (name, mode, hall, retention days, ...).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
