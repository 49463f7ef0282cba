//! The real tauri-plugin-updater (check, download, minisign verification) against a real
//! platformd on loopback serving `updates/` from a folder. Keys are made here at runtime with
//! the `minisign` crate, in the format `tauri signer generate` writes; no private key is kept.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;
use std::path::PathBuf;

use base64::Engine;
use kiosk_api::update::UpdatePhase;
use tauri::test::{MockRuntime, mock_builder};

use super::*;

fn b64(text: String) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// A release key pair, as `tauri signer generate` makes (unencrypted here: test only).
struct ReleaseKey(minisign::KeyPair);

impl ReleaseKey {
    fn new() -> Self {
        Self(minisign::KeyPair::generate_unencrypted_keypair().unwrap())
    }

    /// The `pubkey` value of `tauri.conf.json`.
    fn tauri_pubkey(&self) -> String {
        b64(self.0.pk.to_box().unwrap().into_string())
    }

    /// The content of the `.sig` file the Tauri CLI writes, with the signed version.
    fn sign(&self, bytes: &[u8], version: &str) -> String {
        let trusted =
            format!("timestamp:1763856000\tfile:tongban_{version}_amd64.deb\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.0.pk),
            &self.0.sk,
            Cursor::new(bytes),
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        b64(signature.to_string())
    }
}

/// A platformd on loopback; `publish` writes into its `updates/` folder.
struct Platform {
    server: kiosk_testkit::platformd::Loopback,
    url: String,
    updates: PathBuf,
}

impl Platform {
    async fn start() -> Self {
        let server = kiosk_testkit::platformd::Loopback::start().await;
        Self {
            url: server.url(),
            updates: server.data_dir().join("updates"),
            server,
        }
    }

    /// Publishes `artifact` as `version` with `signature` in `latest.json`.
    fn publish(&self, version: &str, artifact: &[u8], signature: &str) {
        let name = format!("tongban_{version}_amd64.deb");
        std::fs::write(self.updates.join(&name), artifact).unwrap();
        let entry = serde_json::json!({
            "url": format!("{}/api/v1/updates/{name}", self.url),
            "signature": signature,
        });
        let manifest = serde_json::json!({
            "version": version,
            "notes": "测试版本 / test release",
            "pub_date": "2026-11-23T00:00:00Z",
            "platforms": { "linux-x86_64-deb": entry, "linux-x86_64": entry },
        });
        std::fs::write(self.updates.join("latest.json"), manifest.to_string()).unwrap();
    }

    fn manifest_url(&self) -> String {
        kiosk_api::update::manifest_url(&self.url)
    }

    async fn stop(self) {
        self.server.stop().await;
    }
}

fn app(key: &ReleaseKey) -> tauri::App<MockRuntime> {
    mock_builder()
        .plugin(
            tauri_plugin_updater::Builder::new()
                .pubkey(key.tauri_pubkey())
                .build(),
        )
        .build(tauri::generate_context!("tauri.conf.json"))
        .expect("mock app with the updater plugin")
}

/// A version `minor` steps from the running one.
fn version_from_current(app: &tauri::App<MockRuntime>, minor: i64) -> String {
    let v = &app.package_info().version;
    if minor >= 0 {
        format!("{}.{}.0", v.major, v.minor + u64::try_from(minor).unwrap())
    } else {
        // Below x.y.z: a lower major or minor, or 0.0.0 when there is none.
        match (v.major, v.minor) {
            (0, 0) => "0.0.0".into(),
            (major, 0) => format!("{}.0.0", major - 1),
            (major, minor) => format!("{major}.{}.0", minor - 1),
        }
    }
}

fn artifact() -> Vec<u8> {
    let mut bytes = b"!<arch>\ndebian-binary   ".to_vec();
    bytes.extend((0..50_000_u32).map(|i| u8::try_from(i % 251).unwrap()));
    bytes
}

/// Finds the update `platform` announces and downloads it, which must be refused (`why`).
async fn download_refused(
    app: &tauri::App<MockRuntime>,
    platform: &Platform,
    why: &str,
) -> kiosk_api::Problem {
    let found = find(app.handle(), &platform.manifest_url())
        .await
        .unwrap()
        .unwrap();
    download(&found, |_, _| {})
        .await
        .err()
        .unwrap_or_else(|| panic!("the download was accepted: {why}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn genuine_update_is_found_downloaded_and_its_signature_verified() {
    let key = ReleaseKey::new();
    let app = app(&key);
    let platform = Platform::start().await;
    let next = version_from_current(&app, 1);
    let bytes = artifact();
    platform.publish(&next, &bytes, &key.sign(&bytes, &next));

    let found = find(app.handle(), &platform.manifest_url())
        .await
        .expect("the check succeeds")
        .expect("a newer version is offered");
    assert_eq!(found.version, next);
    let mut last = (0, None);
    let downloaded = download(&found, |done, total| last = (done, total))
        .await
        .expect("a genuine package verifies");
    assert_eq!(downloaded, bytes, "the package arrived whole");
    assert_eq!(
        last.0,
        u64::try_from(bytes.len()).unwrap(),
        "progress reached the end"
    );
    platform.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn artifact_with_one_flipped_byte_is_refused() {
    let key = ReleaseKey::new();
    let app = app(&key);
    let platform = Platform::start().await;
    let next = version_from_current(&app, 1);
    let bytes = artifact();
    let signature = key.sign(&bytes, &next);
    let mut tampered = bytes.clone();
    tampered[1000] ^= 0x01;
    platform.publish(&next, &tampered, &signature);

    let refused = download_refused(&app, &platform, "a changed byte must be refused").await;
    assert_eq!(refused.code, "UPDATE_SIGNATURE_INVALID", "{refused:?}");
    assert!(
        refused.en.contains("signature did not verify"),
        "{}",
        refused.en
    );
    assert!(refused.zh.contains("签名校验失败"), "{}", refused.zh);
    platform.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn package_signed_with_another_key_is_refused() {
    let key = ReleaseKey::new();
    let intruder = ReleaseKey::new();
    let app = app(&key);
    let platform = Platform::start().await;
    let next = version_from_current(&app, 1);
    let bytes = artifact();
    platform.publish(&next, &bytes, &intruder.sign(&bytes, &next));

    let refused = download_refused(&app, &platform, "another key must be refused").await;
    assert_eq!(refused.code, "UPDATE_SIGNATURE_INVALID", "{refused:?}");
    platform.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downgrade_is_refused_with_a_clear_message() {
    let key = ReleaseKey::new();
    let app = app(&key);
    let platform = Platform::start().await;
    let older = version_from_current(&app, -1);
    let bytes = artifact();
    platform.publish(&older, &bytes, &key.sign(&bytes, &older));

    let refused = match find(app.handle(), &platform.manifest_url()).await {
        Err(problem) => problem,
        Ok(found) => panic!(
            "a lower version must be refused, got {:?}",
            found.map(|u| u.version)
        ),
    };
    assert_eq!(refused.code, "UPDATE_DOWNGRADE_REFUSED", "{refused:?}");
    assert!(
        refused.en.contains(&older),
        "names the offered version: {}",
        refused.en
    );
    platform.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announced_version_differing_from_the_signed_one_is_refused() {
    // An old, genuinely signed package re-announced under a higher version number.
    let key = ReleaseKey::new();
    let app = app(&key);
    let platform = Platform::start().await;
    let signed_as = version_from_current(&app, 1);
    let announced = version_from_current(&app, 2);
    let bytes = artifact();
    platform.publish(&announced, &bytes, &key.sign(&bytes, &signed_as));

    let refused = download_refused(&app, &platform, "requireSignedVersion").await;
    assert_eq!(refused.code, "UPDATE_SIGNATURE_INVALID", "{refused:?}");
    platform.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolled_kiosk_checks_its_platform_and_gets_a_verified_package_ready() {
    let key = ReleaseKey::new();
    let app = app(&key);
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let kiosk = Kiosk::open(dir.path()).unwrap();
    let unenrolled = check_and_download(app.handle(), &kiosk).await.unwrap_err();
    assert_eq!(unenrolled.code, "UPDATE_NOT_ENROLLED");

    let code = platform.server.enrolment_code("updates");
    kiosk_api::sync::enrol(&kiosk, &platform.url, &code, false)
        .await
        .unwrap();
    let current = app.package_info().version.to_string();
    let bytes = artifact();
    platform.publish(&current, &bytes, &key.sign(&bytes, &current));
    let same = check_and_download(app.handle(), &kiosk).await.unwrap();
    assert_eq!(same.phase, UpdatePhase::UpToDate, "{same:?}");

    let next = version_from_current(&app, 1);
    platform.publish(&next, &bytes, &key.sign(&bytes, &next));
    let ready = check_and_download(app.handle(), &kiosk).await.unwrap();
    assert_eq!(ready.phase, UpdatePhase::Ready, "{ready:?}");
    assert_eq!(ready.version.as_deref(), Some(next.as_str()));
    assert_eq!(ready.downloaded, u64::try_from(bytes.len()).unwrap());
    assert_eq!(
        status(app.handle()).phase,
        UpdatePhase::Ready,
        "the state keeps it"
    );
    platform.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_platform_that_publishes_no_update_means_nothing_to_do_not_a_failure() {
    let key = ReleaseKey::new();
    let app = app(&key);
    let platform = Platform::start().await;
    // No latest.json in the platform's updates folder: a hall that has not published anything.
    let found = find(app.handle(), &platform.manifest_url()).await;
    assert!(
        matches!(found, Ok(None)),
        "no manifest is no update, not an error banner: {:?}",
        found.err()
    );
    let broken = kiosk_api::update::manifest_invalid("detail from the library");
    assert!(
        !broken.zh.contains("detail from the library"),
        "the Chinese message carries no English library text: {}",
        broken.zh
    );
    platform.stop().await;
}
