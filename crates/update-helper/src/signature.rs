//! The pinned release key and signature checks.

use base64::Engine;
use minisign_verify::{PublicKey, Signature};

use crate::Refusal;

/// `tauri.conf.json` as it was when this helper was built: the release key comes from here.
const TAURI_CONF: &str = include_str!("../../../tauri.conf.json");

/// The release public key the helper trusts.
#[derive(Debug)]
pub struct PinnedKey(PublicKey);

/// Decodes a `tauri.conf.json` `pubkey` value (base64 of a minisign public key file).
fn decode_tauri_pubkey(value: &str) -> Result<PublicKey, Refusal> {
    let text = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| Refusal::Broken("the pinned key is not base64 text".into()))?;
    PublicKey::decode(&text).map_err(|e| Refusal::Broken(format!("the pinned key: {e}")))
}

impl PinnedKey {
    /// The key compiled into this helper (`plugins.updater.pubkey` of `tauri.conf.json`).
    /// Debug builds let tests replace it with `TONGBAN_UPDATE_HELPER_TEST_PUBKEY`.
    pub fn compiled_in() -> Result<Self, Refusal> {
        #[cfg(debug_assertions)]
        if let Ok(test_key) = std::env::var("TONGBAN_UPDATE_HELPER_TEST_PUBKEY") {
            return decode_tauri_pubkey(&test_key).map(Self);
        }
        let conf: serde_json::Value = serde_json::from_str(TAURI_CONF)
            .map_err(|e| Refusal::Broken(format!("tauri.conf.json: {e}")))?;
        let value = conf
            .pointer("/plugins/updater/pubkey")
            .and_then(|v| v.as_str())
            .ok_or_else(|| Refusal::Broken("no plugins.updater.pubkey".into()))?;
        decode_tauri_pubkey(value).map(Self)
    }

    /// Verifies `signature` (a minisign signature, or its base64 as the Tauri CLI writes it)
    /// over `bytes`; returns the version in its trusted comment (`version:<v>`).
    pub fn verify(&self, bytes: &[u8], signature: &[u8]) -> Result<String, Refusal> {
        let text = std::str::from_utf8(signature)
            .map_err(|_| Refusal::SignatureInvalid("not text".into()))?
            .trim();
        let text = if text.starts_with("untrusted comment:") {
            text.to_owned()
        } else {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| Refusal::SignatureInvalid("not a minisign signature".into()))?
        };
        let signature = Signature::decode(&text)
            .map_err(|e| Refusal::SignatureInvalid(format!("unreadable: {e}")))?;
        self.0
            .verify(bytes, &signature, false)
            .map_err(|e| Refusal::SignatureInvalid(e.to_string()))?;
        signed_version(signature.trusted_comment()).ok_or_else(|| Refusal::SignedVersionMismatch {
            signed: "(none)".into(),
            package: "?".into(),
        })
    }
}

/// The `version:<v>` field of a trusted comment (tab-separated fields, as the Tauri CLI
/// writes them).
pub fn signed_version(trusted_comment: &str) -> Option<String> {
    trusted_comment
        .split('\t')
        .find_map(|field| field.strip_prefix("version:"))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_version_is_read_from_the_trusted_comment() {
        assert_eq!(
            signed_version("timestamp:1\tfile:tongban_0.2.0_amd64.deb\tversion:0.2.0").as_deref(),
            Some("0.2.0")
        );
        assert_eq!(signed_version("timestamp:1\tfile:x.deb"), None);
        assert_eq!(signed_version("version:"), None);
    }

    #[test]
    fn the_compiled_in_key_decodes() {
        assert!(PinnedKey::compiled_in().is_ok());
    }
}
