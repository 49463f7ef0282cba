//! Sync throughput: N queued applications × 3 sealed attachments of ~300 KB drained to an
//! in-process platformd over loopback, next to curl uploading equivalent bytes to the same
//! server in the same run (the ceiling).
//!
//! `cargo bench -p kiosk-sync --bench sync_throughput -- [N] [concurrency]` (default 200, 4).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/sync/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Server, client, item};
use kiosk_sync::{Backoff, EngineConfig, MemoryOutbox, Outbox, SyncEngine};

/// The pause between rounds while retries wait.
const PAUSE: Duration = Duration::from_millis(50);

const SIZE: usize = 300 * 1024;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let n: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(200);
    let concurrency: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(4);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(n, concurrency));
}

async fn run(n: u64, concurrency: usize) {
    let server = Server::start_detached().await;
    let cred = common::enrol(&server, &server.url()).await;
    eprintln!("preparing {n} applications × 3 × {SIZE} bytes ...");
    let outbox = Arc::new(MemoryOutbox::default());
    let mut total_bytes = 0u64;
    for i in 0..n {
        let (o, _) = item(&cred.platform_recipient, i, 3, SIZE);
        total_bytes += o.sealed_payload.len() as u64;
        total_bytes += o
            .attachments
            .iter()
            .map(|a| a.sealed.len() as u64)
            .sum::<u64>();
        outbox.push(o).unwrap();
    }
    let config = EngineConfig {
        concurrency,
        backoff: Backoff {
            base: Duration::from_millis(50),
            cap: Duration::from_secs(1),
        },
        batch: 256,
        pull_master: false,
    };
    let engine = SyncEngine::new(
        client(cred).with_chunk_size(4 * 1024 * 1024),
        Arc::clone(&outbox),
        config,
    );
    let started = Instant::now();
    let report = common::drain::drain(&engine, &*outbox, PAUSE, Duration::from_secs(3600))
        .await
        .unwrap();
    let engine_secs = started.elapsed().as_secs_f64();
    assert_eq!(outbox.waiting().unwrap(), 0, "drained: {report:?}");

    // Ceiling: curl PUTs the same number of equally sized sealed blobs (fresh plaintexts, so
    // the server really stores them) with the same parallelism, signed by a second kiosk.
    let cred2 = common::enrol(&server, &server.url()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config_text = String::new();
    let mut curl_bytes = 0u64;
    let now = kiosk_sync::now_ms();
    for i in 0..n {
        let (o, _) = item(&cred2.platform_recipient, 1_000_000 + i, 3, SIZE);
        for (k, a) in o.attachments.iter().enumerate() {
            let file = dir.path().join(format!("{i}-{k}"));
            std::fs::write(&file, &a.sealed).unwrap();
            curl_bytes += a.sealed.len() as u64;
            let path = format!("/api/v1/blobs/{}", a.reference.sha256);
            let signed = cred2.sign("PUT", &path, &a.sealed, now).unwrap();
            config_text.push_str(&format!(
                "url = \"{}{path}\"\nupload-file = \"{}\"\noutput = \"/dev/null\"\nheader = \"x-kiosk-id: {}\"\nheader = \"x-kiosk-timestamp: {}\"\nheader = \"x-kiosk-nonce: {}\"\nheader = \"x-kiosk-signature: {}\"\nheader = \"content-type: application/octet-stream\"\nnext\n",
                server.url(), file.display(), signed.kiosk_id, signed.timestamp, signed.nonce, signed.signature
            ));
        }
    }
    // `next` separates transfers; a trailing one would start an empty transfer.
    let config_text = config_text.strip_suffix("next\n").unwrap_or(&config_text);
    let cfg = dir.path().join("curl.cfg");
    std::fs::write(&cfg, config_text).unwrap();
    let started = Instant::now();
    let status = tokio::process::Command::new("curl")
        .args([
            "--silent",
            "--no-progress-meter",
            "--fail",
            "--parallel",
            "--parallel-max",
            &concurrency.to_string(),
            "--config",
        ])
        .arg(&cfg)
        .status()
        .await
        .unwrap();
    let curl_secs = started.elapsed().as_secs_f64();
    assert!(status.success(), "curl uploads succeeded");

    let mb = |b: u64, s: f64| b as f64 / 1_048_576.0 / s;
    let engine_mbs = mb(total_bytes, engine_secs);
    let curl_mbs = mb(curl_bytes, curl_secs);
    println!("applications: {n}, attachments 3 × {SIZE} B, concurrency {concurrency}");
    println!(
        "sync engine: {engine_secs:.2} s, {:.1} applications/s, {engine_mbs:.1} MB/s ({total_bytes} B)",
        n as f64 / engine_secs
    );
    println!("curl ceiling: {curl_secs:.2} s, {curl_mbs:.1} MB/s ({curl_bytes} B)");
    println!(
        "ratio: {:.0} % of the ceiling",
        100.0 * engine_mbs / curl_mbs
    );
    server.stop().await;
}
