//! The `idcard-sim` program as the package test and a hall's technician use it: the pty's path
//! on the first line of stdout, serving until `quit` on stdin. (Building this test also builds
//! the program with the workspace's test build, where `scripts/deb-test` finds it.)
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn prints_its_port_first_and_stops_on_quit() {
    let mut sim = Command::new(env!("CARGO_BIN_EXE_idcard-sim"))
        .args(["--card", "zhang-san"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("idcard-sim starts");
    let mut first = String::new();
    BufReader::new(sim.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let port = first.trim();
    assert!(port.starts_with("/dev/pts/"), "first line: {first:?}");
    assert!(std::path::Path::new(port).exists(), "{port} exists");

    writeln!(sim.stdin.take().unwrap(), "quit").unwrap();
    for _ in 0..50 {
        if let Some(status) = sim.try_wait().unwrap() {
            assert!(status.success(), "quits cleanly: {status}");
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    sim.kill().ok();
    panic!("idcard-sim did not stop on quit");
}

#[test]
fn an_unknown_card_is_refused_with_its_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_idcard-sim"))
        .args(["--card", "nobody-at-all"])
        .stdin(Stdio::null())
        .output()
        .expect("idcard-sim runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nobody-at-all"));
}
