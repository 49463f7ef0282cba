//! Offline export: approved, unsent applications written as ONE bundle file to a folder (a
//! USB stick), for `platformd import` when the link is down.
//!
//! The bundle is JSON (`docs/protocol.md`, "Offline bundles"):
//!
//! ```text
//! { "format": "tongban-bundle-v1",
//!   "manifest": "<JSON text: kioskId, createdAt, items[{id, payloadSha256,
//!                 attachments[{slot, sha256, size, mediaType, sealedSha256}]}]>",
//!   "signature": "<base64 Ed25519 by the kiosk's credential key over
//!                 TONGBAN-BUNDLE-V1\n<kioskId>\n<sha256 hex of the manifest text>>",
//!   "items": [{ "id", "sealedPayload": "<base64>",
//!               "attachments": [{ "sha256", "sealed": "<base64>" }] }] }
//! ```
//!
//! Payloads and attachments stay sealed to the platform's key, exactly as online sync sends
//! them; the manifest names every id and the SHA-256 of every sealed part, and the signature
//! covers the manifest. Nothing is deleted or taken out of the outbox: an exported application
//! is still sent online if the link comes back first (the platform keeps one copy per id), and
//! learns its verdict from the status feed like any other.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use kiosk_core::Problem;
use kiosk_sync::Credential;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use ts_rs::TS;

use crate::Kiosk;

pub mod destinations;
mod error;

pub use error::ExportError;

/// The bundle format name.
pub const BUNDLE_FORMAT: &str = "tongban-bundle-v1";
/// File name extension of bundles.
pub const BUNDLE_EXTENSION: &str = "tbundle";
/// Setting: the folder offered first for exports (e.g. a share mounted for the purpose).
pub const SETTING_EXPORT_DIR: &str = kiosk_core::settings::EXPORT_DIR.key;

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportReport {
    /// The bundle file.
    pub path: String,
    /// Applications in it.
    pub ids: Vec<String>,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// One attachment in the signed manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestAttachment {
    /// Slot.
    pub slot: String,
    /// Plaintext SHA-256 (the platform's blob name).
    pub sha256: String,
    /// Plaintext size.
    pub size: u64,
    /// MIME type.
    pub media_type: String,
    /// SHA-256 of the sealed bytes in the bundle.
    pub sealed_sha256: String,
}

/// One application in the signed manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestItem {
    /// Application id (the platform's idempotency key).
    pub id: String,
    /// SHA-256 of the sealed payload in the bundle.
    pub payload_sha256: String,
    /// Attachments in order.
    pub attachments: Vec<ManifestAttachment>,
}

/// The signed manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The kiosk that wrote (and signed) the bundle.
    pub kiosk_id: String,
    /// When, Unix ms.
    pub created_at: i64,
    /// The applications.
    pub items: Vec<ManifestItem>,
}

/// A sealed attachment in the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleAttachment {
    /// Plaintext SHA-256.
    pub sha256: String,
    /// Sealed bytes, base64.
    pub sealed: String,
}

/// A sealed application in the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleItem {
    /// Application id.
    pub id: String,
    /// Sealed payload, base64.
    pub sealed_payload: String,
    /// Sealed attachments in manifest order.
    pub attachments: Vec<BundleAttachment>,
}

/// The bundle file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bundle {
    /// [`BUNDLE_FORMAT`].
    pub format: String,
    /// The manifest as signed (JSON text of [`Manifest`]).
    pub manifest: String,
    /// The kiosk's signature over the manifest.
    pub signature: String,
    /// The sealed parts.
    pub items: Vec<BundleItem>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

fn io_problem(path: &Path, e: &std::io::Error) -> Problem {
    if e.kind() == std::io::ErrorKind::StorageFull {
        return ExportError::MediumFull(path.to_path_buf()).into();
    }
    ExportError::WriteFailed {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
    .into()
}

fn credential(kiosk: &Kiosk) -> Result<Credential, Problem> {
    crate::sync::credential(kiosk).map_err(|_| ExportError::NotEnrolled.into())
}

/// The signed manifest of `ids`: a first pass over the sealed parts, one application in
/// memory at a time.
fn manifest(
    kiosk: &Kiosk,
    credential: &Credential,
    ids: &[String],
    now: i64,
) -> Result<String, Problem> {
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        let payload = kiosk.store().sealed_payload(id)?;
        let attachments = kiosk.store().sealed_attachments(id)?;
        items.push(ManifestItem {
            id: id.clone(),
            payload_sha256: sha256_hex(&payload.body),
            attachments: attachments
                .iter()
                .map(|a| ManifestAttachment {
                    slot: a.info.slot.clone(),
                    sha256: a.info.sha256.clone(),
                    size: u64::try_from(a.info.size).unwrap_or(0),
                    media_type: a.info.media_type.clone(),
                    sealed_sha256: sha256_hex(&a.sealed.body),
                })
                .collect(),
        });
    }
    serde_json::to_string(&Manifest {
        kiosk_id: credential.kiosk_id.clone(),
        created_at: now,
        items,
    })
    .map_err(encode_problem)
}

fn encode_problem(e: serde_json::Error) -> Problem {
    ExportError::EncodeFailed(e.to_string()).into()
}

/// The bundle's parts as they go to the file: the head, then each item as it is read.
#[derive(Serialize)]
struct BundleHead<'a> {
    format: &'a str,
    manifest: &'a str,
    signature: &'a str,
}

/// Writes the bundle of `ids` to `out` as a stream: the head (format, manifest, signature),
/// then each sealed application read from the store one at a time, so a large export never
/// sits in memory. The result parses as a [`Bundle`].
fn write_bundle(
    kiosk: &Kiosk,
    out: &mut impl Write,
    manifest: &str,
    signature: &str,
    ids: &[String],
) -> Result<(), Problem> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let head = serde_json::to_string(&BundleHead {
        format: BUNDLE_FORMAT,
        manifest,
        signature,
    })
    .map_err(encode_problem)?;
    let io = |e: std::io::Error| encode_problem(serde_json::Error::io(e));
    // `{"format":…,"signature":…` without its closing brace, then the items array.
    out.write_all(head.trim_end_matches('}').as_bytes())
        .map_err(io)?;
    out.write_all(b",\"items\":[").map_err(io)?;
    for (n, id) in ids.iter().enumerate() {
        if n > 0 {
            out.write_all(b",").map_err(io)?;
        }
        let payload = kiosk.store().sealed_payload(id)?;
        let attachments = kiosk.store().sealed_attachments(id)?;
        let item = BundleItem {
            id: id.clone(),
            sealed_payload: b64.encode(&payload.body),
            attachments: attachments
                .iter()
                .map(|a| BundleAttachment {
                    sha256: a.info.sha256.clone(),
                    sealed: b64.encode(&a.sealed.body),
                })
                .collect(),
        };
        serde_json::to_writer(&mut *out, &item).map_err(encode_problem)?;
    }
    out.write_all(b"]}").map_err(io)?;
    Ok(())
}

/// Streams the bundle into `path` durably: a temporary file, fsync, rename, fsync of the
/// folder. A medium pulled out half-way leaves no half bundle under the final name. Returns
/// the bundle's size.
fn write_durably(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<(), Problem>,
) -> Result<u64, Problem> {
    let tmp = path.with_extension("part");
    let result = (|| {
        let file = std::fs::File::create(&tmp).map_err(|e| io_problem(path, &e))?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| io_problem(path, e.error()))?;
        file.sync_all().map_err(|e| io_problem(path, &e))?;
        let size = file.metadata().map_err(|e| io_problem(path, &e))?.len();
        std::fs::rename(&tmp, path).map_err(|e| io_problem(path, &e))?;
        if let Some(dir) = path.parent() {
            std::fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(|e| io_problem(path, &e))?;
        }
        Ok(size)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Exports every approved, unsent application (also those exported before when `again`)
/// into one signed bundle in `dir`, and marks them exported. Nothing is deleted.
pub fn export_bundle(
    kiosk: &Kiosk,
    dir: &Path,
    actor: &str,
    again: bool,
    now: i64,
) -> Result<ExportReport, Problem> {
    if !dir.is_dir() {
        return Err(ExportError::FolderMissing(dir.to_path_buf()).into());
    }
    let credential = credential(kiosk)?;
    let ids = kiosk.store().exportable(again)?;
    if ids.is_empty() {
        return Err(ExportError::Nothing.into());
    }
    let manifest = manifest(kiosk, &credential, &ids, now)?;
    let signature = credential.sign_bundle_manifest(manifest.as_bytes())?;
    let name = format!(
        "tongban-{}-{now}.{BUNDLE_EXTENSION}",
        credential
            .kiosk_id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
    );
    let path: PathBuf = dir.join(&name);
    let bytes = write_durably(&path, |out| {
        write_bundle(kiosk, out, &manifest, &signature, &ids)
    })?;
    kiosk
        .store()
        .mark_exported(ids.clone(), &name, actor, now)?;
    log::info!(
        "exported {} application(s) to {}",
        ids.len(),
        path.display()
    );
    Ok(ExportReport {
        path: path.display().to_string(),
        ids,
        bytes,
    })
}
