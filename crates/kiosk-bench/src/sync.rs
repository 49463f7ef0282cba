//! Row d, sync: `n` queued applications × 3 sealed attachments of ~300 KB drained by the sync
//! engine to a loopback platformd, then curl uploading as many equally sized sealed blobs to the
//! same server with the same parallelism (the ceiling); the kiosk-sync bench's workload.

use std::io::Write;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kiosk_sync::{
    AttachmentRef, Backoff, Credential, EngineConfig, MemoryOutbox, Outbox, Outgoing,
    OutgoingAttachment, PlatformClient, SyncEngine, Timeouts,
};
use kiosk_testkit::platformd::Loopback;
use serde_json::json;
use sha2::Digest;

use crate::Failure;

const SIZE: usize = 300 * 1024;

/// Runs the row on a fresh multi-threaded runtime.
pub fn run(n: u64, concurrency: usize) -> Result<serde_json::Value, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(measure(n, concurrency))
}

fn seal(recipient: &str, plain: &[u8]) -> Result<Vec<u8>, Failure> {
    let recipient = age::x25519::Recipient::from_str(recipient)?;
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))?;
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out)?;
    writer.write_all(plain)?;
    writer.finish()?;
    Ok(out)
}

/// A sealed submission with three attachments of about [`SIZE`] bytes.
fn item(recipient: &str, n: u64) -> Result<Outgoing, Failure> {
    let payload = json!({ "kind": "natural-person", "profile": "most", "seq": n });
    let mut attachments = Vec::new();
    for a in 0..3u64 {
        let plain = kiosk_testkit::noise::bytes(n * 10 + a + 1, SIZE + (n as usize % 7) * 13);
        attachments.push(OutgoingAttachment {
            reference: AttachmentRef {
                slot: format!("slot{a}"),
                sha256: hex::encode(sha2::Sha256::digest(&plain)),
                size: plain.len() as u64,
                media_type: "image/jpeg".into(),
            },
            sealed: seal(recipient, &plain)?,
        });
    }
    let tail = [n.to_le_bytes()[0]; 10];
    Ok(Outgoing {
        id: uuid::Builder::from_unix_timestamp_millis(1_790_000_000_000 + n, &tail)
            .into_uuid()
            .to_string(),
        sealed_payload: seal(recipient, payload.to_string().as_bytes())?,
        attachments,
        attempts: 0,
    })
}

async fn enrol(server: &Loopback) -> Result<Credential, Failure> {
    let code = server.enrolment_code("bench kiosk");
    Ok(kiosk_sync::enrol(&server.url(), &code, Timeouts::default()).await?)
}

async fn measure(n: u64, concurrency: usize) -> Result<serde_json::Value, Failure> {
    let server = Loopback::start_detached().await;
    let result = engine_and_curl(&server, n, concurrency).await;
    server.stop().await;
    result
}

async fn engine_and_curl(
    server: &Loopback,
    n: u64,
    concurrency: usize,
) -> Result<serde_json::Value, Failure> {
    let credential = enrol(server).await?;
    let outbox = Arc::new(MemoryOutbox::default());
    let mut engine_bytes = 0u64;
    for i in 0..n {
        let item = item(&credential.platform_recipient, i)?;
        engine_bytes += item.sealed_payload.len() as u64;
        engine_bytes += item
            .attachments
            .iter()
            .map(|a| a.sealed.len() as u64)
            .sum::<u64>();
        outbox.push(item)?;
    }
    let client = PlatformClient::new(
        credential,
        Timeouts {
            connect: Duration::from_secs(2),
            request: Duration::from_secs(30),
        },
    )?
    .with_chunk_size(4 * 1024 * 1024);
    let config = EngineConfig {
        concurrency,
        backoff: Backoff {
            base: Duration::from_millis(50),
            cap: Duration::from_secs(1),
        },
        batch: 256,
        pull_master: false,
    };
    let engine = SyncEngine::new(client, Arc::clone(&outbox), config);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(600);
    while outbox.waiting()? > 0 {
        if Instant::now() > deadline {
            return Err("the outbox did not drain in 10 minutes".into());
        }
        let round = engine.run_once().await?;
        if round.delivered == 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let engine_secs = started.elapsed().as_secs_f64();

    // The ceiling: curl PUTs as many equally sized sealed blobs (fresh plaintexts, so the
    // server really stores them) with the same parallelism, signed by a second kiosk.
    let second = enrol(server).await?;
    let dir = tempfile::tempdir()?;
    let mut config_text = String::new();
    let mut curl_bytes = 0u64;
    let now = kiosk_sync::now_ms();
    for i in 0..n {
        let item = item(&second.platform_recipient, 1_000_000 + i)?;
        for (k, attachment) in item.attachments.iter().enumerate() {
            let file = dir.path().join(format!("{i}-{k}"));
            std::fs::write(&file, &attachment.sealed)?;
            curl_bytes += attachment.sealed.len() as u64;
            let path = format!("/api/v1/blobs/{}", attachment.reference.sha256);
            let signed = second.sign("PUT", &path, &attachment.sealed, now)?;
            if !config_text.is_empty() {
                config_text.push_str("next\n");
            }
            config_text.push_str(&format!(
                "url = \"{}{path}\"\nupload-file = \"{}\"\noutput = \"/dev/null\"\nheader = \"x-kiosk-id: {}\"\nheader = \"x-kiosk-timestamp: {}\"\nheader = \"x-kiosk-nonce: {}\"\nheader = \"x-kiosk-signature: {}\"\nheader = \"content-type: application/octet-stream\"\n",
                server.url(), file.display(), signed.kiosk_id, signed.timestamp, signed.nonce, signed.signature
            ));
        }
    }
    let config_file = dir.path().join("curl.cfg");
    std::fs::write(&config_file, config_text)?;
    let started = Instant::now();
    let status = tokio::process::Command::new("curl")
        .args(["--silent", "--show-error", "--fail", "--parallel"])
        .args(["--parallel-max", &concurrency.to_string(), "--config"])
        .arg(&config_file)
        .status()
        .await?;
    let curl_secs = started.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("curl uploads failed: {status}").into());
    }
    let mb_per_s = |bytes: u64, secs: f64| bytes as f64 / 1_048_576.0 / secs;
    Ok(json!({
        "applications": n,
        "concurrency": concurrency,
        "ours": { "secs": engine_secs, "bytes": engine_bytes, "mb_per_s": mb_per_s(engine_bytes, engine_secs) },
        "curl": { "secs": curl_secs, "bytes": curl_bytes, "mb_per_s": mb_per_s(curl_bytes, curl_secs) },
    }))
}
