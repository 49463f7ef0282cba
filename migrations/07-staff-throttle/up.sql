-- Attempt throttles that survive a restart: staff sign-in (one row per SHA-256 of the typed
-- username, so unknown names are throttled exactly like real ones and no typed name is kept in
-- clear) and the visitor status lookup (one row for the kiosk).
CREATE TABLE throttle (
    key          TEXT PRIMARY KEY NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    window_start INTEGER NOT NULL DEFAULT 0,
    window_count INTEGER NOT NULL DEFAULT 0
) STRICT;
