-- Reference data pushed by the platform (halls, service items, region codes, ...).
CREATE TABLE master_data (
    kind       TEXT NOT NULL,
    code       TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, code)
) STRICT;
