//! Start-up cost of keys sealed to a TPM: starts a software TPM (swtpm) on free loopback
//! ports, creates a data directory sealed to it, then times unwrapping the database key and
//! a whole `Store::open` (TPM against plain files).
//!
//! `cargo run --release -p kiosk-store --example tpm_unwrap [rounds]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/support/swtpm.rs"]
mod swtpm;

use std::time::{Duration, Instant};

use kiosk_store::config::KEY_FILE;
use kiosk_store::keys::{ProtectionKind, ProtectionSettings};
use kiosk_store::{Store, StoreConfig};

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    println!(
        "{label:<34} median {:>7.1} ms   p95 {:>7.1} ms   ({} rounds)",
        ms(times[times.len() / 2]),
        ms(p95),
        times.len()
    );
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let tpm = swtpm::Swtpm::start();
    let dir = tempfile::tempdir().unwrap();
    let config = |kind: ProtectionKind, name: &str| {
        let mut config = StoreConfig::in_data_dir(&dir.path().join(name));
        config.protection = ProtectionSettings {
            tpm_tcti: tpm.tcti(),
            ..ProtectionSettings::fixed(kind)
        };
        config
    };
    drop(Store::open_with(config(ProtectionKind::Tpm, "tpm")).unwrap());
    drop(Store::open_with(config(ProtectionKind::Plain, "plain")).unwrap());

    let vault = config(ProtectionKind::Tpm, "tpm").vault();
    let unwrap: Vec<_> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            vault.load(KEY_FILE).unwrap().unwrap();
            start.elapsed()
        })
        .collect();
    summary("TPM unwrap of one key", unwrap);
    for (label, kind, name) in [
        (
            "Store::open, keys in TPM (2 keys)",
            ProtectionKind::Tpm,
            "tpm",
        ),
        (
            "Store::open, plain key files",
            ProtectionKind::Plain,
            "plain",
        ),
    ] {
        let times = (0..rounds)
            .map(|_| {
                let start = Instant::now();
                let store = Store::open_with(config(kind, name)).unwrap();
                let elapsed = start.elapsed();
                drop(store);
                elapsed
            })
            .collect();
        summary(label, times);
    }
    println!(
        "TCTI: swtpm over TCP on 127.0.0.1 (a hardware TPM via /dev/tpmrm0 is slower per command)"
    );
}
