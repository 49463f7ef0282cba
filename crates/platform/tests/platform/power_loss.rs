//! Power loss on the embedded default (SQLite + files): a kiosk submits (sealed attachment,
//! then the submission) while `platformd` is SIGKILLed at a random moment, ≥ 50 times. After
//! each kill, every submission the kiosk got an acknowledgement for is in the database with
//! its receipt, and its attachment readable and byte-identical. The kiosk resends what was
//! not acknowledged under the same application id after the restart, as its outbox does.
//!
//! A SIGKILL loses what the process had not handed to the kernel; `synchronous=FULL` (checked
//! in `db.rs`) covers what the kernel had not written when the power goes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::fleet::{Replica, SimKiosk, fleet_admin_token, platformd};
use base64::Engine;

fn kills() -> usize {
    std::env::var("PLATFORM_POWERLOSS_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
}

fn random(len: usize) -> Vec<u8> {
    platform::db::random_bytes(len).unwrap()
}

/// One submission as the kiosk's outbox holds it.
#[derive(Clone)]
struct Outgoing {
    id: String,
    sha: String,
    sealed_blob: Vec<u8>,
    body: Vec<u8>,
}

fn outgoing(recipient: &str, n: usize) -> Outgoing {
    let plain = random(1024 + n % 4096);
    let sha = platform::db::sha256_hex(&plain);
    let b = hex::encode(random(16));
    let id = format!(
        "{}-{}-7{}-8{}-{}",
        &b[0..8],
        &b[8..12],
        &b[13..16],
        &b[17..20],
        &b[20..32]
    );
    let payload = serde_json::json!({"kind": "natural-person", "profile": "most", "manualFallback": true, "n": n});
    let body = serde_json::json!({
        "id": id,
        "sealedPayload": base64::engine::general_purpose::STANDARD
            .encode(crate::common::seal(recipient, payload.to_string().as_bytes())),
        "attachments": [{"slot": "idFront", "sha256": sha, "size": plain.len(), "mediaType": "image/jpeg"}],
    });
    Outgoing {
        id,
        sha,
        sealed_blob: crate::common::seal(recipient, &plain),
        body: body.to_string().into_bytes(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_submissions_survive_sigkill_at_random_points() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    let recipient = platformd(&dir, &[], &[], &["recipient"]).trim().to_owned();
    let admin_token = fleet_admin_token(&dir, &[], &[]);
    // One kiosk in a tight loop, far over a real kiosk's call rate: lift the limit.
    let limits = ["--kiosk-calls-per-minute".to_owned(), "1000000".to_owned()];
    let mut replica = Replica::start(&dir, &limits, &[]);
    let base = format!("http://127.0.0.1:{}", replica.port);
    let kiosk = Arc::new(
        SimKiosk::enrol(&base, &admin_token, "power", random(32).try_into().unwrap()).await,
    );

    // id → (receipt, attachment SHA-256) for every acknowledged submission.
    let acked: Arc<Mutex<HashMap<String, (String, String)>>> = Arc::default();
    let pending: Arc<Mutex<Option<Outgoing>>> = Arc::default();
    let mut made = 0usize;
    let total_kills = kills();
    for round in 0..total_kills {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let client = {
            let (kiosk, acked, pending, stop, recipient) = (
                Arc::clone(&kiosk),
                Arc::clone(&acked),
                Arc::clone(&pending),
                Arc::clone(&stop),
                recipient.clone(),
            );
            let mut n = made;
            tokio::spawn(async move {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let next = pending.lock().unwrap().clone();
                    let out = match next {
                        Some(out) => out,
                        None => {
                            n += 1;
                            let out = outgoing(&recipient, n);
                            *pending.lock().unwrap() = Some(out.clone());
                            out
                        }
                    };
                    let blob = kiosk
                        .signed(
                            "PUT",
                            &format!("/api/v1/blobs/{}", out.sha),
                            out.sealed_blob.clone(),
                        )
                        .await;
                    match blob {
                        Some((200 | 201, _)) => {}
                        Some((status, body)) if status < 500 => {
                            panic!("blob: {status} {}", String::from_utf8_lossy(&body))
                        }
                        _ => break,
                    }
                    match kiosk
                        .signed("POST", "/api/v1/submissions", out.body.clone())
                        .await
                    {
                        Some((200 | 201, body)) => {
                            let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
                            let receipt = answer["receipt"].as_str().unwrap().to_owned();
                            acked
                                .lock()
                                .unwrap()
                                .insert(out.id.clone(), (receipt, out.sha.clone()));
                            *pending.lock().unwrap() = None;
                        }
                        Some((status, body)) if status < 500 => {
                            panic!("submission: {status} {}", String::from_utf8_lossy(&body))
                        }
                        _ => break,
                    }
                }
                n
            })
        };
        // A random moment: 20-420 ms into the round.
        let wait = 20 + u64::from(u16::from_le_bytes([random(1)[0], random(1)[0]]) % 400);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        replica.kill();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        made = client.await.unwrap();

        // What the disk holds after the kill.
        let check = platform::Platform::open(
            &platform::PlatformConfig {
                data_dir: dir.clone(),
            },
            Arc::new(platform::SystemClock { offset_ms: 0 }),
        )
        .unwrap();
        let stored: HashMap<String, String> = check
            .submissions()
            .unwrap()
            .into_iter()
            .map(|s| (s.id, s.receipt))
            .collect();
        for (id, (receipt, sha)) in acked.lock().unwrap().iter() {
            assert_eq!(
                stored.get(id),
                Some(receipt),
                "kill {}: acknowledged submission {id} kept with its receipt",
                round + 1
            );
            let bytes = check.blob_bytes(sha).unwrap();
            assert_eq!(&platform::db::sha256_hex(&bytes), sha, "attachment intact");
        }
        drop(check);
        if round + 1 < total_kills {
            tokio::task::block_in_place(|| replica.restart());
        }
    }
    let acked = acked.lock().unwrap().len();
    eprintln!("power loss: {total_kills} SIGKILLs, {acked} acknowledged submissions all kept");
    assert!(total_kills >= 50 || std::env::var("PLATFORM_POWERLOSS_KILLS").is_ok());
    assert!(
        acked >= total_kills / 2,
        "the kiosk got acknowledgements between kills ({acked})"
    );
}
