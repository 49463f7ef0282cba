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

/// The bundle format name.
pub const BUNDLE_FORMAT: &str = "tongban-bundle-v1";
/// File name extension of bundles.
pub const BUNDLE_EXTENSION: &str = "tbundle";
/// Setting: the folder offered first for exports (e.g. a share mounted for the purpose).
pub const SETTING_EXPORT_DIR: &str = "export.dir";

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
        return Problem::new(
            "EXPORT_MEDIUM_FULL",
            format!(
                "{} 空间不足，导出未完成。请换一个空间更大的移动介质。",
                path.display()
            ),
            format!(
                "{} is full; nothing was exported. Use a larger removable medium.",
                path.display()
            ),
        );
    }
    Problem::new(
        "EXPORT_WRITE_FAILED",
        format!(
            "无法写入 {}：{e}。请检查移动介质是否插好、是否只读。",
            path.display()
        ),
        format!(
            "Cannot write {}: {e}. Check that the medium is plugged in and writable.",
            path.display()
        ),
    )
}

fn credential(kiosk: &Kiosk) -> Result<Credential, Problem> {
    crate::sync::credential(kiosk).map_err(|_| {
        Problem::new(
            "EXPORT_NOT_ENROLLED",
            "本机尚未在平台注册，不能导出（导出的申请须加密给平台并由本机签名）。请先完成注册。",
            "This kiosk is not enrolled; bundles must be sealed to the platform and signed by the kiosk. Enrol it first.",
        )
    })
}

/// Builds the bundle for `ids` (sealed parts read from the store).
fn build(
    kiosk: &Kiosk,
    credential: &Credential,
    ids: &[String],
    now: i64,
) -> Result<Bundle, Problem> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut manifest_items = Vec::with_capacity(ids.len());
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        let payload = kiosk.store().sealed_payload(id)?;
        let attachments = kiosk.store().sealed_attachments(id)?;
        manifest_items.push(ManifestItem {
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
        items.push(BundleItem {
            id: id.clone(),
            sealed_payload: b64.encode(&payload.body),
            attachments: attachments
                .iter()
                .map(|a| BundleAttachment {
                    sha256: a.info.sha256.clone(),
                    sealed: b64.encode(&a.sealed.body),
                })
                .collect(),
        });
    }
    let manifest = serde_json::to_string(&Manifest {
        kiosk_id: credential.kiosk_id.clone(),
        created_at: now,
        items: manifest_items,
    })
    .map_err(|e| Problem::new("EXPORT_ENCODE_FAILED", format!("{e}"), format!("{e}")))?;
    let signature = credential.sign_bundle_manifest(manifest.as_bytes())?;
    Ok(Bundle {
        format: BUNDLE_FORMAT.into(),
        manifest,
        signature,
        items,
    })
}

/// Writes `bytes` to `path` durably: a temporary file, fsync, rename, fsync of the folder. A
/// medium pulled out half-way leaves no half bundle under the final name.
fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), Problem> {
    let tmp = path.with_extension("part");
    write_then_rename(&tmp, path, bytes).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_problem(path, &e)
    })
}

fn write_then_rename(tmp: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::File::create(tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(tmp, path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
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
        return Err(Problem::new(
            "EXPORT_FOLDER_MISSING",
            format!(
                "找不到文件夹 {}。请插好移动介质后选择它的文件夹。",
                dir.display()
            ),
            format!(
                "There is no folder {}. Plug in the medium and choose its folder.",
                dir.display()
            ),
        )
        .at("dir"));
    }
    let credential = credential(kiosk)?;
    let ids = kiosk.store().exportable(again)?;
    if ids.is_empty() {
        return Err(Problem::new(
            "EXPORT_NOTHING",
            "没有需要导出的申请（待审核、已送达或已导出的不会再导出）。",
            "Nothing to export (applications awaiting review, delivered or already exported are left out).",
        ));
    }
    let bundle = build(kiosk, &credential, &ids, now)?;
    let bytes = serde_json::to_vec(&bundle)
        .map_err(|e| Problem::new("EXPORT_ENCODE_FAILED", format!("{e}"), format!("{e}")))?;
    let name = format!(
        "tongban-{}-{now}.{BUNDLE_EXTENSION}",
        credential
            .kiosk_id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
    );
    let path: PathBuf = dir.join(&name);
    write_durably(&path, &bytes)?;
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
        bytes: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
    })
}
