//! Release builds refuse to start with the development update key (`docs/release.md`): a
//! kiosk that trusts the development key installs whatever a developer's machine signs.

use base64::Engine;
use kiosk_api::Problem;

/// Key id of the development key pair (`tauri signer generate`, docs/release.md).
pub const DEVELOPMENT_KEY_ID: &str = "771A09BAE6CDA45E";

/// `tauri.conf.json` as built into this binary.
const TAURI_CONF: &str = include_str!("../../../tauri.conf.json");

/// The key id (16 hex digits) of a `tauri.conf.json` `pubkey` value.
pub fn key_id(pubkey: &str) -> Option<String> {
    let engine = base64::engine::general_purpose::STANDARD;
    let text = String::from_utf8(engine.decode(pubkey.trim()).ok()?).ok()?;
    let key_line = text
        .lines()
        .find(|l| !l.starts_with("untrusted comment:"))?;
    let raw = engine.decode(key_line.trim()).ok()?;
    let id: [u8; 8] = raw.get(2..10)?.try_into().ok()?;
    Some(format!("{:016X}", u64::from_le_bytes(id)))
}

/// Why `pubkey` must not be trusted by a release build: the development key, or no key at all.
pub fn refusal(pubkey: Option<&str>) -> Option<Problem> {
    match pubkey.and_then(key_id) {
        Some(id) if id != DEVELOPMENT_KEY_ID => None,
        Some(_) => Some(kiosk_api::shell_error::ShellError::UpdateDevelopmentKey.into()),
        None => Some(kiosk_api::shell_error::ShellError::UpdateKeyInvalid.into()),
    }
}

/// The `plugins.updater.pubkey` built into this binary.
pub fn built_in_pubkey() -> Option<String> {
    let conf: serde_json::Value = serde_json::from_str(TAURI_CONF).ok()?;
    conf.pointer("/plugins/updater/pubkey")?
        .as_str()
        .map(str::to_owned)
}

/// In a release build (no `debug_assertions`): the refusal for the built-in key, if any.
/// Debug builds (development, tests) accept the development key.
pub fn check_at_start() -> Result<(), Problem> {
    if cfg!(debug_assertions) {
        return Ok(());
    }
    refusal(built_in_pubkey().as_deref()).map_or(Ok(()), Err)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_development_key_in_tauri_conf_is_recognised_and_refused() {
        let pubkey = built_in_pubkey().unwrap();
        // The repository ships the development key until the release officer replaces it.
        assert_eq!(key_id(&pubkey).as_deref(), Some(DEVELOPMENT_KEY_ID));
        let problem = refusal(Some(&pubkey)).unwrap();
        assert_eq!(problem.code, "UPDATE_DEVELOPMENT_KEY");
        assert!(problem.en.contains("development") && problem.zh.contains("开发"));
    }

    #[test]
    fn another_key_is_accepted_and_garbage_is_refused() {
        let pair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        let text = pair.pk.to_box().unwrap().into_string();
        let pubkey = base64::engine::general_purpose::STANDARD.encode(text);
        assert!(refusal(Some(&pubkey)).is_none());
        assert_eq!(
            refusal(Some("not base64!")).unwrap().code,
            "UPDATE_KEY_INVALID"
        );
        assert_eq!(refusal(None).unwrap().code, "UPDATE_KEY_INVALID");
    }

    #[test]
    fn debug_builds_start_with_the_development_key() {
        // This test binary is a debug build: the check lets it start.
        assert!(check_at_start().is_ok());
    }
}
