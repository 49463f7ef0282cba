//! The kiosk credential (Ed25519 key pair) and request signing.

use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::SyncError;

/// The bytes a kiosk signs; the platform rebuilds the same string.
pub fn canonical_string(
    method: &str,
    path_and_query: &str,
    timestamp_ms: i64,
    nonce: &str,
    body_sha256_hex: &str,
) -> String {
    format!("TONGBAN-V1\n{method}\n{path_and_query}\n{timestamp_ms}\n{nonce}\n{body_sha256_hex}")
}

/// The bytes a kiosk signs for an offline export bundle (the platform rebuilds the same).
pub fn bundle_signing_string(kiosk_id: &str, manifest: &[u8]) -> String {
    format!(
        "TONGBAN-BUNDLE-V1\n{kiosk_id}\n{}",
        hex::encode(sha2::Sha256::digest(manifest))
    )
}

/// What the kiosk keeps after enrolment. The secret key never leaves the kiosk.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    /// Base URL of the platform, e.g. `https://platform.example.gov.cn`.
    pub platform_url: String,
    /// The id the platform assigned.
    pub kiosk_id: String,
    /// The name the administrator gave.
    pub kiosk_name: String,
    /// The platform's age recipient.
    pub platform_recipient: String,
    /// The platform's Ed25519 signing key, base64, pinned at enrolment (its fingerprint was
    /// in the enrolment code). Every answer the kiosk acts on must verify with it. `None`
    /// only in credentials saved before answers were signed: such a kiosk must re-enrol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_key: Option<String>,
    /// A CA or server certificate (PEM) given at enrolment: when set, the kiosk trusts only
    /// it for the platform's TLS, not the system roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_tls: Option<String>,
    /// The Ed25519 secret key, base64 (32 bytes).
    secret_key: String,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("platform_url", &self.platform_url)
            .field("kiosk_id", &self.kiosk_id)
            .finish_non_exhaustive()
    }
}

/// The headers of one signed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// `X-Kiosk-Id`.
    pub kiosk_id: String,
    /// `X-Kiosk-Timestamp`.
    pub timestamp: String,
    /// `X-Kiosk-Nonce`.
    pub nonce: String,
    /// `X-Kiosk-Signature`.
    pub signature: String,
}

/// `count` random bytes from the OS.
pub fn random_bytes(count: usize) -> Result<Vec<u8>, SyncError> {
    let mut buf = vec![0u8; count];
    getrandom::fill(&mut buf).map_err(|e| SyncError::Store(format!("random: {e}")))?;
    Ok(buf)
}

/// A fresh signing key.
pub fn generate_key() -> Result<SigningKey, SyncError> {
    let bytes = random_bytes(32)?;
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&bytes);
    Ok(SigningKey::from_bytes(&seed))
}

impl Credential {
    /// Assembles a credential from the enrolment answer and the key.
    pub fn new(
        platform_url: String,
        kiosk_id: String,
        kiosk_name: String,
        platform_recipient: String,
        platform_key: String,
        key: &SigningKey,
    ) -> Self {
        Self {
            platform_url,
            kiosk_id,
            kiosk_name,
            platform_recipient,
            platform_key: Some(platform_key),
            pinned_tls: None,
            secret_key: base64::engine::general_purpose::STANDARD.encode(key.to_bytes()),
        }
    }

    /// The pinned platform key, or why there is none.
    pub fn pinned_platform_key(&self) -> Result<ed25519_dalek::VerifyingKey, SyncError> {
        self.platform_key
            .as_deref()
            .and_then(crate::trust::decode_key)
            .ok_or(SyncError::Untrusted(crate::trust::TrustError::NoPinnedKey))
    }

    fn key(&self) -> Result<SigningKey, SyncError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&self.secret_key)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
            .ok_or_else(|| SyncError::NotEnrolled("the stored kiosk key is malformed".into()))?;
        Ok(SigningKey::from_bytes(&bytes))
    }

    /// Signs one request.
    pub fn sign(
        &self,
        method: &str,
        path_and_query: &str,
        body: &[u8],
        now_ms: i64,
    ) -> Result<SignedHeaders, SyncError> {
        let nonce = hex::encode(random_bytes(16)?);
        let body_hash = hex::encode(sha2::Sha256::digest(body));
        let text = canonical_string(method, path_and_query, now_ms, &nonce, &body_hash);
        let signature = self.key()?.sign(text.as_bytes());
        Ok(SignedHeaders {
            kiosk_id: self.kiosk_id.clone(),
            timestamp: now_ms.to_string(),
            nonce,
            signature: base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()),
        })
    }

    /// Signs an offline export bundle's manifest: Ed25519 over
    /// `TONGBAN-BUNDLE-V1\n<kiosk id>\n<sha256 hex of the manifest bytes>`, base64. The
    /// platform verifies it with the key it enrolled for this kiosk.
    pub fn sign_bundle_manifest(&self, manifest: &[u8]) -> Result<String, SyncError> {
        let text = bundle_signing_string(&self.kiosk_id, manifest);
        let signature = self.key()?.sign(text.as_bytes());
        Ok(base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::Verifier;

    #[test]
    fn signature_verifies_over_the_canonical_string() -> Result<(), SyncError> {
        let key = generate_key()?;
        let cred = Credential::new(
            "http://x".into(),
            "k1".into(),
            "n".into(),
            "age1".into(),
            "pk".into(),
            &key,
        );
        let h = cred.sign("POST", "/api/v1/submissions", b"{}", 1000)?;
        let text = canonical_string(
            "POST",
            "/api/v1/submissions",
            1000,
            &h.nonce,
            &hex::encode(sha2::Sha256::digest(b"{}")),
        );
        let sig_bytes = base64::engine::general_purpose::STANDARD
            .decode(&h.signature)
            .map_err(|e| SyncError::Store(e.to_string()))?;
        let sig = ed25519_dalek::Signature::from_slice(&sig_bytes)
            .map_err(|e| SyncError::Store(e.to_string()))?;
        assert!(
            key.verifying_key().verify(text.as_bytes(), &sig).is_ok(),
            "the platform can verify what the kiosk signed"
        );
        let other = cred.sign("POST", "/api/v1/submissions", b"{}", 1000)?;
        assert_ne!(h.nonce, other.nonce, "every request gets a fresh nonce");
        Ok(())
    }

    #[test]
    fn debug_output_hides_the_secret_key() -> Result<(), SyncError> {
        let key = generate_key()?;
        let cred = Credential::new(
            "u".into(),
            "k".into(),
            "n".into(),
            "r".into(),
            "pk".into(),
            &key,
        );
        let secret = base64::engine::general_purpose::STANDARD.encode(key.to_bytes());
        assert!(!format!("{cred:?}").contains(&secret), "no key in Debug");
        Ok(())
    }
}
