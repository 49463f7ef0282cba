//! The audit anchor over a real platformd: heartbeats carry the audit head, the platform
//! keeps it (never backwards) and the kiosk reads it back from a verified answer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{Server, client};
use kiosk_sync::{AuditHead, Heartbeat};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_anchor_the_audit_head_and_the_kiosk_reads_it_back() {
    let server = Server::start().await;
    let client = client(crate::common::enrol(&server, &server.url()).await);
    let beat = |seq: u64| Heartbeat {
        version: "0.1.0".into(),
        audit_head: Some(AuditHead {
            seq,
            mac: format!("{seq:064x}"),
        }),
        ..Heartbeat::default()
    };
    client.heartbeat(&beat(41)).await.unwrap();
    let first = client.audit_anchor().await.unwrap();
    assert_eq!(first.audit_head.map(|h| h.seq), Some(41), "anchored");
    client.heartbeat(&beat(7)).await.unwrap();
    let behind = client.audit_anchor().await.unwrap();
    assert_eq!(
        (behind.audit_head.map(|h| h.seq), behind.alerts),
        (Some(41), 1),
        "a head behind the anchor is an alert, not a move"
    );
    let read = client.audit_anchor().await.unwrap();
    assert_eq!(
        read.audit_head.map(|h| (h.seq, h.mac)),
        Some((41, format!("{:064x}", 41))),
        "read back"
    );
    client
        .heartbeat(&Heartbeat {
            version: "0.1.0".into(),
            ..Heartbeat::default()
        })
        .await
        .unwrap();
}
