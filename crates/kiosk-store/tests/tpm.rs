//! Keys sealed to a TPM (swtpm): the data directory opens on its own TPM only; copied to
//! another machine (another TPM) nothing is readable and nothing is regenerated.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "support/swtpm.rs"]
mod swtpm;

use std::path::Path;

use common::{T0, application, id};
use kiosk_core::UserFacing;
use kiosk_store::keys::{self, ProtectionKind, ProtectionSettings};
use kiosk_store::{Store, StoreConfig};
use swtpm::Swtpm;

fn tpm_config(data_dir: &Path, tpm: &Swtpm) -> StoreConfig {
    let mut config = StoreConfig::in_data_dir(data_dir);
    config.protection = ProtectionSettings {
        tpm_tcti: tpm.tcti(),
        ..ProtectionSettings::fixed(ProtectionKind::Tpm)
    };
    config
}

fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_data_directory_sealed_to_one_tpm_opens_there_and_nowhere_else() {
    let tpm_a = Swtpm::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("a");
    let store = Store::open_with(tpm_config(&data, &tpm_a)).unwrap();
    store.enqueue(application(id(1), 100), T0).unwrap();
    drop(store);

    let key_dir = data.join("keys");
    let names: Vec<String> = listing(&key_dir).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["local.age.tpm", "store.key.tpm"],
        "no plaintext key on disk"
    );
    for (name, bytes) in listing(&key_dir) {
        assert!(
            !bytes.windows(15).any(|w| w == b"AGE-SECRET-KEY-"),
            "{name} holds a plaintext identity"
        );
    }

    // Same TPM: opens, the application is there.
    let store = Store::open_with(tpm_config(&data, &tpm_a)).unwrap();
    assert_eq!(store.list(None, 10).unwrap().len(), 1);
    drop(store);

    // Another machine: the copied directory yields nothing, and nothing is regenerated.
    let tpm_b = Swtpm::start();
    let copy = dir.path().join("b");
    copy_dir(&data, &copy);
    let before = listing(&copy.join("keys"));
    let err = Store::open_with(tpm_config(&copy, &tpm_b)).unwrap_err();
    assert_eq!(err.code(), "KEY_UNSEAL_FAILED", "{err:?}");
    assert!(err.en().contains("another machine") && err.zh().contains("另一台机器"));
    assert_eq!(listing(&copy.join("keys")), before, "key folder changed");

    // No TPM at all (nothing listens): a clear error, not a new key.
    drop(tpm_b);
    let mut no_tpm = tpm_config(&copy, &tpm_a);
    no_tpm.protection.tpm_tcti = "swtpm:host=127.0.0.1,port=1".into();
    let err = Store::open_with(no_tpm).unwrap_err();
    assert_eq!(err.code(), "KEY_PROTECTION_UNAVAILABLE", "{err:?}");
    assert_eq!(listing(&copy.join("keys")), before, "key folder changed");

    // A lost sealed identity is an error, not a silent new identity.
    std::fs::remove_file(key_dir.join("local.age.tpm")).unwrap();
    let err = Store::open_with(tpm_config(&data, &tpm_a)).unwrap_err();
    assert_eq!(err.code(), "KEY_MISSING", "{err:?}");
    assert!(!key_dir.join("local.age.tpm").exists() && !key_dir.join("local.age").exists());
}

#[test]
fn a_plain_data_directory_is_moved_into_the_tpm_when_configured() {
    let tpm = Swtpm::start();
    let dir = tempfile::tempdir().unwrap();
    let mut plain = StoreConfig::in_data_dir(dir.path());
    plain.protection = ProtectionSettings::fixed(ProtectionKind::Plain);
    let store = Store::open_with(plain).unwrap();
    store.enqueue(application(id(2), 10), T0).unwrap();
    drop(store);
    assert!(dir.path().join("keys/store.key").exists());

    let store = Store::open_with(tpm_config(dir.path(), &tpm)).unwrap();
    assert_eq!(store.list(None, 10).unwrap().len(), 1);
    drop(store);
    let names: Vec<String> = listing(&dir.path().join("keys"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["local.age.tpm", "store.key.tpm"]);
}

#[test]
fn a_secret_file_beside_the_data_is_sealed_too() {
    let tpm = Swtpm::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sync/credential.json");
    let settings = ProtectionSettings {
        tpm_tcti: tpm.tcti(),
        ..ProtectionSettings::fixed(ProtectionKind::Tpm)
    };
    keys::save_secret_file(
        &path,
        &settings,
        ProtectionKind::Tpm,
        br#"{"secretKey":"k1"}"#,
    )
    .unwrap();
    keys::save_secret_file(
        &path,
        &settings,
        ProtectionKind::Tpm,
        br#"{"secretKey":"k2"}"#,
    )
    .unwrap();
    assert!(!path.exists() && dir.path().join("sync/credential.json.tpm").exists());
    let loaded = keys::load_secret_file(&path, &settings).unwrap().unwrap();
    assert_eq!(&loaded[..], br#"{"secretKey":"k2"}"#);
    assert!(
        keys::load_secret_file(&dir.path().join("sync/none.json"), &settings)
            .unwrap()
            .is_none()
    );
}
