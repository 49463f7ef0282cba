//! PostgreSQL for a province: a connection pool shared by this process's handlers, and the
//! same database shared by every replica.
//!
//! The handlers are synchronous code holding a transaction; each statement is handed to a
//! small runtime of this engine's own and waited for, so a handler never blocks inside the
//! pool's reactor. Write transactions take one transaction-scoped advisory lock first: all
//! writes across all replicas are serialised like SQLite's `BEGIN IMMEDIATE`, which keeps
//! check-then-insert steps (idempotent submissions, uniqueness, SMS attempts, rate counters)
//! exact and status cursors in commit order.

use std::future::Future;
use std::time::Duration;

use sqlx_core::column::Column as _;
use sqlx_core::row::Row as _;
use sqlx_core::transaction::Transaction;
use sqlx_core::type_info::TypeInfo as _;
use sqlx_postgres::{PgPool, PgPoolOptions, PgRow, Postgres};

use super::{Mode, Result, Row, Storage, StoreError, Tx, Value, run_on};

/// The key of the advisory lock every write transaction holds.
const WRITE_LOCK: i64 = 0x7442_0019;

/// The migrations, in order (`crates/platform/migrations/pg`).
const MIGRATIONS: [(i64, &str); 3] = [
    (1, include_str!("../../migrations/pg/0001_schema.sql")),
    (2, include_str!("../../migrations/pg/0002_edges_admins.sql")),
    (
        3,
        include_str!("../../migrations/pg/0003_personal_data.sql"),
    ),
];

/// A pool of PostgreSQL connections and the runtime that drives them.
pub struct PgStorage {
    pool: PgPool,
    bridge: super::Bridge,
}

impl std::fmt::Debug for PgStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStorage")
            .field("connections", &self.pool.size())
            .finish_non_exhaustive()
    }
}

fn pg_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Postgres(e.to_string())
}

impl PgStorage {
    /// Connects to `url` (`postgres://user:password@host:port/db`) with up to `max_connections`
    /// connections and applies the missing migrations.
    pub fn connect(url: &str, max_connections: u32) -> Result<Self> {
        Self::connect_at_version(url, max_connections, i64::MAX)
    }

    /// [`PgStorage::connect`] applying the migrations up to schema `version` only: upgrade
    /// tests seed a database as an older platformd left it.
    pub fn connect_at_version(url: &str, max_connections: u32, version: i64) -> Result<Self> {
        let bridge = super::Bridge::new("platform-pg", 2)?;
        let url = url.to_owned();
        let pool = bridge
            .run(async move {
                PgPoolOptions::new()
                    .max_connections(max_connections.max(1))
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(&url)
                    .await
            })?
            .map_err(pg_err)?;
        let storage = Self { pool, bridge };
        storage.migrate(version)?;
        Ok(storage)
    }

    /// Whether the database holds kiosks or submissions already (then a missing key file
    /// is an error, never a new key).
    pub fn has_data(&self) -> Result<bool> {
        let mut tx = self.begin(Mode::Read)?;
        let rows = tx.query_row(
            "SELECT (SELECT COUNT(*) FROM kiosks) + (SELECT COUNT(*) FROM submissions)",
            &[],
            |r| r.get::<i64>(0),
        )?;
        Ok(rows > 0)
    }

    /// Applies the migrations this database has not had (under the write lock, so replicas
    /// starting together migrate once).
    fn migrate(&self, up_to: i64) -> Result<()> {
        self.bridge
            .run(migrate_all(self.pool.clone(), up_to))?
            .map_err(pg_err)
    }
}

/// Takes the write lock in `tx`.
async fn write_lock(
    tx: &mut Transaction<'static, Postgres>,
) -> std::result::Result<(), sqlx_core::Error> {
    sqlx_core::query::query::<Postgres>("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITE_LOCK)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// See [`PgStorage::migrate`].
async fn migrate_all(pool: PgPool, up_to: i64) -> std::result::Result<(), sqlx_core::Error> {
    let mut tx = pool.begin().await?;
    write_lock(&mut tx).await?;
    sqlx_core::query::query::<Postgres>(
        "CREATE TABLE IF NOT EXISTS platform_migrations (
            version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )
    .execute(&mut *tx)
    .await?;
    let done: Option<i64> = sqlx_core::query_scalar::query_scalar::<Postgres, Option<i64>>(
        "SELECT MAX(version) FROM platform_migrations",
    )
    .fetch_one(&mut *tx)
    .await?;
    for (version, sql) in MIGRATIONS {
        if version <= done.unwrap_or(0) || version > up_to {
            continue;
        }
        for statement in statements(sql) {
            sqlx_core::query::query::<Postgres>(statement)
                .execute(&mut *tx)
                .await?;
        }
        sqlx_core::query::query::<Postgres>(
            "INSERT INTO platform_migrations (version) VALUES ($1)",
        )
        .bind(version)
        .execute(&mut *tx)
        .await?;
        log::info!("postgres schema migrated to version {version}");
    }
    tx.commit().await
}

/// The statements of a migration file (`;` at a line's end separates them; `--` lines are
/// comments).
fn statements(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(";\n").map(str::trim).filter(|s| {
        s.lines()
            .any(|line| !line.trim().is_empty() && !line.trim_start().starts_with("--"))
    })
}

/// Opens a transaction (with the write lock for [`Mode::Write`]).
async fn begin_tx(
    pool: PgPool,
    mode: Mode,
) -> std::result::Result<Transaction<'static, Postgres>, sqlx_core::Error> {
    let mut tx = pool.begin().await?;
    if mode == Mode::Write {
        write_lock(&mut tx).await?;
    }
    Ok(tx)
}

/// Runs one statement.
async fn execute_in(
    mut tx: Transaction<'static, Postgres>,
    sql: String,
    params: Vec<Value>,
) -> (
    Transaction<'static, Postgres>,
    std::result::Result<usize, sqlx_core::Error>,
) {
    let result = bind_all(sqlx_core::query::query::<Postgres>(&sql), params)
        .execute(&mut *tx)
        .await
        .map(|done| usize::try_from(done.rows_affected()).unwrap_or(usize::MAX));
    (tx, result)
}

/// Runs one query.
async fn query_in(
    mut tx: Transaction<'static, Postgres>,
    sql: String,
    params: Vec<Value>,
) -> (
    Transaction<'static, Postgres>,
    std::result::Result<Vec<Row>, sqlx_core::Error>,
) {
    let result = bind_all(sqlx_core::query::query::<Postgres>(&sql), params)
        .fetch_all(&mut *tx)
        .await
        .and_then(|rows| rows.iter().map(read_row).collect());
    (tx, result)
}

impl Storage for PgStorage {
    fn begin(&self, mode: Mode) -> Result<Box<dyn Tx + '_>> {
        let tx = self
            .bridge
            .run(begin_tx(self.pool.clone(), mode))?
            .map_err(pg_err)?;
        Ok(Box::new(PgTx {
            handle: self.bridge.handle().clone(),
            tx: Some(tx),
        }))
    }

    fn engine(&self) -> &'static str {
        "postgres"
    }

    /// `VACUUM FULL` of the tables whose rows were rewritten: new table files without the
    /// old row versions (the old files are unlinked). Backups and WAL archives made before
    /// keep what they hold (docs/platform.md).
    fn scrub(&self) -> Result<()> {
        let pool = self.pool.clone();
        self.bridge
            .run(async move {
                sqlx_core::query::query::<Postgres>(
                    "VACUUM FULL submissions, status_events, registry, sms_codes, sms_tokens,
                        submission_mobiles",
                )
                .execute(&pool)
                .await
                .map(|_| ())
            })?
            .map_err(pg_err)
    }
}

/// `?N` placeholders (the shared dialect) as PostgreSQL's `$N`.
pub fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    for c in sql.chars() {
        if c == '\'' {
            quoted = !quoted;
        }
        out.push(if c == '?' && !quoted { '$' } else { c });
    }
    out
}

struct PgTx {
    handle: tokio::runtime::Handle,
    tx: Option<Transaction<'static, Postgres>>,
}

fn bind_all<'q>(
    mut query: sqlx_core::query::Query<'q, Postgres, sqlx_postgres::PgArguments>,
    params: Vec<Value>,
) -> sqlx_core::query::Query<'q, Postgres, sqlx_postgres::PgArguments> {
    for p in params {
        query = match p {
            Value::Int(v) => query.bind(v),
            Value::Text(v) => query.bind(v),
            Value::Blob(v) => query.bind(v),
        };
    }
    query
}

fn read_row(row: &PgRow) -> std::result::Result<Row, sqlx_core::Error> {
    let mut values = Vec::with_capacity(row.columns().len());
    for (index, column) in row.columns().iter().enumerate() {
        let value = match column.type_info().name() {
            "INT8" => Value::Int(row.try_get::<Option<i64>, _>(index)?),
            "INT4" => Value::Int(row.try_get::<Option<i32>, _>(index)?.map(i64::from)),
            "INT2" => Value::Int(row.try_get::<Option<i16>, _>(index)?.map(i64::from)),
            "BOOL" => Value::Int(row.try_get::<Option<bool>, _>(index)?.map(i64::from)),
            "BYTEA" => Value::Blob(row.try_get::<Option<Vec<u8>>, _>(index)?),
            _ => Value::Text(row.try_get::<Option<String>, _>(index)?),
        };
        values.push(value);
    }
    Ok(Row(values))
}

impl PgTx {
    fn with_tx<T, F, Fut>(&mut self, work: F) -> Result<T>
    where
        F: FnOnce(Transaction<'static, Postgres>) -> Fut,
        Fut: Future<
                Output = (
                    Transaction<'static, Postgres>,
                    std::result::Result<T, sqlx_core::Error>,
                ),
            > + Send
            + 'static,
        T: Send + 'static,
    {
        let tx = self
            .tx
            .take()
            .ok_or_else(|| StoreError::Postgres("transaction already failed".into()))?;
        let (tx, result) = run_on(&self.handle, work(tx))?;
        self.tx = Some(tx);
        result.map_err(pg_err)
    }
}

impl Tx for PgTx {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize> {
        let sql = placeholders(sql);
        let params = params.to_vec();
        self.with_tx(move |tx| execute_in(tx, sql, params))
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let sql = placeholders(sql);
        let params = params.to_vec();
        self.with_tx(move |tx| query_in(tx, sql, params))
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        let tx = self
            .tx
            .take()
            .ok_or_else(|| StoreError::Postgres("transaction already failed".into()))?;
        run_on(&self.handle, tx.commit())?.map_err(pg_err)
    }
}

impl Drop for PgTx {
    fn drop(&mut self) {
        if let Some(tx) = self.tx.take() {
            // Rolled back on the engine's runtime (the connection goes back to the pool there).
            self.handle.spawn(async move {
                if let Err(e) = tx.rollback().await {
                    log::warn!("rollback failed: {e}");
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migration_splits_into_statements() {
        let all: Vec<&str> = statements(MIGRATIONS[0].1).collect();
        assert!(all.len() > 15, "{}", all.len());
        assert!(all.iter().all(|s| !s.trim_end().ends_with(';')));
    }

    #[test]
    fn placeholders_become_dollar_numbers_outside_quotes() {
        assert_eq!(
            placeholders("SELECT a FROM t WHERE b = ?1 AND c = '?' AND d = ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $12"
        );
    }
}
