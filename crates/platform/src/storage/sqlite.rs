//! The embedded default: one SQLite file (see [`crate::db`] for its migrations and modes).

use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;
use rusqlite::types::{ToSqlOutput, ValueRef};

use super::{Mode, Result, Row, Storage, StoreError, Tx, Value};

/// One SQLite connection behind a mutex: SQLite has one writer anyway, and every
/// transaction here is short and never held across an `.await`.
#[derive(Debug)]
pub struct SqliteStorage {
    conn: Mutex<Connection>,
}

impl SqliteStorage {
    /// Wraps an opened, migrated connection ([`crate::db::open`]).
    pub fn new(conn: Connection) -> Self {
        Self {
            conn: Mutex::new(conn),
        }
    }
}

impl SqliteStorage {
    /// A private in-memory database at the current schema (for tests).
    pub fn in_memory(secret: &[u8]) -> Result<Self> {
        let mut conn = Connection::open_in_memory()?;
        crate::db::migrate(&mut conn, secret).map_err(|e| match e {
            crate::db::OpenError::Sqlite(e) => StoreError::Sqlite(e),
            crate::db::OpenError::Permissions(e) => StoreError::Io(e),
            crate::db::OpenError::Storage(e) => e,
        })?;
        Ok(Self::new(conn))
    }
}

impl Storage for SqliteStorage {
    fn begin(&self, mode: Mode) -> Result<Box<dyn Tx + '_>> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| StoreError::Type("database lock poisoned".into()))?;
        conn.execute_batch(match mode {
            Mode::Read => "BEGIN DEFERRED",
            Mode::Write | Mode::Atomic => "BEGIN IMMEDIATE",
        })?;
        Ok(Box::new(SqliteTx { conn, open: true }))
    }

    fn engine(&self) -> &'static str {
        "sqlite"
    }

    /// `VACUUM` (a fresh copy of the database without free pages) and a truncating WAL
    /// checkpoint (the WAL's frames, old page images included, are gone).
    fn scrub(&self) -> Result<()> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| StoreError::Type("database lock poisoned".into()))?;
        conn.execute_batch("VACUUM")?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

struct SqliteTx<'a> {
    conn: MutexGuard<'a, Connection>,
    open: bool,
}

struct Param<'v>(&'v Value);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::Int(Some(v)) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Text(Some(v)) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Value::Blob(Some(v)) => ToSqlOutput::Borrowed(ValueRef::Blob(v)),
            Value::Int(None) | Value::Text(None) | Value::Blob(None) => {
                ToSqlOutput::Borrowed(ValueRef::Null)
            }
        })
    }
}

fn read_value(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Int(None),
        ValueRef::Integer(v) => Value::Int(Some(v)),
        // No REAL columns in the schema; a float would be a bug, kept as its text.
        ValueRef::Real(v) => Value::Text(Some(v.to_string())),
        ValueRef::Text(v) => Value::Text(Some(String::from_utf8_lossy(v).into_owned())),
        ValueRef::Blob(v) => Value::Blob(Some(v.to_vec())),
    }
}

fn execute_on(conn: &Connection, sql: &str, params: &[Value]) -> Result<usize> {
    let mut stmt = conn.prepare_cached(sql)?;
    let params: Vec<Param<'_>> = params.iter().map(Param).collect();
    Ok(stmt.execute(rusqlite::params_from_iter(params.iter()))?)
}

fn query_on(conn: &Connection, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
    {
        let mut stmt = conn.prepare_cached(sql)?;
        let columns = stmt.column_count();
        let params: Vec<Param<'_>> = params.iter().map(Param).collect();
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for index in 0..columns {
                values.push(read_value(row.get_ref(index)?));
            }
            out.push(Row(values));
        }
        Ok(out)
    }
}

/// A transaction the caller already holds on a connection (a migration step): statements
/// only; committing is the caller's.
#[derive(Debug)]
pub struct Borrowed<'a>(pub &'a Connection);

impl Tx for Borrowed<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize> {
        execute_on(self.0, sql, params)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        query_on(self.0, sql, params)
    }

    fn commit(self: Box<Self>) -> Result<()> {
        Ok(())
    }
}

impl Tx for SqliteTx<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize> {
        execute_on(&self.conn, sql, params)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        query_on(&self.conn, sql, params)
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        self.open = false;
        Ok(())
    }
}

impl Drop for SqliteTx<'_> {
    fn drop(&mut self) {
        if self.open
            && let Err(e) = self.conn.execute_batch("ROLLBACK")
        {
            log::warn!("rollback failed: {e}");
        }
    }
}
