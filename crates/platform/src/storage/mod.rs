//! Where the platform keeps its state: one [`Storage`] trait, two engines.
//!
//! - [`sqlite::SqliteStorage`]: the embedded default (one hall, development): one SQLite file
//!   in the data directory, WAL with `synchronous=FULL`, owner-only files.
//! - [`postgres::PgStorage`]: PostgreSQL for a province; any number of `platformd` replicas
//!   share it, so nothing that matters lives in process memory.
//!
//! Handlers speak one small SQL dialect that both engines accept (`?N` placeholders,
//! `INSERT … ON CONFLICT`, `RETURNING`); the PostgreSQL engine rewrites the placeholders.
//! Every piece of work runs in a transaction ([`Mode::Write`] ones are serialised: SQLite's
//! `BEGIN IMMEDIATE`, a transaction-scoped advisory lock on PostgreSQL), so two replicas
//! racing on the same submission keep exactly one.

pub mod objects;
pub mod postgres;
pub mod sqlite;

/// A typed SQL value (typed also when NULL: PostgreSQL wants to know a parameter's type).
#[derive(Clone, PartialEq, Eq)]
pub enum Value {
    /// A 64-bit integer (booleans are 0/1).
    Int(Option<i64>),
    /// UTF-8 text.
    Text(Option<String>),
    /// Bytes.
    Blob(Option<Vec<u8>>),
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values can be personal data: only their kind is printed.
        match self {
            Value::Int(_) => f.write_str("Int(..)"),
            Value::Text(_) => f.write_str("Text(..)"),
            Value::Blob(_) => f.write_str("Blob(..)"),
        }
    }
}

impl Value {
    fn is_null(&self) -> bool {
        matches!(
            self,
            Value::Int(None) | Value::Text(None) | Value::Blob(None)
        )
    }
}

/// Turns a Rust value into a SQL parameter (see [`sql_params!`](crate::sql_params)).
pub trait ToValue {
    /// The value.
    fn to_value(&self) -> Value;
    /// NULL of this type.
    fn null() -> Value
    where
        Self: Sized;
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(Some(i64::try_from(*self).unwrap_or(i64::MAX)))
            }
            fn null() -> Value {
                Value::Int(None)
            }
        }
    )*};
}
int_to_value!(i64, i32, u32, u64, usize);

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(Some(i64::from(*self)))
    }
    fn null() -> Value {
        Value::Int(None)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(Some(self.to_owned()))
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(Some(self.clone()))
    }
    fn null() -> Value {
        Value::Text(None)
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(Some(self.to_vec()))
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(Some(self.clone()))
    }
    fn null() -> Value {
        Value::Blob(None)
    }
}

impl<T: ToValue> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
    fn null() -> Value {
        T::null()
    }
}

impl ToValue for &str {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
    fn null() -> Value {
        Value::Text(None)
    }
}

impl ToValue for &[u8] {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
    fn null() -> Value {
        Value::Blob(None)
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => T::null(),
        }
    }
    fn null() -> Value {
        T::null()
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
    fn null() -> Value {
        Value::Text(None)
    }
}

/// Builds a `&[Value]` parameter list: `sql_params![id, now, maybe_text]`.
#[macro_export]
macro_rules! sql_params {
    ($($p:expr),* $(,)?) => {
        &[$($crate::storage::ToValue::to_value(&$p)),*][..]
    };
}

/// One result row.
#[derive(Debug, Clone)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Column `index` as `T`.
    pub fn get<T: FromValue>(&self, index: usize) -> Result<T> {
        let value = self
            .0
            .get(index)
            .ok_or_else(|| StoreError::Type(format!("no column {index}")))?;
        T::from_value(value)
    }
}

/// Reads a Rust value out of a SQL value.
pub trait FromValue: Sized {
    /// The value, or a type error.
    fn from_value(value: &Value) -> Result<Self>;
}

fn type_error(want: &str, got: &Value) -> StoreError {
    StoreError::Type(format!("wanted {want}, found {got:?}"))
}

impl FromValue for i64 {
    fn from_value(value: &Value) -> Result<Self> {
        match value {
            Value::Int(Some(v)) => Ok(*v),
            other => Err(type_error("integer", other)),
        }
    }
}

impl FromValue for u64 {
    fn from_value(value: &Value) -> Result<Self> {
        let v = i64::from_value(value)?;
        u64::try_from(v).map_err(|_| type_error("non-negative integer", value))
    }
}

impl FromValue for bool {
    fn from_value(value: &Value) -> Result<Self> {
        Ok(i64::from_value(value)? != 0)
    }
}

impl FromValue for String {
    fn from_value(value: &Value) -> Result<Self> {
        match value {
            Value::Text(Some(v)) => Ok(v.clone()),
            Value::Blob(Some(v)) => {
                String::from_utf8(v.clone()).map_err(|_| type_error("text", value))
            }
            other => Err(type_error("text", other)),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: &Value) -> Result<Self> {
        match value {
            Value::Blob(Some(v)) => Ok(v.clone()),
            Value::Text(Some(v)) => Ok(v.as_bytes().to_vec()),
            other => Err(type_error("bytes", other)),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Result<Self> {
        if value.is_null() {
            Ok(None)
        } else {
            T::from_value(value).map(Some)
        }
    }
}

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL refused (or could not be reached).
    #[error("postgres: {0}")]
    Postgres(String),
    /// A query that must return a row returned none.
    #[error("no rows")]
    NoRows,
    /// A column did not have the expected type.
    #[error("column type: {0}")]
    Type(String),
    /// The object store refused.
    #[error("object store: {0}")]
    Objects(String),
    /// Local file work failed.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

/// Storage results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// `.optional()`: a missing row as `None` (like rusqlite's `OptionalExtension`).
pub trait OptionalRow<T> {
    /// `Ok(None)` for [`StoreError::NoRows`].
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalRow<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// What a transaction may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Reads only (never blocks writers on either engine).
    Read,
    /// Reads and writes, serialised with every other write transaction (across replicas).
    Write,
    /// Writes each atomic on its own (an insert that ignores a conflict, an upsert) that
    /// need no order with other writes: not serialised on PostgreSQL (`BEGIN IMMEDIATE` on
    /// SQLite, which has one writer anyway). Never for status events or check-then-write.
    Atomic,
}

/// One open transaction. Dropped without [`Tx::commit`], it rolls back.
pub trait Tx {
    /// Runs a statement; returns the number of rows changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize>;
    /// Runs a query; returns every row.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;
    /// Commits.
    fn commit(self: Box<Self>) -> Result<()>;
}

impl dyn Tx + '_ {
    /// The first row mapped by `map`, or [`StoreError::NoRows`].
    pub fn query_row<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        map: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        let rows = self.query(sql, params)?;
        rows.first().map_or(Err(StoreError::NoRows), map)
    }

    /// Every row mapped by `map`.
    pub fn query_map<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        map: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.query(sql, params)?.iter().map(map).collect()
    }
}

/// A database engine the platform can keep its state in.
pub trait Storage: Send + Sync + std::fmt::Debug {
    /// Opens a transaction.
    fn begin(&self, mode: Mode) -> Result<Box<dyn Tx + '_>>;
    /// `"sqlite"` or `"postgres"` (for logs and the status page).
    fn engine(&self) -> &'static str;

    /// Removes what rewritten rows left behind on disk (old versions of rows, freed pages),
    /// after personal data was sealed in place ([`crate::pii`]). Default: nothing.
    fn scrub(&self) -> Result<()> {
        Ok(())
    }
}

/// Which engine to open, from `--database`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `<data-dir>/platform.db` (no flag, or `sqlite:` / a file path).
    Sqlite(Option<std::path::PathBuf>),
    /// `postgres://user:password@host:port/db`.
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A PostgreSQL URL may carry a password.
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "Sqlite({path:?})"),
            DatabaseUrl::Postgres(_) => f.write_str("Postgres(..)"),
        }
    }
}

impl DatabaseUrl {
    /// Parses `--database`: `postgres://…`/`postgresql://…`, `sqlite:PATH`, or a file path.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            DatabaseUrl::Postgres(text.to_owned())
        } else if let Some(path) = text.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//");
            DatabaseUrl::Sqlite((!path.is_empty()).then(|| path.into()))
        } else if text.is_empty() {
            DatabaseUrl::Sqlite(None)
        } else {
            DatabaseUrl::Sqlite(Some(text.into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_pick_the_engine() {
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@127.0.0.1:5432/x"),
            DatabaseUrl::Postgres("postgres://u:p@127.0.0.1:5432/x".into())
        );
        assert_eq!(DatabaseUrl::parse(""), DatabaseUrl::Sqlite(None));
        assert_eq!(
            DatabaseUrl::parse("sqlite:/tmp/p.db"),
            DatabaseUrl::Sqlite(Some("/tmp/p.db".into()))
        );
        assert!(!format!("{:?}", DatabaseUrl::parse("postgres://u:secret@h/x")).contains("secret"));
    }

    #[test]
    fn typed_nulls_and_values() {
        let none: Option<&str> = None;
        let p = crate::sql_params![1i64, "a", none, Some(2i64), true];
        assert_eq!(p[2], Value::Text(None));
        assert_eq!(p[4], Value::Int(Some(1)));
        let row = Row(p.to_vec());
        assert_eq!(row.get::<Option<String>>(2).unwrap(), None);
        assert_eq!(row.get::<String>(1).unwrap(), "a");
        assert!(row.get::<i64>(1).is_err(), "text is not an integer");
    }
}

/// Runs `fut` on `handle` (a runtime of the storage's own) and waits for it on this thread:
/// how synchronous handler code uses the async PostgreSQL and object-store clients, from any
/// thread (also from inside another runtime, where `block_on` would panic).
pub(crate) fn run_on<F, T>(handle: &tokio::runtime::Handle, fut: F) -> Result<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    handle.spawn(async move {
        let _ = tx.send(fut.await);
    });
    rx.recv()
        .map_err(|_| StoreError::Postgres("the storage runtime stopped".into()))
}

/// A small runtime owned by a storage engine; shut down without blocking when dropped.
#[derive(Debug)]
pub(crate) struct Bridge {
    runtime: Option<tokio::runtime::Runtime>,
    handle: tokio::runtime::Handle,
}

impl Bridge {
    /// A runtime with `threads` workers named `name`.
    pub(crate) fn new(name: &str, threads: usize) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name(name)
            .enable_all()
            .build()?;
        let handle = runtime.handle().clone();
        Ok(Self {
            runtime: Some(runtime),
            handle,
        })
    }

    /// See [`run_on`].
    pub(crate) fn run<F, T>(&self, fut: F) -> Result<T>
    where
        F: std::future::Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        run_on(&self.handle, fut)
    }

    /// The runtime's handle.
    pub(crate) fn handle(&self) -> &tokio::runtime::Handle {
        &self.handle
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
