//! The platform's log lines, captured for the whole test binary: tests assert that nothing
//! personal reaches them. One logger per process, installed by every fixture
//! ([`super::test_storage`]), so the modules of this binary can run in any order. With
//! `RUST_LOG` set the lines are also printed, as env_logger would.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Mutex, OnceLock};

struct Capture {
    echo: bool,
}

/// Every line logged so far by a `platform` target, as `target message`.
pub fn captured() -> &'static Mutex<Vec<String>> {
    static LINES: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    LINES.get_or_init(|| Mutex::new(Vec::new()))
}

impl log::Log for Capture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target().starts_with("platform")
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            let line = format!("{} {}", record.target(), record.args());
            if self.echo {
                println!("[{}] {line}", record.level());
            }
            captured().lock().unwrap().push(line);
        }
    }

    fn flush(&self) {}
}

/// Installs the capturing logger (once per process; later calls do nothing).
pub fn capture_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let echo = std::env::var_os("RUST_LOG").is_some();
        let logger: &'static Capture = Box::leak(Box::new(Capture { echo }));
        let _ = log::set_logger(logger);
        log::set_max_level(log::LevelFilter::Trace);
    });
}
