//! Shared helpers for the store's integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use kiosk_store::{NewApplication, NewAttachment, StoreConfig};
use rusqlite::Connection;
use uuid::Uuid;

/// A made-up resident ID number with a correct check digit, and a made-up name.
pub const ID_NUMBER: &str = "11010519491231002X";
pub const NAME: &str = "赵丽华";
pub const T0: i64 = 1_790_000_000_000;

/// A deterministic UUIDv7 for test number `n`.
pub fn id(n: u64) -> Uuid {
    let tail = [n.to_le_bytes()[0]; 10];
    uuid::Builder::from_unix_timestamp_millis(1_790_000_000_000 + n, &tail).into_uuid()
}

/// Bytes that look like a file: `size` bytes derived from `seed`.
pub fn file_bytes(seed: u8, size: usize) -> Vec<u8> {
    (0..size)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// An application whose payload carries the ID number and name in plaintext.
pub fn application(id: Uuid, attachment_size: usize) -> NewApplication {
    let payload = serde_json::json!({
        "profile": "tianjin",
        "kind": "legal-entity",
        "legalRep": { "name": NAME, "idNumber": ID_NUMBER },
    });
    NewApplication {
        id,
        kind: "legal-entity".into(),
        profile: "tianjin".into(),
        summary: serde_json::json!({ "name": "赵**", "idNumber": "110***********002X" }),
        payload: serde_json::to_vec(&payload).unwrap(),
        attachments: (0..3u8)
            .map(|i| NewAttachment {
                slot: format!("slot{i}"),
                media_type: "image/jpeg".into(),
                bytes: file_bytes(i.wrapping_add(id.as_bytes()[15]), attachment_size),
            })
            .collect(),
        actor: "visitor".into(),
        replaces_draft: None,
    }
}

/// A raw connection to the store's database (for tampering and inspection).
pub fn raw_connection(data_dir: &Path) -> Connection {
    let config = StoreConfig::in_data_dir(data_dir);
    let key = std::fs::read_to_string(config.key_path()).unwrap();
    kiosk_store::prepare_sqlcipher();
    let conn = Connection::open(config.database_path()).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.trim()))
        .unwrap();
    conn
}

/// The local age identity of the store.
pub fn local_identity(data_dir: &Path) -> age::x25519::Identity {
    let text =
        std::fs::read_to_string(StoreConfig::in_data_dir(data_dir).local_identity_path()).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .unwrap();
    line.parse().unwrap()
}
