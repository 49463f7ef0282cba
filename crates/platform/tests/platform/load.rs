//! Load test (ignored by default; CI runs it once with the small size):
//! simulated kiosks (real protocol: signed requests, sealed payloads, sealed attachments)
//! submit through a round-robin TCP proxy to `platformd` processes, on SQLite (1 process),
//! PostgreSQL + S3 (1 process) and PostgreSQL + S3 (2 processes, one SIGKILLed mid-run and
//! restarted). Every submission must be stored exactly once, every attachment byte-identical
//! (its SHA-256 over the stored bytes), and no acknowledged submission lost.
//!
//! `PLATFORM_LOAD_SIZE=full` (200 kiosks × 20 submissions × 3 attachments) for the figures;
//! the default `ci` is 50 × 5 × 3. Run: `cargo test -p platform --test platform -- --ignored --nocapture load::`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::fleet::{Replica, SimKiosk, fleet_admin_token, platformd, round_robin_proxy};
use base64::Engine;

struct Size {
    kiosks: usize,
    per_kiosk: usize,
    attachments: usize,
}

fn size() -> Size {
    match std::env::var("PLATFORM_LOAD_SIZE").as_deref() {
        Ok("full") => Size {
            kiosks: 200,
            per_kiosk: 20,
            attachments: 3,
        },
        Ok("ci") | Err(_) => Size {
            kiosks: 50,
            per_kiosk: 5,
            attachments: 3,
        },
        Ok(other) => panic!("PLATFORM_LOAD_SIZE={other}: use ci or full"),
    }
}

#[derive(Debug)]
struct Figures {
    label: &'static str,
    submissions: usize,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    kills: usize,
}

/// What a kiosk was told: application id → (receipt, attachment SHA-256s and sizes).
type Acks = Arc<Mutex<HashMap<String, (String, Vec<(String, u64)>)>>>;

fn random(len: usize) -> Vec<u8> {
    platform::db::random_bytes(len).unwrap()
}

fn uuid() -> String {
    let b = hex::encode(random(16));
    format!(
        "{}-{}-7{}-8{}-{}",
        &b[0..8],
        &b[8..12],
        &b[13..16],
        &b[17..20],
        &b[20..32]
    )
}

/// One kiosk's run: `count` submissions with `attachments` each; returns latencies (ms).
async fn kiosk_run(
    kiosk: SimKiosk,
    recipient: String,
    count: usize,
    attachments: usize,
    acks: Acks,
) -> Vec<f64> {
    let mut latencies = Vec::with_capacity(count);
    let deadline = Duration::from_secs(120);
    for n in 0..count {
        let started = Instant::now();
        let mut refs = Vec::new();
        for slot in 0..attachments {
            let len = 2048 + usize::from(random(2)[0]) * 96;
            let plain = random(len);
            let sha = platform::db::sha256_hex(&plain);
            let sealed = crate::common::seal(&recipient, &plain);
            kiosk
                .until(
                    "PUT",
                    &format!("/api/v1/blobs/{sha}"),
                    &sealed,
                    &[200, 201],
                    deadline,
                )
                .await;
            refs.push(serde_json::json!({
                "slot": format!("doc{slot}"), "sha256": sha, "size": len, "mediaType": "image/jpeg"
            }));
        }
        let id = uuid();
        let payload = serde_json::json!({
            "kind": "natural-person", "profile": "most", "manualFallback": true, "n": n,
        });
        let body = serde_json::json!({
            "id": id,
            "sealedPayload": base64::engine::general_purpose::STANDARD
                .encode(crate::common::seal(&recipient, payload.to_string().as_bytes())),
            "attachments": refs,
        });
        let (_, answer) = kiosk
            .until(
                "POST",
                "/api/v1/submissions",
                body.to_string().as_bytes(),
                &[200, 201],
                deadline,
            )
            .await;
        let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        let shas = refs
            .iter()
            .map(|r| {
                (
                    r["sha256"].as_str().unwrap().to_owned(),
                    r["size"].as_u64().unwrap(),
                )
            })
            .collect();
        acks.lock()
            .unwrap()
            .insert(id, (answer["receipt"].as_str().unwrap().to_owned(), shas));
    }
    latencies
}

fn copy_keys(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().unwrap().is_file()
            && !name.ends_with(".log")
            && !name.starts_with("sms-outbox")
        {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

async fn run(
    label: &'static str,
    replicas: usize,
    kill: bool,
    storage: platform::StorageConfig,
    envs: Vec<(String, String)>,
    args: Vec<String>,
) -> Figures {
    let size = size();
    let root = tempfile::tempdir().unwrap();
    let first = root.path().join("replica-1");
    let recipient = platformd(&first, &args, &envs, &["recipient"])
        .trim()
        .to_owned();
    let admin_token = fleet_admin_token(&first, &args, &envs);
    let mut dirs = vec![first.clone()];
    for n in 1..replicas {
        // The shared identity: each replica gets a copy of the same key files.
        let dir = root.path().join(format!("replica-{}", n + 1));
        copy_keys(&first, &dir);
        dirs.push(dir);
    }
    let started: Vec<Replica> = dirs
        .iter()
        .map(|d| Replica::start(d, &args, &envs))
        .collect();
    let (proxy, proxy_task) = round_robin_proxy(started.iter().map(|r| r.port).collect()).await;
    let replicas: Vec<Arc<Mutex<Replica>>> = started
        .into_iter()
        .map(|r| Arc::new(Mutex::new(r)))
        .collect();
    let base = format!("http://127.0.0.1:{proxy}");

    let mut kiosks = Vec::new();
    for chunk in (0..size.kiosks).collect::<Vec<_>>().chunks(20) {
        let names: Vec<String> = chunk.iter().map(|k| format!("load {k}")).collect();
        let enrolled = futures::future::join_all(names.iter().map(|name| {
            let mut seed = [0u8; 32];
            seed.copy_from_slice(&random(32));
            SimKiosk::enrol(&base, &admin_token, name, seed)
        }))
        .await;
        kiosks.extend(enrolled);
    }

    let acks: Acks = Arc::default();
    let total = size.kiosks * size.per_kiosk;
    let killer = if kill && replicas.len() > 1 {
        let victim = Arc::clone(&replicas[1]);
        let acks = Arc::clone(&acks);
        Some(tokio::spawn(async move {
            while acks.lock().unwrap().len() < total * 3 / 10 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            tokio::task::spawn_blocking(move || {
                let mut replica = victim.lock().unwrap();
                replica.kill();
                std::thread::sleep(Duration::from_millis(700));
                replica.restart();
            })
            .await
            .unwrap();
            1usize
        }))
    } else {
        None
    };
    let clock = Instant::now();
    let runs = kiosks.into_iter().map(|k| {
        tokio::spawn(kiosk_run(
            k,
            recipient.clone(),
            size.per_kiosk,
            size.attachments,
            Arc::clone(&acks),
        ))
    });
    let mut latencies: Vec<f64> = Vec::new();
    for run in futures::future::join_all(runs).await {
        latencies.extend(run.unwrap());
    }
    let elapsed = clock.elapsed().as_secs_f64();
    let kills = match killer {
        Some(k) => k.await.unwrap(),
        None => 0,
    };
    proxy_task.abort();
    for r in &replicas {
        r.lock().unwrap().kill();
    }

    // The store after the run, read in-process with the same storage and keys.
    let check = platform::Platform::open_with(
        &platform::PlatformConfig {
            data_dir: first.clone(),
        },
        &storage,
        Arc::new(platform::SystemClock { offset_ms: 0 }),
    )
    .unwrap();
    let stored = check.submissions().unwrap();
    let acks = acks.lock().unwrap();
    assert_eq!(acks.len(), total, "every submission acknowledged");
    assert_eq!(
        stored.len(),
        total,
        "every submission stored exactly once (no duplicates)"
    );
    let by_id: HashMap<&str, &platform::submissions::SubmissionRecord> =
        stored.iter().map(|s| (s.id.as_str(), s)).collect();
    assert_eq!(by_id.len(), total, "ids unique");
    let mut lost = 0;
    for (id, (receipt, shas)) in acks.iter() {
        let Some(record) = by_id.get(id.as_str()) else {
            lost += 1;
            continue;
        };
        assert_eq!(&record.receipt, receipt, "the acknowledged receipt");
        for (sha, len) in shas {
            let bytes = check.blob_bytes(sha).unwrap();
            assert_eq!(
                (
                    platform::db::sha256_hex(&bytes).as_str(),
                    bytes.len() as u64
                ),
                (sha.as_str(), *len),
                "attachment byte-identical"
            );
        }
    }
    assert_eq!(lost, 0, "no acknowledged submission lost");
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    Figures {
        label,
        submissions: total,
        per_second: total as f64 / elapsed,
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
        kills,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: run with --ignored (CI runs it once, PLATFORM_LOAD_SIZE=ci)"]
async fn load_two_replicas_survive_a_sigkill_and_keep_every_submission_once() {
    let mut figures = Vec::new();
    figures.push(
        run(
            "SQLite x1",
            1,
            false,
            platform::StorageConfig::default(),
            vec![],
            vec![],
        )
        .await,
    );

    let (pg, weed) = tokio::task::spawn_blocking(|| {
        let (pg, weed) = crate::common::shared_servers();
        (pg, weed)
    })
    .await
    .unwrap();
    for (label, replicas) in [
        ("PostgreSQL+S3 x1", 1),
        ("PostgreSQL+S3 x2, one SIGKILLed", 2),
    ] {
        let url = pg.new_database();
        let storage = crate::common::s3_storage(url.clone(), weed);
        let platform::storage::objects::BlobsUrl::S3 { bucket, prefix } = &storage.blobs else {
            unreachable!()
        };
        let envs = vec![
            ("PLATFORM_DATABASE".to_owned(), url),
            (
                "PLATFORM_BLOBS".to_owned(),
                format!("s3://{bucket}/{prefix}"),
            ),
            ("AWS_ENDPOINT_URL".to_owned(), weed.endpoint.clone()),
            ("AWS_ACCESS_KEY_ID".to_owned(), weed.access_key.clone()),
            ("AWS_SECRET_ACCESS_KEY".to_owned(), weed.secret_key.clone()),
        ];
        figures.push(run(label, replicas, replicas > 1, storage, envs, vec![]).await);
    }
    let s = size();
    eprintln!(
        "\nload: {} kiosks x {} submissions x {} attachments",
        s.kiosks, s.per_kiosk, s.attachments
    );
    for f in &figures {
        eprintln!(
            "{:<34} {:>5} submissions  {:>7.1}/s  p50 {:>7.1} ms  p99 {:>7.1} ms  kills {}",
            f.label, f.submissions, f.per_second, f.p50_ms, f.p99_ms, f.kills
        );
    }
    assert_eq!(figures[2].kills, 1, "the second replica was killed once");
}
