//! A man in the middle on 127.0.0.1: a real HTTP server that forwards to a real platformd
//! and tampers with answers the way an attacker in the hall's network could.

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use sha2::Digest;
use tokio::net::TcpListener;

/// What the man in the middle does.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Forwards everything untouched.
    Forward,
    /// Answers enrolment itself with its own key and age recipient, correctly signed.
    OwnEnrolment,
    /// Forwards enrolment but swaps the age recipient in the answer.
    SwapRecipient,
    /// Answers `POST /api/v1/submissions` with a 201 "accepted" receipt: unsigned when
    /// `signer` is `None`, else signed (correctly for the request) with that other key.
    ForgeAccepted {
        /// The attacker's key.
        signer: Option<[u8; 32]>,
    },
    /// Forwards the first submission and records its (genuine) answer; answers every later
    /// submission with that recorded answer.
    ReplaySubmission,
    /// Answers the status feed with an endless body.
    EndlessStatus,
}

#[derive(Clone)]
struct Mitm {
    upstream: String,
    mode: Arc<Mutex<Mode>>,
    recorded: Arc<Mutex<Option<(StatusCode, HeaderMap, Bytes)>>>,
    http: reqwest::Client,
}

/// A running man in the middle.
pub struct Running {
    /// Its base URL.
    pub url: String,
    mode: Arc<Mutex<Mode>>,
}

impl Running {
    /// Changes what it does.
    pub fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }
}

/// Starts a man in the middle in front of `upstream`.
pub async fn start(upstream: &str, mode: Mode) -> Running {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let state = Mitm {
        upstream: upstream.trim_end_matches('/').to_owned(),
        mode: Arc::new(Mutex::new(mode)),
        recorded: Arc::default(),
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
    };
    let mode = Arc::clone(&state.mode);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(handle).with_state(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Running {
        url: format!("http://{addr}"),
        mode,
    }
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Signs an answer the way platformd does, with `key`.
fn sign_like_platform(
    key: &SigningKey,
    method: &str,
    path: &str,
    request: &HeaderMap,
    status: u16,
    body: &[u8],
    headers: &mut HeaderMap,
) {
    let ts = kiosk_sync::now_ms();
    let text = kiosk_sync::trust::answer_string(&kiosk_sync::trust::AnswerParts {
        method,
        path_and_query: path,
        nonce: &header(request, "x-kiosk-nonce"),
        kiosk_id: &header(request, "x-kiosk-id"),
        status,
        timestamp_ms: ts,
        body_sha256_hex: &hex::encode(sha2::Sha256::digest(body)),
        etag: "",
        upload_offset: "",
    });
    let b64 = base64::engine::general_purpose::STANDARD;
    let sig = b64.encode(key.sign(text.as_bytes()).to_bytes());
    headers.insert(
        "x-platform-timestamp",
        HeaderValue::from_str(&ts.to_string()).unwrap(),
    );
    headers.insert(
        "x-platform-key",
        HeaderValue::from_str(&b64.encode(key.verifying_key().as_bytes())).unwrap(),
    );
    headers.insert("x-platform-signature", HeaderValue::from_str(&sig).unwrap());
}

fn reply(status: StatusCode, headers: HeaderMap, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    for (k, v) in &headers {
        if k != "content-length" && k != "transfer-encoding" && k != "connection" {
            response.headers_mut().insert(k, v.clone());
        }
    }
    response
}

async fn forward(
    m: &Mitm,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> (StatusCode, HeaderMap, Bytes) {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut request = m
        .http
        .request(method.clone(), format!("{}{path}", m.upstream))
        .body(body);
    for (k, v) in headers {
        if k != "host" && k != "content-length" {
            request = request.header(k, v);
        }
    }
    let answer = request.send().await.unwrap();
    let status = answer.status();
    let headers = answer.headers().clone();
    let bytes = answer.bytes().await.unwrap();
    (status, headers, bytes)
}

async fn handle(
    State(m): State<Mitm>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mode = m.mode.lock().unwrap().clone();
    let path = uri.path().to_owned();
    let path_q = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    match (&mode, method.as_str(), path.as_str()) {
        (Mode::OwnEnrolment, "POST", "/api/v1/enrol") => {
            let request: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let key = SigningKey::from_bytes(&[7u8; 32]);
            let age_id = age::x25519::Identity::generate();
            let b64 = base64::engine::general_purpose::STANDARD;
            let answer = serde_json::json!({
                "kioskId": "kiosk-attacker", "kioskName": "x",
                "platformRecipient": age_id.to_public().to_string(),
                "platformKey": b64.encode(key.verifying_key().as_bytes()),
                "publicKey": request["publicKey"], "serverTime": kiosk_sync::now_ms(),
            });
            let bytes = serde_json::to_vec(&answer).unwrap();
            let mut out = HeaderMap::new();
            out.insert("content-type", HeaderValue::from_static("application/json"));
            sign_like_platform(&key, "POST", &path_q, &headers, 201, &bytes, &mut out);
            reply(StatusCode::CREATED, out, bytes)
        }
        (Mode::SwapRecipient, "POST", "/api/v1/enrol") => {
            let (status, out, bytes) = forward(&m, &method, &uri, &headers, body).await;
            let mut answer: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            answer["platformRecipient"] =
                serde_json::json!(age::x25519::Identity::generate().to_public().to_string());
            reply(status, out, serde_json::to_vec(&answer).unwrap())
        }
        (Mode::ForgeAccepted { signer }, "POST", "/api/v1/submissions") => {
            let request: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let receipt = serde_json::json!({
                "id": request["id"], "receipt": "FORGE-D0000", "state": "accepted",
                "reason": null, "receivedAt": kiosk_sync::now_ms(),
            });
            let bytes = serde_json::to_vec(&receipt).unwrap();
            let mut out = HeaderMap::new();
            out.insert("content-type", HeaderValue::from_static("application/json"));
            if let Some(seed) = signer {
                let key = SigningKey::from_bytes(seed);
                sign_like_platform(&key, "POST", &path_q, &headers, 201, &bytes, &mut out);
            }
            reply(StatusCode::CREATED, out, bytes)
        }
        (Mode::ReplaySubmission, "POST", "/api/v1/submissions") => {
            let recorded = m.recorded.lock().unwrap().clone();
            match recorded {
                Some((status, out, bytes)) => reply(status, out, bytes),
                None => {
                    let (status, out, bytes) = forward(&m, &method, &uri, &headers, body).await;
                    *m.recorded.lock().unwrap() = Some((status, out.clone(), bytes.clone()));
                    reply(status, out, bytes)
                }
            }
        }
        (Mode::EndlessStatus, "GET", "/api/v1/status") => {
            let chunk = Bytes::from(vec![b' '; 64 * 1024]);
            let stream = futures::stream::repeat_with(move || {
                Ok::<_, std::convert::Infallible>(chunk.clone())
            });
            let mut out = HeaderMap::new();
            out.insert("content-type", HeaderValue::from_static("application/json"));
            reply(StatusCode::OK, out, Body::from_stream(stream))
        }
        _ => {
            let (status, out, bytes) = forward(&m, &method, &uri, &headers, body).await;
            reply(status, out, bytes)
        }
    }
}
