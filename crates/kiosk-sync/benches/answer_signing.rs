//! The cost of signed answers per submission: platformd signing a receipt answer
//! (`platform::identity::SigningIdentity::sign` over the answer string, with the SHA-256 of
//! the body) and the kiosk verifying it (`kiosk_sync::trust::verify_answer`), in µs.
//!
//! `cargo bench -p kiosk-sync --bench answer_signing -- [iterations]` (default 5000).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use kiosk_sync::trust::{self, Exchange};
use platform::answer_signing::{AnswerParts, answer_string};
use platform::identity::SigningIdentity;

fn main() {
    let n: u32 = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .and_then(|a| a.parse().ok())
        .unwrap_or(5000);
    let identity = SigningIdentity::from_seed(&[42; 32]);
    let key = identity.verifying_key();
    let body = br#"{"id":"0192f0c1-2b3c-7d4e-8f90-123456789abc","receipt":"K7M2Q-9XH4T","state":"accepted","reason":null,"receivedAt":1795399200000}"#;
    let exchange = Exchange {
        method: "POST".into(),
        path_and_query: "/api/v1/submissions".into(),
        nonce: "0123456789abcdef0123456789abcdef".into(),
        kiosk_id: "kiosk-3f2a9c0d1e2b4a5f".into(),
    };
    let now = kiosk_sync::now_ms();
    let sign = || {
        let text = answer_string(&AnswerParts {
            method: &exchange.method,
            path_and_query: &exchange.path_and_query,
            nonce: &exchange.nonce,
            kiosk_id: &exchange.kiosk_id,
            status: 201,
            timestamp_ms: now,
            body_sha256_hex: &platform::db::sha256_hex(body),
            etag: "",
            upload_offset: "",
        });
        identity.sign(text.as_bytes())
    };
    let started = Instant::now();
    let mut signature = String::new();
    for _ in 0..n {
        signature = std::hint::black_box(sign());
    }
    let sign_us = started.elapsed().as_secs_f64() * 1e6 / f64::from(n);

    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        trust::HEADER_PLATFORM_TIMESTAMP,
        now.to_string().parse().unwrap(),
    );
    headers.insert(trust::HEADER_PLATFORM_SIGNATURE, signature.parse().unwrap());
    let started = Instant::now();
    for _ in 0..n {
        trust::verify_answer(
            &key,
            &exchange,
            201,
            &headers,
            std::hint::black_box(body),
            now,
        )
        .unwrap();
    }
    let verify_us = started.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    println!(
        "answer signing, {n} iterations: platform sign {sign_us:.1} µs, kiosk verify {verify_us:.1} µs per submission answer"
    );
}
