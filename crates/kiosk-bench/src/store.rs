//! Row d, enqueue: one legal-entity application with 3 × 500 KB attachments into the encrypted
//! store (`synchronous=FULL`; the kiosk-store bench's workload), against the disk's floor for
//! the same bytes: three files written and fsynced, then their folder fsynced.

use std::io::Write;
use std::time::Instant;

use kiosk_store::{NewApplication, NewAttachment, Store};
use serde_json::json;

use crate::{Failure, summary};

const ATTACHMENT_BYTES: usize = 500 * 1024;

/// Incompressible-looking bytes, different per application and slot.
fn attachment_bytes(n: u64, slot: u8) -> Vec<u8> {
    (0..ATTACHMENT_BYTES)
        .map(|i| {
            let seed = n * 3 + u64::from(slot);
            let x = (i as u64 + seed * 1_000_003).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            (x >> 56) as u8
        })
        .collect()
}

fn application(n: u64) -> NewApplication {
    let tail = [n.to_le_bytes()[0]; 10];
    NewApplication {
        id: uuid::Builder::from_unix_timestamp_millis(1_790_000_000_000 + n, &tail).into_uuid(),
        kind: "legal-entity".into(),
        profile: "tianjin".into(),
        summary: json!({ "name": "赵**", "idNumber": "110***********002X" }),
        payload: vec![b'x'; 4 * 1024],
        attachments: (0..3u8)
            .map(|slot| NewAttachment {
                slot: format!("slot{slot}"),
                media_type: "image/jpeg".into(),
                bytes: attachment_bytes(n, slot),
            })
            .collect(),
        actor: "bench".into(),
        replaces_draft: None,
    }
}

/// `runs` enqueues, then `runs` fsynced writes of the same bytes.
pub fn run(runs: u64) -> Result<serde_json::Value, Failure> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path())?;
    let mut times = Vec::new();
    for n in 0..runs {
        let app = application(n);
        let started = Instant::now();
        store.enqueue(app, 1_790_000_000_000)?;
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    let (p50, p99, max) = summary(times);

    let floor_tmp = tempfile::tempdir()?;
    let floor_dir = floor_tmp.path();
    let mut floor = Vec::new();
    for n in 0..runs {
        let files: Vec<Vec<u8>> = (0..3u8).map(|slot| attachment_bytes(n, slot)).collect();
        let started = Instant::now();
        for (slot, bytes) in files.iter().enumerate() {
            let mut file = std::fs::File::create(floor_dir.join(format!("{n}-{slot}")))?;
            file.write_all(bytes)?;
            file.sync_all()?;
        }
        std::fs::File::open(floor_dir)?.sync_all()?;
        floor.push(started.elapsed().as_secs_f64() * 1e3);
    }
    let (floor_p50, floor_p99, _) = summary(floor);
    Ok(json!({
        "runs": runs,
        "ours": { "p50_ms": p50, "p99_ms": p99, "max_ms": max },
        "floor": { "p50_ms": floor_p50, "p99_ms": floor_p99 },
    }))
}
