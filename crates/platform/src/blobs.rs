//! Content-addressed, resumable attachment uploads.
//!
//! A blob is named by the SHA-256 of its plaintext. The kiosk uploads the age-sealed bytes,
//! whole or in chunks with `Content-Range: bytes START-END/TOTAL`; the platform keeps the
//! partial upload per kiosk, and once complete decrypts it, checks the hash and stores it
//! sealed again to the platform's recipient alone (an ID photo is personal data: the blob
//! store never holds it in plaintext, [`crate::pii`]). Uploading a blob the platform already
//! holds is a no-op. Blobs stored in plaintext by an older platformd are still read.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::sql_params as params;
use crate::storage::OptionalRow;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};

use crate::{ApiError, BLOB_TOTAL_LIMIT, Platform};

/// How every age file starts (a stored blob that does not is from before blobs were sealed).
const AGE_HEADER: &[u8] = b"age-encryption.org/v1\n";

/// Header carrying how many sealed bytes of a partial upload the platform holds.
pub const HEADER_UPLOAD_OFFSET: &str = "x-upload-offset";

/// Per-upload locks, so two requests for the same partial file never interleave.
#[derive(Debug, Default)]
pub struct BlobLocks(Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>);

impl BlobLocks {
    fn get(&self, key: &str) -> Result<Arc<tokio::sync::Mutex<()>>, ApiError> {
        let mut map = self.0.lock().map_err(|_| ApiError::internal())?;
        if map.len() > 4096 {
            map.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        Ok(Arc::clone(map.entry(key.to_owned()).or_default()))
    }
}

/// What the platform holds of a blob.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlobState {
    /// The plaintext SHA-256.
    pub sha256: String,
    /// Whether the blob is complete and verified.
    pub complete: bool,
    /// Plaintext size once complete.
    pub size: Option<u64>,
    /// Sealed bytes received so far of an incomplete upload.
    pub received: u64,
}

/// Checks that `sha` is 64 lower-case hex characters.
pub fn check_sha(sha: &str) -> Result<(), ApiError> {
    if sha.len() == 64 && sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "BLOB_NAME_INVALID",
            "附件名须为 64 位小写十六进制 SHA-256。",
            "A blob name must be a 64-character lower-case hex SHA-256.",
        ))
    }
}

/// A parsed `Content-Range: bytes START-END/TOTAL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentRange {
    /// First byte offset.
    pub start: u64,
    /// Last byte offset (inclusive).
    pub end: u64,
    /// Total sealed size.
    pub total: u64,
}

/// Parses a `Content-Range` header value; `None` when malformed or inconsistent.
pub fn parse_content_range(value: &str) -> Option<ContentRange> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let parsed = ContentRange {
        start: start.trim().parse().ok()?,
        end: end.trim().parse().ok()?,
        total: total.trim().parse().ok()?,
    };
    (parsed.start <= parsed.end && parsed.end < parsed.total).then_some(parsed)
}

fn range_error() -> ApiError {
    ApiError::bad_request(
        "CONTENT_RANGE_INVALID",
        "Content-Range 头格式错误或与内容长度不符。",
        "The Content-Range header is malformed or does not match the body length.",
    )
}

impl Platform {
    /// The key of a verified blob in the blob store.
    pub fn blob_key(sha: &str) -> String {
        sha.to_owned()
    }

    /// The key of a partial upload (per kiosk, so two kiosks never mix their bytes).
    fn partial_key(kiosk: &str, sha: &str) -> String {
        format!("partial/{kiosk}-{sha}")
    }

    /// What the platform holds of blob `sha` for `kiosk`.
    pub fn blob_state(&self, kiosk: &str, sha: &str) -> Result<BlobState, ApiError> {
        check_sha(sha)?;
        let size: Option<i64> = self
            .read()?
            .query_row(
                "SELECT size FROM blobs WHERE sha256 = ?1",
                params![sha],
                |r| r.get(0),
            )
            .optional()?;
        let received = match size {
            Some(_) => 0,
            None => self
                .blob_store()
                .size(&Self::partial_key(kiosk, sha))?
                .unwrap_or(0),
        };
        Ok(BlobState {
            sha256: sha.to_owned(),
            complete: size.is_some(),
            size: size.and_then(|s| u64::try_from(s).ok()),
            received,
        })
    }

    /// The plaintext of a stored blob (opened with the platform key; a blob stored in
    /// plaintext by an older platformd is returned as it is).
    pub fn blob_bytes(&self, sha: &str) -> Result<Vec<u8>, ApiError> {
        check_sha(sha)?;
        let stored = self
            .blob_store()
            .get(&Self::blob_key(sha))?
            .ok_or_else(|| {
                ApiError::not_found(
                    "BLOB_NOT_FOUND",
                    "平台没有该附件。",
                    "The platform does not hold this blob.",
                )
            })?;
        if !stored.starts_with(AGE_HEADER) {
            return Ok(stored);
        }
        self.unseal(&stored)
            .ok_or_else(crate::pii::personal_data_unreadable)
    }

    /// Stores one chunk (or the whole) of a sealed upload; completes and verifies it when the
    /// last byte arrives. Returns the status code and the resulting state. The file work and
    /// decryption run on the blocking pool, never on the async workers.
    pub async fn put_blob(
        self: &Arc<Self>,
        kiosk: &str,
        sha: &str,
        headers: &HeaderMap,
        body: axum::body::Bytes,
    ) -> Result<(StatusCode, BlobState), ApiError> {
        check_sha(sha)?;
        let len = u64::try_from(body.len()).unwrap_or(u64::MAX);
        let range = match headers.get("content-range") {
            None => {
                if body.is_empty() {
                    return Err(range_error());
                }
                ContentRange {
                    start: 0,
                    end: len - 1,
                    total: len,
                }
            }
            Some(v) => v
                .to_str()
                .ok()
                .and_then(parse_content_range)
                .filter(|r| r.end - r.start + 1 == len)
                .ok_or_else(range_error)?,
        };
        if range.total > BLOB_TOTAL_LIMIT {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "BLOB_TOO_LARGE",
                format!("附件超过 {BLOB_TOTAL_LIMIT} 字节上限。"),
                format!("The blob exceeds {BLOB_TOTAL_LIMIT} bytes."),
            ));
        }
        let key = format!("{kiosk}-{sha}");
        let lock = self.blob_locks.get(&key)?;
        let _guard = lock.lock().await;
        let platform = Arc::clone(self);
        let (kiosk, sha) = (kiosk.to_owned(), sha.to_owned());
        tokio::task::spawn_blocking(move || platform.store_chunk(&kiosk, &sha, range, &body))
            .await
            .map_err(|_| ApiError::internal())?
    }

    /// The blocking part of [`Platform::put_blob`], under the upload's lock.
    fn store_chunk(
        &self,
        kiosk: &str,
        sha: &str,
        range: ContentRange,
        body: &[u8],
    ) -> Result<(StatusCode, BlobState), ApiError> {
        let state = self.blob_state(kiosk, sha)?;
        if state.complete {
            return Ok((StatusCode::OK, state));
        }
        if range.start > state.received {
            let mut err = ApiError::conflict(
                "UPLOAD_OFFSET_MISMATCH",
                "分段上传的起始位置与平台已收到的字节数不符。请先查询已收到的字节数再续传。",
                "The chunk does not start where the platform's copy ends. Ask with HEAD and resume from there.",
            );
            err.en.push_str(&format!(" (received {})", state.received));
            return Err(err);
        }
        let partial = Self::partial_key(kiosk, sha);
        let whole = range.start == 0 && range.end + 1 == range.total;
        let sealed = if whole {
            // The whole blob in one request: nothing to resume, so no partial object.
            if state.received > 0 {
                self.blob_store().delete(&partial)?;
            }
            body.to_vec()
        } else {
            // Object stores have no append: the partial object is rewritten with the bytes
            // before this chunk plus the chunk (at most BLOB_TOTAL_LIMIT / chunk size times).
            let mut bytes = if range.start > 0 {
                self.blob_store().get(&partial)?.unwrap_or_default()
            } else {
                Vec::new()
            };
            bytes.truncate(usize::try_from(range.start).unwrap_or(usize::MAX));
            if u64::try_from(bytes.len()).unwrap_or(u64::MAX) != range.start {
                return Err(ApiError::conflict(
                    "UPLOAD_OFFSET_MISMATCH",
                    "分段上传的起始位置与平台已收到的字节数不符。请先查询已收到的字节数再续传。",
                    "The chunk does not start where the platform's copy ends. Ask with HEAD and resume from there.",
                ));
            }
            bytes.extend_from_slice(body);
            let received = range.end + 1;
            if received < range.total {
                self.blob_store().put(&partial, bytes)?;
                return Ok((
                    StatusCode::ACCEPTED,
                    BlobState {
                        sha256: sha.to_owned(),
                        complete: false,
                        size: None,
                        received,
                    },
                ));
            }
            bytes
        };
        let plain = self.unseal(&sealed);
        let verified = plain.filter(|p| crate::db::sha256_hex(p) == sha);
        let Some(plain) = verified else {
            if !whole {
                self.blob_store().delete(&partial)?;
            }
            return Err(ApiError::unprocessable(
                "BLOB_HASH_MISMATCH",
                "附件无法解密，或解密后的 SHA-256 与名称不符。附件已丢弃，请重新上传。",
                "The blob could not be decrypted, or its plaintext SHA-256 differs from its name. It was discarded; upload it again.",
            ));
        };
        let size = u64::try_from(plain.len()).unwrap_or(u64::MAX);
        // Sealed again to the platform alone (the kiosk's seal may name other recipients).
        let stored =
            age::encrypt(self.recipient_key(), &plain).map_err(|_| ApiError::internal())?;
        drop(plain);
        // Durable in the blob store before the database says the platform holds it.
        self.blob_store().put(&Self::blob_key(sha), stored)?;
        if !whole {
            self.blob_store().delete(&partial)?;
        }
        let mut tx = self.write_atomic()?;
        tx.execute(
            "INSERT INTO blobs (sha256, size, received_at, kiosk_id) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
            params![
                sha,
                i64::try_from(size).unwrap_or(i64::MAX),
                self.now_ms(),
                kiosk
            ],
        )?;
        tx.commit()?;
        Ok((
            StatusCode::CREATED,
            BlobState {
                sha256: sha.to_owned(),
                complete: true,
                size: Some(size),
                received: 0,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_parses_valid_and_refuses_inconsistent_ranges() {
        assert_eq!(
            parse_content_range("bytes 0-9/20"),
            Some(ContentRange {
                start: 0,
                end: 9,
                total: 20
            }),
            "a first chunk parses"
        );
        assert_eq!(
            parse_content_range("bytes 10-9/20"),
            None,
            "end before start"
        );
        assert_eq!(
            parse_content_range("bytes 0-20/20"),
            None,
            "end beyond total"
        );
        assert_eq!(parse_content_range("items 0-1/2"), None, "wrong unit");
        assert_eq!(parse_content_range("bytes -1/2"), None, "missing start");
    }

    #[test]
    fn blob_names_must_be_lower_case_hex_sha256() {
        assert!(check_sha(&"a".repeat(64)).is_ok(), "64 hex chars are fine");
        assert!(check_sha(&"A".repeat(64)).is_err(), "upper case is refused");
        assert!(check_sha("../etc/passwd").is_err(), "paths are refused");
    }

    proptest::proptest! {
        #[test]
        fn content_range_parser_never_panics(s in ".{0,40}") {
            let _ = parse_content_range(&s);
        }
    }
}
