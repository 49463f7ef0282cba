//! `platformd import <bundle>`: ingests an offline bundle a kiosk exported to removable media.
//!
//! The whole bundle is checked before anything is stored: the format, the kiosk's Ed25519
//! signature over the manifest (with the key enrolled for that kiosk, not revoked), and the
//! SHA-256 of every sealed part against the manifest. Then every attachment goes through the
//! blob store and every application through [`Platform::submit`], the same ingestion online
//! sync uses: the application id is the idempotency key, so importing a bundle twice, or one
//! whose applications were also synced online, stores each application once.

use std::sync::Arc;

use crate::sql_params as params;
use crate::storage::OptionalRow;
use axum::http::HeaderMap;
use base64::Engine;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::db::sha256_hex;
use crate::submissions::{AttachmentRef, SubmissionRequest};
use crate::{ApiError, Platform};

/// The bundle format this platform reads.
pub const BUNDLE_FORMAT: &str = "tongban-bundle-v1";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bundle {
    format: String,
    manifest: String,
    signature: String,
    items: Vec<BundleItem>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BundleItem {
    id: String,
    sealed_payload: String,
    attachments: Vec<BundleAttachment>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BundleAttachment {
    sha256: String,
    sealed: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    kiosk_id: String,
    items: Vec<ManifestItem>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ManifestItem {
    id: String,
    payload_sha256: String,
    attachments: Vec<ManifestAttachment>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ManifestAttachment {
    slot: String,
    sha256: String,
    size: u64,
    media_type: String,
    sealed_sha256: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// The kiosk that signed the bundle.
    pub kiosk_id: String,
    /// Applications stored for the first time.
    pub imported: u64,
    /// Applications the platform already held (an earlier import or online sync).
    pub duplicates: u64,
    /// Of the new ones, those that need action (e.g. the ID number already has an account).
    pub needs_action: u64,
}

fn invalid(detail: impl std::fmt::Display) -> ApiError {
    ApiError::unprocessable(
        "BUNDLE_INVALID",
        format!("导入包格式不正确（{detail}），未导入任何申请。请让终端重新导出。"),
        format!(
            "The bundle is malformed ({detail}); nothing was imported. Export it again at the kiosk."
        ),
    )
}

fn tampered(detail: impl std::fmt::Display) -> ApiError {
    ApiError::unprocessable(
        "BUNDLE_TAMPERED",
        format!(
            "导入包已被改动或损坏（{detail}），未导入任何申请。请让终端重新导出，换一个移动介质。"
        ),
        format!(
            "The bundle was altered or damaged ({detail}); nothing was imported. Export it again at the kiosk onto another medium."
        ),
    )
}

fn signing_string(kiosk_id: &str, manifest: &[u8]) -> String {
    format!("TONGBAN-BUNDLE-V1\n{kiosk_id}\n{}", sha256_hex(manifest))
}

impl Platform {
    fn kiosk_key(&self, kiosk_id: &str) -> Result<VerifyingKey, ApiError> {
        let key: Option<Vec<u8>> = self
            .read()?
            .query_row(
                "SELECT public_key FROM kiosks WHERE id = ?1 AND revoked_at IS NULL",
                params![kiosk_id],
                |r| r.get(0),
            )
            .optional()?;
        key.and_then(|k| <[u8; 32]>::try_from(k.as_slice()).ok())
            .and_then(|k| VerifyingKey::from_bytes(&k).ok())
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "KIOSK_UNKNOWN",
                    format!("导入包来自未注册或已停用的终端「{kiosk_id}」，未导入。"),
                    format!(
                        "The bundle comes from kiosk \"{kiosk_id}\", which is not enrolled or was revoked; nothing was imported."
                    ),
                )
            })
    }

    /// Checks `bytes` as a bundle and, only if all of it is intact and signed by an enrolled
    /// kiosk, ingests every application exactly once.
    pub async fn import_bundle(self: &Arc<Self>, bytes: &[u8]) -> Result<ImportReport, ApiError> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let bundle: Bundle =
            serde_json::from_slice(bytes).map_err(|e| invalid(format!("JSON: {e}")))?;
        if bundle.format != BUNDLE_FORMAT {
            return Err(invalid(format!("format {:?}", bundle.format)));
        }
        let manifest: Manifest = serde_json::from_str(&bundle.manifest)
            .map_err(|e| tampered(format!("manifest: {e}")))?;
        let key = self.kiosk_key(&manifest.kiosk_id)?;
        let signature = b64
            .decode(bundle.signature.as_bytes())
            .ok()
            .and_then(|b| Signature::from_slice(&b).ok())
            .ok_or_else(|| tampered("signature unreadable"))?;
        key.verify_strict(
            signing_string(&manifest.kiosk_id, bundle.manifest.as_bytes()).as_bytes(),
            &signature,
        )
        .map_err(|_| tampered("signature does not match the manifest"))?;
        if manifest.items.len() != bundle.items.len() {
            return Err(tampered("item count differs from the manifest"));
        }
        // Decode and check every part before storing anything.
        let mut checked = Vec::with_capacity(bundle.items.len());
        for (listed, item) in manifest.items.iter().zip(&bundle.items) {
            if listed.id != item.id || listed.attachments.len() != item.attachments.len() {
                return Err(tampered(format!(
                    "item {} differs from the manifest",
                    item.id
                )));
            }
            let payload = b64
                .decode(item.sealed_payload.as_bytes())
                .map_err(|_| tampered(format!("payload of {} unreadable", item.id)))?;
            if sha256_hex(&payload) != listed.payload_sha256 {
                return Err(tampered(format!("payload of {} changed", item.id)));
            }
            let mut parts = Vec::with_capacity(item.attachments.len());
            for (want, part) in listed.attachments.iter().zip(&item.attachments) {
                let sealed = b64
                    .decode(part.sealed.as_bytes())
                    .map_err(|_| tampered(format!("attachment of {} unreadable", item.id)))?;
                if part.sha256 != want.sha256 || sha256_hex(&sealed) != want.sealed_sha256 {
                    return Err(tampered(format!("attachment of {} changed", item.id)));
                }
                parts.push(sealed);
            }
            checked.push((listed, payload, parts));
        }
        let mut report = ImportReport {
            kiosk_id: manifest.kiosk_id.clone(),
            ..ImportReport::default()
        };
        let no_headers = HeaderMap::new();
        for (listed, payload, parts) in checked {
            for (want, sealed) in listed.attachments.iter().zip(parts) {
                self.put_blob(
                    &manifest.kiosk_id,
                    &want.sha256,
                    &no_headers,
                    axum::body::Bytes::from(sealed),
                )
                .await?;
            }
            let request = SubmissionRequest {
                id: listed.id.clone(),
                sealed_payload: b64.encode(&payload),
                attachments: listed
                    .attachments
                    .iter()
                    .map(|a| AttachmentRef {
                        slot: a.slot.clone(),
                        sha256: a.sha256.clone(),
                        size: a.size,
                        media_type: a.media_type.clone(),
                    })
                    .collect(),
            };
            let (new, receipt) = self.submit(&manifest.kiosk_id, &request).await?;
            if new {
                report.imported += 1;
                if receipt.state == "needs-action" {
                    report.needs_action += 1;
                }
            } else {
                report.duplicates += 1;
            }
        }
        log::info!(
            "imported bundle from {}: {} new, {} already held",
            report.kiosk_id,
            report.imported,
            report.duplicates
        );
        Ok(report)
    }
}
