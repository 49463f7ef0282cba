//! The `platformd` binary's SMS options: `serve --sms http --sms-url … --sms-token-file …`
//! delivers codes to a real gateway stub on loopback; a gateway without a URL refuses to start.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use tokio::io::{AsyncBufReadExt, BufReader};

const PLATFORMD: &str = env!("CARGO_BIN_EXE_platformd");

type Seen = Arc<Mutex<Vec<(HeaderMap, serde_json::Value)>>>;

async fn gateway(State(seen): State<Seen>, headers: HeaderMap, body: Bytes) -> StatusCode {
    seen.lock()
        .unwrap()
        .push((headers, serde_json::from_slice(&body).unwrap_or_default()));
    StatusCode::ACCEPTED
}

#[test]
fn an_http_gateway_without_a_url_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(PLATFORMD)
        .arg("--data-dir")
        .arg(dir.path())
        .args(["--sms", "http", "recipient"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("PLATFORM_START_FAILED") && stderr.contains("--sms-url"),
        "{stderr}"
    );
    let out = std::process::Command::new(PLATFORMD)
        .arg("--data-dir")
        .arg(dir.path())
        .args(["--population-hours", "8-18", "recipient"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "malformed hours are refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("HH:MM-HH:MM"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_sends_codes_through_the_configured_gateway() {
    let seen: Seen = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gateway_url = format!("http://{}/v1/sms", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .route("/v1/sms", axum::routing::post(gateway))
        .with_state(Arc::clone(&seen));
    let stub = tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("sms-token");
    std::fs::write(&token_file, "gw-secret-9\n").unwrap();
    let data = dir.path().join("data");
    let issued = std::process::Command::new(PLATFORMD)
        .arg("--data-dir")
        .arg(&data)
        .args(["enrolment-code", "--kiosk", "大厅 9 号机"])
        .output()
        .unwrap();
    assert!(issued.status.success());
    let code = String::from_utf8_lossy(&issued.stdout)
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_owned();

    let mut child = tokio::process::Command::new(PLATFORMD)
        .arg("--data-dir")
        .arg(&data)
        .args([
            "--sms",
            "http",
            "--sms-url",
            &gateway_url,
            "--sms-token-file",
        ])
        .arg(&token_file)
        .args([
            "--sms-template",
            r#"{"to":"{phone}","text":"{text}","purpose":"{purpose}"}"#,
        ])
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(url) = line.strip_prefix("listening on ") {
                return url.to_owned();
            }
        }
        panic!("platformd exited before listening");
    })
    .await
    .unwrap();

    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let key = SigningKey::from_bytes(&[21u8; 32]);
    let b64 = base64::engine::general_purpose::STANDARD;
    let enrolled: serde_json::Value = http
        .post(format!("{base}/api/v1/enrol"))
        .header("content-type", "application/json")
        .body(
            serde_json::json!({"code": code, "publicKey": b64.encode(key.verifying_key().to_bytes())})
                .to_string(),
        )
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap();
    let kiosk = enrolled["kioskId"].as_str().unwrap().to_owned();

    let body = serde_json::json!({"phone": "+853 6612 3456", "purpose": "register"}).to_string();
    let path = "/api/v1/sms/send";
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string();
    let nonce = "0123456789abcdef0123456789abcdef";
    let text = platform::auth::canonical_string(
        "POST",
        path,
        at.parse().unwrap(),
        nonce,
        &platform::db::sha256_hex(body.as_bytes()),
    );
    let answer = http
        .post(format!("{base}{path}"))
        .header("x-kiosk-id", &kiosk)
        .header("x-kiosk-timestamp", &at)
        .header("x-kiosk-nonce", nonce)
        .header(
            "x-kiosk-signature",
            b64.encode(key.sign(text.as_bytes()).to_bytes()),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let status = answer.status();
    let json: serde_json::Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(status.as_u16(), 200, "{json}");
    assert!(json["expiresAt"].is_i64());

    let (headers, message) = seen.lock().unwrap().pop().unwrap();
    assert_eq!(
        headers["authorization"], "Bearer gw-secret-9",
        "token from the file"
    );
    assert_eq!(message["to"], "+85366123456");
    assert_eq!(message["purpose"], "register");
    assert!(
        message["text"].as_str().unwrap().contains("验证码是 "),
        "{message}"
    );
    assert!(
        !data.join(platform::sms::OUTBOX_FILE).exists(),
        "the gateway, not the outbox"
    );
    child.kill().await.unwrap();
    stub.abort();
}

/// `serve --tls-cert/--tls-key` serves HTTPS itself; a client pinned to the certificate
/// reaches it, and answers to kiosks are signed as over plain HTTP.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_speaks_tls_with_the_given_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let made = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.key_pair.serialize_pem()).unwrap();
    let bad = std::process::Command::new(PLATFORMD)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["serve", "--addr", "127.0.0.1:0", "--tls-cert"])
        .arg(&key)
        .arg("--tls-key")
        .arg(&key)
        .output()
        .unwrap();
    assert!(!bad.status.success(), "a key is not a certificate");
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("TLS_FILES_INVALID"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let mut child = tokio::process::Command::new(PLATFORMD)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["serve", "--addr", "127.0.0.1:0", "--tls-cert"])
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(url) = line.strip_prefix("listening on ") {
                return url.to_owned();
            }
        }
        panic!("platformd exited before listening");
    })
    .await
    .unwrap();
    assert!(base.starts_with("https://"), "{base}");
    let url = base.replace("127.0.0.1", "localhost");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .tls_certs_only(reqwest::Certificate::from_pem_bundle(made.cert.pem().as_bytes()).unwrap())
        .build()
        .unwrap();
    let health = client
        .get(format!("{url}/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200, "served over TLS");
    let plain = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/health",
            url.replace("https://", "http://")
        ))
        .send()
        .await;
    assert!(
        plain.map_or(true, |r| !r.status().is_success()),
        "no plain HTTP on the TLS port"
    );
    let _ = child.kill().await;
}

#[test]
fn admin_accounts_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(PLATFORMD)
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["admin", "add", "--name", "zhou.min", "--role", "reviewer"]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let token = stdout.lines().last().unwrap().trim();
    assert!(token.starts_with("tba_") && token.len() == 68, "{stdout}");
    let out = run(&["admin", "add", "--name", "zhou.min", "--role", "reviewer"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ADMIN_EXISTS"));
    let out = run(&["admin", "add", "--name", "x.y.z", "--role", "root"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("ADMIN_ROLE_INVALID"));
    let out = run(&["admin", "disable", "--name", "zhou.min"]);
    assert!(out.status.success());
    let out = run(&["admin", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["name"], "zhou.min");
    assert!(list[0]["disabledAt"].is_i64(), "{list}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(token),
        "no token listed"
    );
    let out = run(&["revoke-kiosk", "kiosk-0000"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("KIOSK_NOT_FOUND"));
}
