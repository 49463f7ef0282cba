//! `platformd` processes and simulated kiosks speaking the real protocol over HTTP (signed
//! requests, sealed payloads and blobs), for the load and power-loss tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]
#![allow(unsafe_code)] // SIGKILL to our own child process: see Replica::kill.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use platform::auth::canonical_string;
use platform::db::sha256_hex;

use super::servers::{free_port, wait_listening};

/// The platformd binary under test.
pub const PLATFORMD: &str = env!("CARGO_BIN_EXE_platformd");

/// One `platformd serve` process on a fixed loopback port; killed on drop.
pub struct Replica {
    child: Option<Child>,
    /// Its port.
    pub port: u16,
    data_dir: PathBuf,
    storage_args: Vec<String>,
    envs: Vec<(String, String)>,
}

impl Replica {
    /// Starts `platformd serve` on a free port with `data_dir` and the storage flags.
    pub fn start(data_dir: &Path, storage_args: &[String], envs: &[(String, String)]) -> Self {
        let mut replica = Self {
            child: None,
            port: free_port(),
            data_dir: data_dir.to_path_buf(),
            storage_args: storage_args.to_vec(),
            envs: envs.to_vec(),
        };
        replica.restart();
        replica
    }

    /// (Re)starts the process on the same port and waits until it listens.
    pub fn restart(&mut self) {
        let log = self.data_dir.join(format!("platformd-{}.log", self.port));
        let child = Command::new(PLATFORMD)
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(&self.storage_args)
            .args(["serve", "--addr"])
            .arg(format!("127.0.0.1:{}", self.port))
            .env("RUST_LOG", "warn")
            // After the default: a test may ask for more (`RUST_LOG=debug`).
            .envs(self.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&log)
                    .unwrap(),
            )
            .spawn()
            .unwrap();
        self.child = Some(child);
        wait_listening(self.port, Duration::from_secs(30), "platformd", &log);
    }

    /// SIGKILL: no shutdown, no flush, like a power cut of the process.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs a `platformd` admin command with the same flags; returns stdout.
pub fn platformd(
    data_dir: &Path,
    storage_args: &[String],
    envs: &[(String, String)],
    args: &[&str],
) -> String {
    let out = Command::new(PLATFORMD)
        .arg("--data-dir")
        .arg(data_dir)
        .args(storage_args)
        .args(args)
        .envs(envs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "platformd {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Makes the named fleet-admin account `fleet` with `platformd admin add` (the admin-token
/// file only bootstraps accounts) and returns its bearer token.
pub fn fleet_admin_token(
    data_dir: &Path,
    storage_args: &[String],
    envs: &[(String, String)],
) -> String {
    let out = platformd(
        data_dir,
        storage_args,
        envs,
        &["admin", "add", "--name", "fleet", "--role", "fleet-admin"],
    );
    let token = out.lines().last().unwrap_or_default().trim().to_owned();
    assert!(token.starts_with("tba_"), "a token: {out}");
    token
}

/// A round-robin TCP proxy on a free loopback port in front of `backends`: each connection
/// goes to the next backend that accepts it (a dead one is skipped), like a load balancer.
pub async fn round_robin_proxy(backends: Vec<u16>) -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = tokio::spawn(async move {
        let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                continue;
            };
            let backends = backends.clone();
            let next = std::sync::Arc::clone(&next);
            tokio::spawn(async move {
                for _ in 0..backends.len() * 20 {
                    let i =
                        next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % backends.len();
                    if let Ok(mut outbound) =
                        tokio::net::TcpStream::connect(("127.0.0.1", backends[i])).await
                    {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(25)).await;
                }
            });
        }
    });
    (port, handle)
}

/// A simulated kiosk: its id and key, talking to `base` over HTTP.
pub struct SimKiosk {
    pub id: String,
    pub key: SigningKey,
    pub base: String,
    pub http: reqwest::Client,
}

/// An HTTP client with bounded timeouts.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

impl SimKiosk {
    /// Enrols a kiosk with a fresh key: an admin code, then `POST /api/v1/enrol`.
    pub async fn enrol(base: &str, admin_token: &str, name: &str, seed: [u8; 32]) -> Self {
        let http = http_client();
        let key = SigningKey::from_bytes(&seed);
        let code: serde_json::Value = retry(|| async {
            let r = http
                .post(format!("{base}/api/v1/admin/enrolment-codes"))
                .bearer_auth(admin_token)
                .header("content-type", "application/json")
                .body(serde_json::json!({ "kioskName": name }).to_string())
                .send()
                .await
                .ok()?;
            (r.status() == 201).then_some(())?;
            serde_json::from_slice(&r.bytes().await.ok()?).ok()
        })
        .await;
        let enrolled: serde_json::Value = retry(|| async {
            let r = http
                .post(format!("{base}/api/v1/enrol"))
                .header("content-type", "application/json")
                .body(
                    serde_json::json!({
                        "code": code["code"],
                        "publicKey": base64::engine::general_purpose::STANDARD.encode(key.verifying_key().to_bytes()),
                    })
                    .to_string(),
                )
                .send()
                .await
                .ok()?;
            (r.status() == 201).then_some(())?;
            serde_json::from_slice(&r.bytes().await.ok()?).ok()
        })
        .await;
        Self {
            id: enrolled["kioskId"].as_str().unwrap().to_owned(),
            key,
            base: base.to_owned(),
            http,
        }
    }

    /// One signed request (fresh timestamp and nonce): status and body, or `None` when the
    /// connection failed.
    pub async fn signed(&self, method: &str, path: &str, body: Vec<u8>) -> Option<(u16, Vec<u8>)> {
        let at = now_ms();
        let nonce = hex::encode(platform::db::random_bytes(16).unwrap());
        let text = canonical_string(method, path, at, &nonce, &sha256_hex(&body));
        let sig = base64::engine::general_purpose::STANDARD
            .encode(self.key.sign(text.as_bytes()).to_bytes());
        let response = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .header("x-kiosk-id", &self.id)
            .header("x-kiosk-timestamp", at.to_string())
            .header("x-kiosk-nonce", nonce)
            .header("x-kiosk-signature", sig)
            .body(body)
            .send()
            .await
            .ok()?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.ok()?;
        Some((status, bytes.to_vec()))
    }

    /// Sends until the platform answers with one of `ok` (connection failures and 5xx are
    /// retried, as the kiosk's sync does); panics on any other answer or after `deadline`.
    pub async fn until(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
        ok: &[u16],
        deadline: Duration,
    ) -> (u16, Vec<u8>) {
        let start = Instant::now();
        loop {
            match self.signed(method, path, body.to_vec()).await {
                Some((status, bytes)) if ok.contains(&status) => return (status, bytes),
                Some((status, bytes)) if status < 500 => panic!(
                    "{method} {path}: {status} {}",
                    String::from_utf8_lossy(&bytes)
                ),
                _ => {}
            }
            assert!(
                start.elapsed() < deadline,
                "{method} {path}: no answer within {deadline:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn retry<T, F, Fut>(mut attempt: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = attempt().await {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no answer within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
