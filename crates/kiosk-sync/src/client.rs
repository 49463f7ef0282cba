//! The signed HTTP client for protocol v1 (reqwest + rustls with the `ring` provider).

use std::time::Duration;

use base64::Engine;
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::error::PlatformReason;
use crate::signing::{Credential, generate_key, random_bytes};
use crate::trust::{self, EnrolmentCode, Exchange, TrustError, limits};
use crate::{SyncError, now_ms};

/// Size of one blob chunk in a `PUT` with `Content-Range`.
pub const DEFAULT_CHUNK: usize = 1024 * 1024;

/// Header carrying how many sealed bytes of a partial upload the platform holds.
const HEADER_UPLOAD_OFFSET: &str = "x-upload-offset";

/// Timeouts of the client.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// TCP connect.
    pub connect: Duration,
    /// Whole request.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            request: Duration::from_secs(60),
        }
    }
}

/// An attachment reference in a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentRef {
    /// Slot name.
    pub slot: String,
    /// Plaintext SHA-256, lower-case hex.
    pub sha256: String,
    /// Plaintext size.
    pub size: u64,
    /// MIME type.
    pub media_type: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SubmissionBody<'a> {
    id: &'a str,
    sealed_payload: String,
    attachments: &'a [AttachmentRef],
}

/// The platform's answer to a submission (identical for a repeat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    /// Application id.
    pub id: String,
    /// Platform receipt number.
    pub receipt: String,
    /// `accepted` or `needs-action`.
    pub state: String,
    /// Why, for `needs-action`.
    pub reason: Option<PlatformReason>,
    /// When received, Unix ms.
    pub received_at: i64,
}

/// One status feed event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusEvent {
    /// Feed position.
    pub cursor: i64,
    /// Application id.
    pub application_id: String,
    /// `accepted`, `needs-action`, `verified`, `rejected`.
    pub state: String,
    /// Platform account name, once verified.
    pub account_name: Option<String>,
    /// Why.
    pub reason: Option<PlatformReason>,
    /// When, Unix ms.
    pub at: i64,
}

/// A page of the status feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusPage {
    /// Events, oldest first.
    pub events: Vec<StatusEvent>,
    /// Cursor for the next call.
    pub next_cursor: i64,
}

/// A kiosk's health report (`POST /api/v1/kiosks/heartbeat`). Never personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Heartbeat {
    /// Kiosk software version.
    pub version: String,
    /// The service hall the kiosk stands in, if set.
    pub hall: Option<String>,
    /// Applications waiting for upload.
    pub queue_depth: u64,
    /// Age of the oldest application not yet uploaded, seconds.
    pub oldest_unsent_age_s: Option<u64>,
    /// Free bytes on the kiosk's data disk.
    pub disk_free_bytes: Option<u64>,
    /// Last successful sync, Unix ms.
    pub last_sync_at: Option<i64>,
    /// The last sync error, if the last attempt failed.
    pub last_error: Option<String>,
    /// The head of the kiosk's keyed audit chain, for the platform to anchor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<AuditHead>,
}

/// The head of the kiosk's audit chain (`{ "seq": 41, "mac": "<hex>" }`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditHead {
    /// Sequence number of the newest audit row.
    pub seq: u64,
    /// Its MAC, hex.
    pub mac: String,
}

/// The audit anchor the platform holds for this kiosk (from a verified, signed answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditAnchor {
    /// The stored head, if any.
    pub audit_head: Option<StoredAuditHead>,
    /// How often this kiosk offered a head behind (or rewriting) the stored one.
    pub alerts: u64,
}

/// An audit head as the platform stored it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredAuditHead {
    /// Sequence number.
    pub seq: u64,
    /// MAC, lower-case hex.
    pub mac: String,
    /// When the platform received it, Unix ms.
    pub received_at: i64,
}

/// A master dataset as fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MasterFetch {
    /// Unchanged since the given ETag.
    NotModified,
    /// New content.
    Changed {
        /// New ETag.
        etag: String,
        /// JSON body.
        body: Vec<u8>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EnrolAnswer {
    kiosk_id: String,
    kiosk_name: String,
    platform_recipient: String,
    platform_key: String,
    public_key: String,
}

/// A platform answer, read up to its cap and verified.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

/// Reads a response body, stopping with [`TrustError::TooLarge`] as soon as it exceeds `cap`
/// (a declared `Content-Length` above the cap is refused before reading).
pub async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
) -> Result<Vec<u8>, SyncError> {
    let too_large = || SyncError::Untrusted(TrustError::TooLarge { limit: cap });
    if response
        .content_length()
        .is_some_and(|n| usize::try_from(n).map_or(true, |n| n > cap))
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport(&e))? {
        if body.len() + chunk.len() > cap {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Turns a verified non-success answer into the right [`SyncError`].
fn failure_of(status: StatusCode, body: &[u8]) -> SyncError {
    let reason =
        serde_json::from_slice::<PlatformReason>(body).unwrap_or_else(|_| PlatformReason {
            code: format!("HTTP_{}", status.as_u16()),
            zh: format!("平台返回 HTTP {status}。"),
            en: format!("The platform answered HTTP {status}."),
        });
    classify(status, reason)
}

/// Installs the `ring` crypto provider for rustls once per process (reqwest needs one).
fn install_crypto_provider() {
    // An error only means a provider is installed already, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The certificates of a pinned PEM bundle, or why it is unusable.
fn pinned_certs(pem: &str) -> Result<Vec<reqwest::Certificate>, SyncError> {
    let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
        .map_err(|e| SyncError::Untrusted(TrustError::PinnedCertInvalid(e.to_string())))?;
    if certs.is_empty() {
        return Err(TrustError::PinnedCertInvalid("no certificate in the PEM text".into()).into());
    }
    Ok(certs)
}

fn build_http(timeouts: Timeouts, pinned_tls: Option<&str>) -> Result<reqwest::Client, SyncError> {
    install_crypto_provider();
    let mut builder = reqwest::Client::builder();
    if let Some(pem) = pinned_tls {
        // Only the pinned CA or certificate, not the system roots.
        builder = builder.tls_certs_only(pinned_certs(pem)?);
    }
    builder
        // A redirect could lead to plain HTTP or to another host: never follow one.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| SyncError::Store(format!("http client: {e}")))
}

fn transport(e: &reqwest::Error) -> SyncError {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else if e.is_body() || e.is_decode() {
        "body"
    } else {
        "request"
    };
    SyncError::Transient(format!("{kind}: {e}"))
}

/// Turns a non-success answer into the right [`SyncError`] (read up to the small cap).
async fn failure(response: reqwest::Response) -> SyncError {
    let status = response.status();
    match read_capped(response, limits::SMALL).await {
        Ok(body) => failure_of(status, &body),
        Err(e) => e,
    }
}

/// Classifies an HTTP failure: retry, re-authenticate or give up with the platform's reason.
pub fn classify(status: StatusCode, reason: PlatformReason) -> SyncError {
    let retry_codes = ["BLOBS_MISSING", "UPLOAD_OFFSET_MISMATCH", "BODY_UNREADABLE"];
    if status == StatusCode::TOO_MANY_REQUESTS {
        SyncError::Throttled(reason)
    } else if status.is_server_error()
        || status == StatusCode::REQUEST_TIMEOUT
        || retry_codes.contains(&reason.code.as_str())
        || reason.code.starts_with("HTTP_")
    {
        SyncError::Transient(format!("{} {}", status.as_u16(), reason.code))
    } else if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        SyncError::Unauthorised(reason)
    } else {
        SyncError::Refused(reason)
    }
}

/// Redeems an enrolment code: generates the kiosk key pair and registers its public half.
///
/// The code must carry the platform's key fingerprint (see [`EnrolmentCode`]): the answer
/// must name a platform key with that fingerprint, be signed by it for this request's nonce,
/// and echo the kiosk's public key; otherwise nothing is stored and the call fails with
/// [`TrustError::KeyMismatch`] (or another [`TrustError`]). The key is pinned in the
/// returned credential.
pub async fn enrol(
    platform_url: &str,
    code: &str,
    timeouts: Timeouts,
) -> Result<Credential, SyncError> {
    enrol_pinned(platform_url, code, None, timeouts).await
}

/// [`enrol`], trusting for TLS only `pinned_tls` (a PEM CA or server certificate the
/// administrator gives at enrolment) instead of the system roots; the pin is stored in the
/// credential and used for every later call.
pub async fn enrol_pinned(
    platform_url: &str,
    code: &str,
    pinned_tls: Option<&str>,
    timeouts: Timeouts,
) -> Result<Credential, SyncError> {
    let base = platform_url.trim_end_matches('/');
    trust::check_transport(base)?;
    let code = EnrolmentCode::parse(code)?;
    let http = build_http(timeouts, pinned_tls)?;
    let key = generate_key()?;
    let public_key =
        base64::engine::general_purpose::STANDARD.encode(key.verifying_key().to_bytes());
    let body = serde_json::json!({ "code": code.secret, "publicKey": public_key });
    let exchange = Exchange {
        method: "POST".into(),
        path_and_query: "/api/v1/enrol".into(),
        nonce: hex::encode(random_bytes(16)?),
        kiosk_id: String::new(),
    };
    let response = http
        .post(format!("{base}{}", exchange.path_and_query))
        .header("x-kiosk-nonce", &exchange.nonce)
        .json(&body)
        .send()
        .await
        .map_err(|e| transport(&e))?;
    let status = response.status();
    if !status.is_success() {
        // Nothing is acted on: the refusal is only shown.
        return Err(failure(response).await);
    }
    let headers = response.headers().clone();
    let bytes = read_capped(response, limits::ENROL).await?;
    let answer: EnrolAnswer =
        serde_json::from_slice(&bytes).map_err(|e| SyncError::Transient(format!("body: {e}")))?;
    let platform_key = trust::decode_key(&answer.platform_key).ok_or(TrustError::KeyMismatch)?;
    if !trust::fingerprint_of(&platform_key).starts_with(&code.fingerprint) {
        return Err(TrustError::KeyMismatch.into());
    }
    trust::verify_answer(
        &platform_key,
        &exchange,
        status.as_u16(),
        &headers,
        &bytes,
        now_ms(),
    )?;
    if answer.public_key != public_key {
        return Err(TrustError::KeyMismatch.into());
    }
    let mut credential = Credential::new(
        base.to_owned(),
        answer.kiosk_id,
        answer.kiosk_name,
        answer.platform_recipient,
        answer.platform_key,
        &key,
    );
    credential.pinned_tls = pinned_tls.map(str::to_owned);
    Ok(credential)
}

/// Where a blob upload starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobStart {
    /// The first attempt of its application: nothing of it can be on the platform except,
    /// rarely, a finished copy another application uploaded, so skip the round trip that
    /// asks and send the blob from byte 0.
    FromZero,
    /// A retry, possibly after a crash mid-upload: ask what the platform holds and resume.
    Resume,
}

/// A signed client for one enrolled kiosk.
#[derive(Debug, Clone)]
pub struct PlatformClient {
    http: reqwest::Client,
    credential: Credential,
    /// The pinned platform key; moves forward along a verified rotation chain (shared by
    /// clones, so the caller can read the new pin after a round and save it).
    platform_key: std::sync::Arc<std::sync::Mutex<ed25519_dalek::VerifyingKey>>,
    chunk: usize,
}

impl PlatformClient {
    /// A client for `credential`: refuses an insecure platform URL (plain HTTP outside
    /// loopback) and a credential without a pinned platform key.
    pub fn new(credential: Credential, timeouts: Timeouts) -> Result<Self, SyncError> {
        trust::check_transport(&credential.platform_url)?;
        let platform_key = credential.pinned_platform_key()?;
        Ok(Self {
            http: build_http(timeouts, credential.pinned_tls.as_deref())?,
            credential,
            platform_key: std::sync::Arc::new(std::sync::Mutex::new(platform_key)),
            chunk: DEFAULT_CHUNK,
        })
    }

    /// The platform key pinned now (base64): the credential's, or a newer one reached
    /// through the platform's rotation chain. Save it in the credential when it changed.
    pub fn pinned_key_b64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.pinned().as_bytes())
    }

    fn pinned(&self) -> ed25519_dalek::VerifyingKey {
        match self.platform_key.lock() {
            Ok(key) => *key,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    /// Moves the pin to `announced` if the platform's rotation chain leads there from the
    /// pinned key (`GET /api/v1/platform-keys`, unsigned: every link is signed by the key
    /// before it).
    async fn follow_rotation(
        &self,
        announced: &ed25519_dalek::VerifyingKey,
    ) -> Result<ed25519_dalek::VerifyingKey, SyncError> {
        let url = format!("{}/api/v1/platform-keys", self.credential.platform_url);
        let response = self.http.get(url).send().await.map_err(|e| transport(&e))?;
        if !response.status().is_success() {
            return Err(TrustError::Forged.into());
        }
        let body = read_capped(response, limits::JSON).await?;
        let chain: trust::KeyChain =
            serde_json::from_slice(&body).map_err(|_| TrustError::Forged)?;
        // A key the chain does not lead to signed the answer: it is forged.
        let next = trust::follow_chain(&self.pinned(), announced, &chain.links)
            .map_err(|_| TrustError::Forged)?;
        if let Ok(mut key) = self.platform_key.lock() {
            *key = next;
        }
        log::warn!(
            "the platform's signing key rotated; now pinned to {}",
            trust::fingerprint_of(&next)
        );
        Ok(next)
    }

    /// Sets the blob chunk size (at least 1 KiB).
    pub fn with_chunk_size(mut self, bytes: usize) -> Self {
        self.chunk = bytes.max(1024);
        self
    }

    /// The credential in use.
    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    fn request(
        &self,
        method: Method,
        path_and_query: &str,
        body: Vec<u8>,
    ) -> Result<(reqwest::RequestBuilder, Exchange), SyncError> {
        let signed = self
            .credential
            .sign(method.as_str(), path_and_query, &body, now_ms())?;
        let url = format!("{}{path_and_query}", self.credential.platform_url);
        let exchange = Exchange {
            method: method.as_str().to_owned(),
            path_and_query: path_and_query.to_owned(),
            nonce: signed.nonce.clone(),
            kiosk_id: signed.kiosk_id.clone(),
        };
        let builder = self
            .http
            .request(method, url)
            .header("x-kiosk-id", signed.kiosk_id)
            .header("x-kiosk-timestamp", signed.timestamp)
            .header("x-kiosk-nonce", signed.nonce)
            .header("x-kiosk-signature", signed.signature)
            .body(body);
        Ok((builder, exchange))
    }

    /// Sends a signed request and returns its answer, read up to `cap` bytes and verified
    /// against the pinned platform key, whatever its status. An unsigned non-success answer
    /// (e.g. a proxy's 502) is a transient failure; any other answer that does not verify
    /// is [`SyncError::Untrusted`].
    async fn exchange(
        &self,
        (builder, exchange): (reqwest::RequestBuilder, Exchange),
        cap: usize,
    ) -> Result<Answer, SyncError> {
        let response = builder.send().await.map_err(|e| transport(&e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = read_capped(response, cap).await?;
        let pinned = self.pinned();
        let mut verified = trust::verify_answer(
            &pinned,
            &exchange,
            status.as_u16(),
            &headers,
            &body,
            now_ms(),
        );
        if verified == Err(TrustError::Forged) {
            // Signed by another key: acceptable only if a rotation chain leads there.
            let announced = headers
                .get(trust::HEADER_PLATFORM_KEY)
                .and_then(|v| v.to_str().ok())
                .and_then(trust::decode_key)
                .filter(|k| *k != pinned);
            if let Some(announced) = announced {
                let key = self.follow_rotation(&announced).await?;
                verified = trust::verify_answer(
                    &key,
                    &exchange,
                    status.as_u16(),
                    &headers,
                    &body,
                    now_ms(),
                );
            }
        }
        match verified {
            Ok(()) => Ok(Answer {
                status,
                headers,
                body,
            }),
            Err(TrustError::Unsigned)
                if !status.is_success() && status != StatusCode::NOT_MODIFIED =>
            {
                Err(SyncError::Transient(format!(
                    "unsigned answer HTTP {}",
                    status.as_u16()
                )))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// [`PlatformClient::exchange`], then a non-success status becomes its [`SyncError`].
    async fn send(
        &self,
        request: (reqwest::RequestBuilder, Exchange),
        cap: usize,
    ) -> Result<Answer, SyncError> {
        let answer = self.exchange(request, cap).await?;
        if answer.status.is_success() || answer.status == StatusCode::NOT_MODIFIED {
            Ok(answer)
        } else {
            Err(failure_of(answer.status, &answer.body))
        }
    }

    async fn json_call<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        cap: usize,
    ) -> Result<T, SyncError> {
        let bytes = match body {
            Some(v) => serde_json::to_vec(v).map_err(|e| SyncError::Store(e.to_string()))?,
            None => Vec::new(),
        };
        let (mut builder, exchange) = self.request(method, path, bytes)?;
        if body.is_some() {
            builder = builder.header("content-type", "application/json");
        }
        let answer = self.send((builder, exchange), cap).await?;
        serde_json::from_slice(&answer.body).map_err(|e| SyncError::Transient(format!("body: {e}")))
    }

    /// `GET /api/v1/health` (unsigned; changes nothing on the kiosk; read up to a small cap).
    pub async fn health(&self) -> Result<(), SyncError> {
        let url = format!("{}/api/v1/health", self.credential.platform_url);
        let response = self.http.get(url).send().await.map_err(|e| transport(&e))?;
        if response.status().is_success() {
            read_capped(response, limits::SMALL).await.map(|_| ())
        } else {
            Err(failure(response).await)
        }
    }

    /// How many sealed bytes of blob `sha` the platform holds: `None` when complete.
    pub async fn blob_offset(&self, sha: &str) -> Result<Option<u64>, SyncError> {
        let request = self.request(Method::HEAD, &format!("/api/v1/blobs/{sha}"), Vec::new())?;
        let answer = self.exchange(request, limits::SMALL).await?;
        match answer.status {
            StatusCode::OK => Ok(None),
            StatusCode::NOT_FOUND => Ok(Some(
                answer
                    .headers
                    .get(HEADER_UPLOAD_OFFSET)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0),
            )),
            status => Err(failure_of(status, &answer.body)),
        }
    }

    /// Makes sure the platform holds blob `sha` (sealed bytes `sealed`). With
    /// [`BlobStart::Resume`] it first asks (`HEAD`) what the platform holds and sends only the
    /// rest; with [`BlobStart::FromZero`] it sends the whole blob at once, which the platform
    /// accepts whatever it holds. Calls `sent(n)` for every chunk the platform confirmed.
    /// Returns bytes sent.
    pub async fn ensure_blob(
        &self,
        sha: &str,
        sealed: &[u8],
        start: BlobStart,
        sent: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<u64, SyncError> {
        let held = match start {
            BlobStart::FromZero => Some(0),
            BlobStart::Resume => self.blob_offset(sha).await?,
        };
        let total = sealed.len();
        let mut uploaded = 0u64;
        for range in crate::plan::blob_chunks(held, total, self.chunk) {
            let (start, end) = (range.start, range.end);
            let chunk = sealed[range].to_vec();
            let len = u64::try_from(chunk.len()).unwrap_or(u64::MAX);
            let (builder, exchange) =
                self.request(Method::PUT, &format!("/api/v1/blobs/{sha}"), chunk)?;
            let builder = builder
                .header("content-type", "application/octet-stream")
                .header(
                    "content-range",
                    format!("bytes {start}-{}/{total}", end - 1),
                );
            // The (small) body is read whole and verified: a truncated answer is a failure.
            self.send((builder, exchange), limits::SMALL).await?;
            sent(len);
            uploaded += len;
        }
        Ok(uploaded)
    }

    /// Posts a sealed submission under its application id.
    pub async fn submit(
        &self,
        id: &str,
        sealed_payload: &[u8],
        attachments: &[AttachmentRef],
    ) -> Result<Receipt, SyncError> {
        let body = SubmissionBody {
            id,
            sealed_payload: base64::engine::general_purpose::STANDARD.encode(sealed_payload),
            attachments,
        };
        let value = serde_json::to_value(&body).map_err(|e| SyncError::Store(e.to_string()))?;
        self.json_call(
            Method::POST,
            "/api/v1/submissions",
            Some(&value),
            limits::JSON,
        )
        .await
    }

    /// The audit anchor the platform holds for this kiosk (`GET /api/v1/kiosks/audit-head`,
    /// verified answer).
    pub async fn audit_anchor(&self) -> Result<AuditAnchor, SyncError> {
        self.json_call(
            Method::GET,
            "/api/v1/kiosks/audit-head",
            None,
            limits::SMALL,
        )
        .await
    }

    /// Reports the kiosk's health to the platform.
    pub async fn heartbeat(&self, beat: &Heartbeat) -> Result<(), SyncError> {
        let body = serde_json::to_vec(beat).map_err(|e| SyncError::Store(e.to_string()))?;
        let (builder, exchange) = self.request(Method::POST, "/api/v1/kiosks/heartbeat", body)?;
        let builder = builder.header("content-type", "application/json");
        self.send((builder, exchange), limits::SMALL)
            .await
            .map(|_| ())
    }

    /// One page of the status feed after `cursor`.
    pub async fn status(&self, cursor: i64, limit: u32) -> Result<StatusPage, SyncError> {
        self.json_call(
            Method::GET,
            &format!("/api/v1/status?after={cursor}&limit={limit}"),
            None,
            limits::STATUS,
        )
        .await
    }

    /// Master dataset `name`, conditional on `etag`.
    pub async fn master(&self, name: &str, etag: Option<&str>) -> Result<MasterFetch, SyncError> {
        let (mut builder, exchange) =
            self.request(Method::GET, &format!("/api/v1/master/{name}"), Vec::new())?;
        if let Some(etag) = etag {
            builder = builder.header("if-none-match", etag);
        }
        let answer = self.send((builder, exchange), limits::MASTER).await?;
        if answer.status == StatusCode::NOT_MODIFIED {
            return Ok(MasterFetch::NotModified);
        }
        let etag = answer
            .headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Ok(MasterFetch::Changed {
            etag,
            body: answer.body,
        })
    }

    /// Any signed JSON call of the online checks (`/api/v1/checks/...`, `/api/v1/sms/...`).
    pub async fn call(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, SyncError> {
        self.json_call(Method::POST, path, Some(body), limits::JSON)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(code: &str) -> PlatformReason {
        PlatformReason {
            code: code.into(),
            zh: String::new(),
            en: String::new(),
        }
    }

    #[test]
    fn classification_retries_server_errors_and_gives_up_on_validation() {
        assert!(
            classify(StatusCode::SERVICE_UNAVAILABLE, reason("X")).is_retryable(),
            "503"
        );
        assert!(
            classify(StatusCode::CONFLICT, reason("BLOBS_MISSING")).is_retryable(),
            "blobs missing: upload again"
        );
        assert!(
            matches!(
                classify(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    reason("PAYLOAD_UNREADABLE")
                ),
                SyncError::Refused(_)
            ),
            "422 is a refusal"
        );
        assert!(
            matches!(
                classify(StatusCode::UNAUTHORIZED, reason("CLOCK_SKEW")),
                SyncError::Unauthorised(_)
            ),
            "401 is an auth problem"
        );
        assert!(
            classify(StatusCode::BAD_GATEWAY, reason("HTTP_502")).is_retryable(),
            "proxy 502"
        );
    }
}
