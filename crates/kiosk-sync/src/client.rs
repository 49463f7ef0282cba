//! The signed HTTP client for protocol v1 (reqwest + rustls with the `ring` provider).

use std::time::Duration;

use base64::Engine;
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::error::PlatformReason;
use crate::signing::{Credential, generate_key};
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
}

/// Installs the `ring` crypto provider for rustls once per process (reqwest needs one).
fn install_crypto_provider() {
    // An error only means a provider is installed already, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn build_http(timeouts: Timeouts) -> Result<reqwest::Client, SyncError> {
    install_crypto_provider();
    reqwest::Client::builder()
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

/// Turns a non-success answer into the right [`SyncError`].
async fn failure(response: reqwest::Response) -> SyncError {
    let status = response.status();
    let reason = response
        .bytes()
        .await
        .ok()
        .and_then(|b| serde_json::from_slice::<PlatformReason>(&b).ok())
        .unwrap_or_else(|| PlatformReason {
            code: format!("HTTP_{}", status.as_u16()),
            zh: format!("平台返回 HTTP {status}。"),
            en: format!("The platform answered HTTP {status}."),
        });
    classify(status, reason)
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
pub async fn enrol(
    platform_url: &str,
    code: &str,
    timeouts: Timeouts,
) -> Result<Credential, SyncError> {
    let http = build_http(timeouts)?;
    let key = generate_key()?;
    let base = platform_url.trim_end_matches('/');
    let body = serde_json::json!({
        "code": code,
        "publicKey": base64::engine::general_purpose::STANDARD.encode(key.verifying_key().to_bytes()),
    });
    let response = http
        .post(format!("{base}/api/v1/enrol"))
        .json(&body)
        .send()
        .await
        .map_err(|e| transport(&e))?;
    if !response.status().is_success() {
        return Err(failure(response).await);
    }
    let answer: EnrolAnswer = response.json().await.map_err(|e| transport(&e))?;
    Ok(Credential::new(
        base.to_owned(),
        answer.kiosk_id,
        answer.kiosk_name,
        answer.platform_recipient,
        &key,
    ))
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
    chunk: usize,
}

impl PlatformClient {
    /// A client for `credential`.
    pub fn new(credential: Credential, timeouts: Timeouts) -> Result<Self, SyncError> {
        Ok(Self {
            http: build_http(timeouts)?,
            credential,
            chunk: DEFAULT_CHUNK,
        })
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
    ) -> Result<reqwest::RequestBuilder, SyncError> {
        let signed = self
            .credential
            .sign(method.as_str(), path_and_query, &body, now_ms())?;
        let url = format!("{}{path_and_query}", self.credential.platform_url);
        Ok(self
            .http
            .request(method, url)
            .header("x-kiosk-id", signed.kiosk_id)
            .header("x-kiosk-timestamp", signed.timestamp)
            .header("x-kiosk-nonce", signed.nonce)
            .header("x-kiosk-signature", signed.signature)
            .body(body))
    }

    async fn send(&self, builder: reqwest::RequestBuilder) -> Result<reqwest::Response, SyncError> {
        let response = builder.send().await.map_err(|e| transport(&e))?;
        if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
            Ok(response)
        } else {
            Err(failure(response).await)
        }
    }

    async fn json_call<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<T, SyncError> {
        let bytes = match body {
            Some(v) => serde_json::to_vec(v).map_err(|e| SyncError::Store(e.to_string()))?,
            None => Vec::new(),
        };
        let mut builder = self.request(method, path, bytes)?;
        if body.is_some() {
            builder = builder.header("content-type", "application/json");
        }
        let response = self.send(builder).await?;
        response.json().await.map_err(|e| transport(&e))
    }

    /// `GET /api/v1/health` (unsigned).
    pub async fn health(&self) -> Result<(), SyncError> {
        let url = format!("{}/api/v1/health", self.credential.platform_url);
        let response = self.http.get(url).send().await.map_err(|e| transport(&e))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(failure(response).await)
        }
    }

    /// How many sealed bytes of blob `sha` the platform holds: `None` when complete.
    pub async fn blob_offset(&self, sha: &str) -> Result<Option<u64>, SyncError> {
        let builder = self.request(Method::HEAD, &format!("/api/v1/blobs/{sha}"), Vec::new())?;
        let response = builder.send().await.map_err(|e| transport(&e))?;
        match response.status() {
            StatusCode::OK => Ok(None),
            StatusCode::NOT_FOUND => Ok(Some(
                response
                    .headers()
                    .get(HEADER_UPLOAD_OFFSET)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0),
            )),
            _ => Err(failure(response).await),
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
        let mut offset = match start {
            BlobStart::FromZero => 0,
            BlobStart::Resume => match self.blob_offset(sha).await? {
                Some(offset) => offset,
                None => return Ok(0),
            },
        };
        let total = sealed.len();
        let mut uploaded = 0u64;
        if usize::try_from(offset).map_or(true, |o| o >= total) {
            offset = 0;
        }
        let mut start = usize::try_from(offset).unwrap_or(0);
        while start < total {
            let end = (start + self.chunk).min(total);
            let chunk = sealed[start..end].to_vec();
            let len = u64::try_from(chunk.len()).unwrap_or(u64::MAX);
            let builder = self
                .request(Method::PUT, &format!("/api/v1/blobs/{sha}"), chunk)?
                .header("content-type", "application/octet-stream")
                .header(
                    "content-range",
                    format!("bytes {start}-{}/{total}", end - 1),
                );
            let response = self.send(builder).await?;
            // Read the (small) body so a truncated answer counts as a failure.
            response.bytes().await.map_err(|e| transport(&e))?;
            sent(len);
            uploaded += len;
            start = end;
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
        self.json_call(Method::POST, "/api/v1/submissions", Some(&value))
            .await
    }

    /// Reports the kiosk's health to the platform.
    pub async fn heartbeat(&self, beat: &Heartbeat) -> Result<(), SyncError> {
        let body = serde_json::to_vec(beat).map_err(|e| SyncError::Store(e.to_string()))?;
        let builder = self
            .request(Method::POST, "/api/v1/kiosks/heartbeat", body)?
            .header("content-type", "application/json");
        self.send(builder).await.map(|_| ())
    }

    /// One page of the status feed after `cursor`.
    pub async fn status(&self, cursor: i64, limit: u32) -> Result<StatusPage, SyncError> {
        self.json_call(
            Method::GET,
            &format!("/api/v1/status?after={cursor}&limit={limit}"),
            None,
        )
        .await
    }

    /// Master dataset `name`, conditional on `etag`.
    pub async fn master(&self, name: &str, etag: Option<&str>) -> Result<MasterFetch, SyncError> {
        let mut builder =
            self.request(Method::GET, &format!("/api/v1/master/{name}"), Vec::new())?;
        if let Some(etag) = etag {
            builder = builder.header("if-none-match", etag);
        }
        let response = self.send(builder).await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            return Ok(MasterFetch::NotModified);
        }
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.bytes().await.map_err(|e| transport(&e))?.to_vec();
        Ok(MasterFetch::Changed { etag, body })
    }

    /// Any signed JSON call of the online checks (`/api/v1/checks/...`, `/api/v1/sms/...`).
    pub async fn call(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, SyncError> {
        self.json_call(Method::POST, path, Some(body)).await
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
