//! `platformd`: the reference implementation of the Tongban central platform (protocol v1).
//!
//! Kiosks enrol with a one-time code, then sign every request with their Ed25519 key. They
//! upload age-sealed attachments (content-addressed by the SHA-256 of the plaintext), then
//! post each sealed submission under its application UUID (idempotent), and read verdicts
//! back from a per-kiosk status feed. Visitors verify their mobile by SMS (now or later) and
//! look their applications up from any kiosk by receipt code. See `docs/protocol.md` for the
//! wire contract.
//!
//! May import: china-clock. No kiosk crate: the kiosk and the platform share only the wire
//! contract (`docs/protocol.md`, `docs/openapi.json`).
#![deny(missing_docs)]

pub mod access_log;
pub mod admin;
pub mod admins;
pub mod answer_signing;
pub mod audit_anchor;
pub mod auth;
pub mod blobs;
pub mod checks;
pub mod clock;
pub mod db;
pub mod edges;
pub mod enrol;
pub mod error;
pub mod fleet;
pub mod identity;
pub mod import;
pub mod lookup;
pub mod master;
pub mod metrics;
pub mod mobile;
pub mod openapi;
pub mod phone;
pub mod pii;
pub mod rate_limit;
pub mod receipt;
pub mod routes;
pub mod serving;
pub mod sms;
pub mod status;
pub mod storage;
pub mod submissions;
pub mod tls;
pub mod uniqueness;
pub mod updates;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use age::secrecy::ExposeSecret;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::ApiError;

/// Largest JSON request body, bytes.
pub const JSON_LIMIT: usize = 1024 * 1024;
/// Largest blob chunk in one `PUT`, bytes.
pub const BLOB_CHUNK_LIMIT: usize = 8 * 1024 * 1024;
/// Largest sealed blob in total, bytes.
pub const BLOB_TOTAL_LIMIT: u64 = 64 * 1024 * 1024;

/// How the platform is set up.
#[derive(Debug, Clone)]
pub struct PlatformConfig {
    /// Where the database, keys, blobs, master data and update files live.
    pub data_dir: PathBuf,
}

/// Which storage engines the platform runs on (default: SQLite and files in the data
/// directory). See `docs/platform.md`.
#[derive(Debug, Clone)]
pub struct StorageConfig {
    /// `--database`.
    pub database: storage::DatabaseUrl,
    /// `--blobs`.
    pub blobs: storage::objects::BlobsUrl,
    /// How to reach an S3-compatible blob store.
    pub s3: storage::objects::S3Settings,
    /// PostgreSQL pool size per process.
    pub max_connections: u32,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            database: storage::DatabaseUrl::Sqlite(None),
            blobs: storage::objects::BlobsUrl::Local(None),
            s3: storage::objects::S3Settings::default(),
            max_connections: 16,
        }
    }
}

/// Tunable behaviour, with defaults; change with the `with_*` methods of [`Platform`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlatformSettings {
    /// When the (simulated) population database answers real-name checks.
    pub population_hours: checks::ServiceHours,
    /// How long a verify-later code is valid, ms (72 hours by default).
    pub verify_later_validity_ms: i64,
    /// Body caps, deadlines and rate limits at the HTTP edge.
    pub edge: edges::EdgeSettings,
}

impl Default for PlatformSettings {
    fn default() -> Self {
        Self {
            population_hours: checks::ServiceHours::default(),
            verify_later_validity_ms: sms::DEFAULT_VERIFY_LATER_VALIDITY_MS,
            edge: edges::EdgeSettings::default(),
        }
    }
}

/// The running platform: database, keys and clock. Shared by all request handlers.
pub struct Platform {
    store: Box<dyn storage::Storage>,
    blob_store: storage::objects::BlobStore,
    data_dir: PathBuf,
    identity: age::x25519::Identity,
    /// Keys the blind indexes of personal values ([`pii::BlindKey`], derived from `identity`).
    blind_key: pii::BlindKey,
    recipient: String,
    recipient_key: age::x25519::Recipient,
    signing: identity::SigningIdentity,
    key_chain: Vec<identity::KeyLink>,
    clock: Arc<dyn Clock>,
    sms: Arc<dyn sms::SmsProvider>,
    settings: PlatformSettings,
    /// Keys the hashes of SMS codes and lookup keys (`<data-dir>/platform-secret`).
    secret: Vec<u8>,
    persons: Vec<checks::TestPerson>,
    admin_token: String,
    blob_locks: blobs::BlobLocks,
    metrics: metrics::Metrics,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    trusted_proxies: Vec<std::net::IpAddr>,
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform")
            .field("data_dir", &self.data_dir)
            .field("recipient", &self.recipient)
            .field("signing", &self.signing)
            .field("database", &self.store.engine())
            .field("blobs", &self.blob_store.kind())
            .field("sms", &self.sms.name())
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Why the platform could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A file in the data directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The database could not be opened or migrated.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// The storage (PostgreSQL, the blob store) could not be reached or migrated.
    #[error("storage: {0}")]
    Storage(#[from] storage::StoreError),
    /// The database file could not be made owner-only.
    #[error("database: {0}")]
    DatabaseOpen(#[from] db::OpenError),
    /// A key or fixture file is malformed.
    #[error("{0}")]
    Malformed(String),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StartError + '_ {
    move |source| StartError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `bytes` to a new file readable only by its owner.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Reads a one-line secret file, creating it with `make` on first use.
fn load_or_create(
    path: &Path,
    make: impl FnOnce() -> Result<String, StartError>,
) -> Result<String, StartError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let text = make()?;
            write_private(path, text.as_bytes()).map_err(io_err(path))?;
            Ok(text)
        }
        Err(e) => Err(StartError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

impl Platform {
    /// Opens the platform in `config.data_dir` (creating keys and database on first run)
    /// with the given clock, on the embedded default storage (SQLite and files).
    pub fn open(config: &PlatformConfig, clock: Arc<dyn Clock>) -> Result<Self, StartError> {
        Self::open_with(config, &StorageConfig::default(), clock)
    }

    /// [`Platform::open`] on the given storage engines. Keys stay files in the data
    /// directory: replicas over one PostgreSQL and bucket each get a copy of the same key
    /// files (`platform-identity.txt`, `platform-signing.key`, `platform-secret`,
    /// `admin-token`).
    pub fn open_with(
        config: &PlatformConfig,
        storage_config: &StorageConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartError> {
        let dir = &config.data_dir;
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        storage::objects::private_dir(dir).map_err(io_err(dir))?;
        for sub in ["master", "updates"] {
            let path = dir.join(sub);
            std::fs::create_dir_all(&path).map_err(io_err(&path))?;
        }
        let db_path = match &storage_config.database {
            storage::DatabaseUrl::Sqlite(path) => {
                Some(path.clone().unwrap_or_else(|| dir.join("platform.db")))
            }
            storage::DatabaseUrl::Postgres(_) => None,
        };
        // A data directory "has data" once its database exists: from then on a missing key
        // file is an error with instructions, never a silently generated new key. On
        // PostgreSQL a replica's keys must be copied in before it starts (docs/platform.md).
        let pg = match &storage_config.database {
            storage::DatabaseUrl::Postgres(url) => Some(storage::postgres::PgStorage::connect(
                url,
                storage_config.max_connections,
            )?),
            storage::DatabaseUrl::Sqlite(_) => None,
        };
        let has_data = match (&db_path, &pg) {
            (Some(path), _) => path.exists(),
            (None, Some(pg)) => pg.has_data()?,
            (None, None) => false,
        };
        let key_path = dir.join("platform-identity.txt");
        if has_data && !key_path.exists() {
            return Err(StartError::Malformed(format!(
                "PLATFORM_IDENTITY_MISSING: {} is missing but the data directory holds a database; \
                 a new key could not open the sealed submissions kiosks still send. Restore the file \
                 from the backup of the data directory. / 平台解密身份文件缺失，但数据目录中已有数据。\
                 请从数据目录备份中恢复该文件。",
                key_path.display()
            )));
        }
        let signing = identity::SigningIdentity::load(dir, has_data)?;
        let key_chain = identity::load_chain(dir)?;
        let key_text = load_or_create(&key_path, || {
            let id = age::x25519::Identity::generate();
            Ok(format!(
                "# Tongban platform identity; recipient: {}\n{}\n",
                id.to_public(),
                id.to_string().expose_secret()
            ))
        })?;
        let line = key_text
            .lines()
            .find(|l| l.starts_with("AGE-SECRET-KEY-"))
            .unwrap_or_default();
        let identity = age::x25519::Identity::from_str(line).map_err(|_| {
            StartError::Malformed(format!("{}: not an age identity", key_path.display()))
        })?;
        let token_path = dir.join("admin-token");
        let admin_token = load_or_create(&token_path, || {
            db::random_bytes(24)
                .map(hex::encode)
                .map_err(io_err(&token_path))
        })?
        .trim()
        .to_owned();
        let secret_path = dir.join("platform-secret");
        let secret = hex::decode(
            load_or_create(&secret_path, || {
                db::random_bytes(32)
                    .map(hex::encode)
                    .map_err(io_err(&secret_path))
            })?
            .trim(),
        )
        .map_err(|_| StartError::Malformed(format!("{}: not hex", secret_path.display())))?;
        let persons = checks::load_persons(&dir.join("persons.json"))?;
        let store: Box<dyn storage::Storage> = match (pg, db_path) {
            (Some(pg), _) => Box::new(pg),
            (None, Some(path)) => Box::new(storage::sqlite::SqliteStorage::new(db::open(
                &path, &secret,
            )?)),
            (None, None) => return Err(StartError::Malformed("no database path".into())),
        };
        let blob_store =
            storage::objects::BlobStore::open(&storage_config.blobs, &storage_config.s3, dir)?;
        let recipient_key = identity.to_public();
        let recipient = recipient_key.to_string();
        let blind_key = pii::BlindKey::derive(&identity);
        let platform = Self {
            store,
            blob_store,
            data_dir: dir.clone(),
            blind_key,
            identity,
            recipient,
            recipient_key,
            signing,
            key_chain,
            clock,
            sms: Arc::new(sms::OutboxProvider::new(dir.join(sms::OUTBOX_FILE))),
            settings: PlatformSettings::default(),
            secret,
            persons,
            admin_token,
            blob_locks: blobs::BlobLocks::default(),
            metrics: metrics::Metrics::default(),
            trusted_proxies: Vec::new(),
        };
        // A database from before personal data was sealed is upgraded before serving.
        platform.upgrade_personal_data()?;
        Ok(platform)
    }

    /// Replaces the SMS provider (the default appends to `<data-dir>/sms-outbox.jsonl`).
    pub fn with_sms_provider(mut self, provider: Arc<dyn sms::SmsProvider>) -> Self {
        self.sms = provider;
        self
    }

    /// Sets the population database's service hours (default 08:00-18:00 China time).
    pub fn with_population_hours(mut self, hours: checks::ServiceHours) -> Self {
        self.settings.population_hours = hours;
        self
    }

    /// Sets how long verify-later codes are valid, ms (default 72 hours).
    pub fn with_verify_later_validity_ms(mut self, ms: i64) -> Self {
        self.settings.verify_later_validity_ms = ms.max(60_000);
        self
    }

    /// Sets the body caps' deadlines and the rate limits at the HTTP edge.
    pub fn with_edge_settings(mut self, edge: edges::EdgeSettings) -> Self {
        self.settings.edge = edge;
        self
    }

    /// Trusts `X-Forwarded-For` from these proxies (a load balancer in front of the
    /// replicas) for the per-address rate limits; from anyone else it is ignored.
    pub fn with_trusted_proxies(mut self, proxies: Vec<std::net::IpAddr>) -> Self {
        self.trusted_proxies = proxies.into_iter().map(|p| p.to_canonical()).collect();
        self
    }

    /// The proxies whose `X-Forwarded-For` is read.
    pub fn trusted_proxies(&self) -> &[std::net::IpAddr] {
        &self.trusted_proxies
    }

    /// The limits at the HTTP edge.
    pub fn edge_settings(&self) -> edges::EdgeSettings {
        self.settings.edge
    }

    /// This process's request counters (`/metrics`).
    pub fn metrics(&self) -> &metrics::Metrics {
        &self.metrics
    }

    /// The current settings.
    pub fn settings(&self) -> PlatformSettings {
        self.settings
    }

    /// The platform's age recipient (`age1...`) that kiosks seal to.
    pub fn recipient(&self) -> &str {
        &self.recipient
    }

    /// The platform's age recipient as a key (seals stored secrets).
    pub fn recipient_key(&self) -> &age::x25519::Recipient {
        &self.recipient_key
    }

    /// The platform's signing identity (signs answers; its fingerprint is in enrolment codes).
    pub fn signing_identity(&self) -> &identity::SigningIdentity {
        &self.signing
    }

    /// The current signing key and the chain of rotations leading to it.
    pub fn key_chain(&self) -> identity::KeyChain {
        identity::KeyChain {
            current: self.signing.public_key_b64().to_owned(),
            links: self.key_chain.clone(),
        }
    }

    /// The bootstrap token (`<data-dir>/admin-token`): it can only create admin accounts, and
    /// only while no enabled account exists ([`admins`]).
    pub fn admin_token(&self) -> &str {
        &self.admin_token
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Now, Unix ms, from the platform's clock.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// A read transaction (held only for short, non-async sections; dropping it ends it).
    pub fn read(&self) -> Result<Box<dyn storage::Tx + '_>, ApiError> {
        Ok(self.store.begin(storage::Mode::Read)?)
    }

    /// A write transaction, serialised with every other (across replicas too); commit it
    /// with [`storage::Tx::commit`], dropping it rolls back.
    pub fn write(&self) -> Result<Box<dyn storage::Tx + '_>, ApiError> {
        Ok(self.store.begin(storage::Mode::Write)?)
    }

    /// A transaction for writes that are each atomic on their own and need no order (see
    /// [`storage::Mode::Atomic`]): nonces, blob records, heartbeats.
    pub fn write_atomic(&self) -> Result<Box<dyn storage::Tx + '_>, ApiError> {
        Ok(self.store.begin(storage::Mode::Atomic)?)
    }

    /// Runs `work` in a write transaction and commits it when `work` succeeds.
    pub fn write_with<T>(
        &self,
        work: impl FnOnce(&mut dyn storage::Tx) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut tx = self.write()?;
        let out = work(&mut *tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// The database engine (`sqlite` or `postgres`).
    pub fn database_engine(&self) -> &'static str {
        self.store.engine()
    }

    /// The blob store.
    pub fn blob_store(&self) -> &storage::objects::BlobStore {
        &self.blob_store
    }

    /// Decrypts an age ciphertext sealed to the platform's recipient.
    pub fn unseal(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        age::decrypt(&self.identity, sealed).ok()
    }
}

/// Serves the platform on `listener` until `shutdown` resolves (HTTP/1.1; the request head
/// must arrive within the edge settings' header read timeout: [`serving`]).
pub async fn serve(
    platform: Arc<Platform>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serving::serve_connections(platform, listener, None, shutdown).await
}
