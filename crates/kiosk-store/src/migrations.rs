//! The schema migrations in `migrations/NN-name/up.sql`, compiled into the binary.

use include_dir::{Dir, include_dir};
use rusqlite::Connection;
use rusqlite_migration::{Migrations, SchemaVersion};

use crate::StoreError;

static MIGRATIONS_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../migrations");

/// All migrations, oldest first.
pub fn migrations() -> Result<Migrations<'static>, StoreError> {
    Ok(Migrations::from_directory(&MIGRATIONS_DIR)?)
}

/// Number of migrations this build knows (the newest schema version).
pub fn latest_version() -> usize {
    MIGRATIONS_DIR.dirs().count()
}

/// Schema version of `conn`: 0 for an empty database.
pub fn current_version(conn: &Connection) -> Result<usize, StoreError> {
    match migrations()?.current_version(conn)? {
        SchemaVersion::NoneSet => Ok(0),
        SchemaVersion::Inside(v) | SchemaVersion::Outside(v) => Ok(v.get()),
    }
}

/// Brings `conn` to the newest schema, refusing a database from newer software.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found = current_version(conn)?;
    let known = latest_version();
    if found > known {
        return Err(StoreError::SchemaTooNew { found, known });
    }
    migrations()?.to_latest(conn)?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_numbered_without_gaps() {
        migrations().unwrap().validate().unwrap();
        let mut names: Vec<_> = MIGRATIONS_DIR
            .dirs()
            .map(|d| d.path().display().to_string())
            .collect();
        names.sort();
        for (i, name) in names.iter().enumerate() {
            assert!(
                name.starts_with(&format!("{:02}-", i + 1)),
                "migration {name} out of order"
            );
        }
        assert_eq!(latest_version(), names.len());
    }
}
