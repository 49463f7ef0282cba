//! Crash-test child: enqueues applications with three attachments in a loop and prints each
//! id on its own line after `enqueue` returned (i.e. after commit). The crash test kills it
//! with SIGKILL at random moments. Usage: `crash_writer <data-dir> <start-number>`.

use std::io::Write;
use std::process::ExitCode;

use kiosk_store::{NewApplication, NewAttachment, Store};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(start)) = (args.next(), args.next().and_then(|s| s.parse::<u64>().ok()))
    else {
        eprintln!("usage: crash_writer <data-dir> <start-number>");
        return ExitCode::from(2);
    };
    let store = match Store::open(std::path::Path::new(&dir)) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("open failed: {e}");
            return ExitCode::from(1);
        }
    };
    let mut stdout = std::io::stdout().lock();
    for n in start.. {
        let tail = [n.to_le_bytes()[0]; 10];
        let id =
            uuid::Builder::from_unix_timestamp_millis(1_790_000_000_000 + n, &tail).into_uuid();
        let app = NewApplication {
            id,
            kind: "legal-entity".into(),
            profile: "tianjin".into(),
            summary: serde_json::json!({ "n": n }),
            payload: format!("{{\"n\":{n}}}").into_bytes(),
            attachments: (0..3u8)
                .map(|slot| NewAttachment {
                    slot: format!("slot{slot}"),
                    media_type: "application/octet-stream".into(),
                    bytes: vec![slot.wrapping_add(n.to_le_bytes()[0]); 64 * 1024],
                })
                .collect(),
            actor: "crash-test".into(),
            replaces_draft: None,
        };
        if let Err(e) = store.enqueue(app, 1_790_000_000_000) {
            eprintln!("enqueue failed: {e}");
            return ExitCode::from(1);
        }
        if writeln!(stdout, "{id}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
