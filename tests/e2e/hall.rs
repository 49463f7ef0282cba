//! An online service hall for the journeys: a real `platformd` process on a free loopback port
//! (SMS codes to its outbox file), and kiosk data directories enrolled with it the documented
//! way (`kioskctl staff …`, `kioskctl enrol`). A hall may run at another time of day: the
//! platform and the app both start their clocks there through libfaketime, so service hours are
//! tested as they are.
//!
//! Needs `kioskctl` and `platformd` built next to the app (`cargo build -p kiosk-cli -p platform`)
//! and Debian's `faketime` for the time-of-day journeys.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::harness::{
    create_first_admin, kioskctl, kioskctl_on_clock, run_with_stdin, sibling_binary,
};

/// Debian's libfaketime (package `faketime`).
const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

/// The environment that starts a process's clock at `at` (UTC, `YYYY-MM-DD HH:MM:SS`) and lets
/// it run on; timers (monotonic clocks) stay real.
pub fn clock_at(at: &str) -> Vec<(String, String)> {
    assert!(
        std::path::Path::new(LIBFAKETIME).exists(),
        "{LIBFAKETIME} missing: scripts/bootstrap installs the faketime package"
    );
    vec![
        ("LD_PRELOAD".into(), LIBFAKETIME.into()),
        ("FAKETIME".into(), format!("@{at}")),
        ("FAKETIME_DONT_FAKE_MONOTONIC".into(), "1".into()),
        ("TZ".into(), "UTC".into()),
    ]
}

/// File in the platform's data directory that holds `platformd serve`'s stderr.
const SERVER_LOG: &str = "serve.stderr";

/// A running platform; stopped when dropped (also when the test panics).
pub struct Hall {
    child: Child,
    /// The platform's data directory.
    pub dir: TempDir,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    env: Vec<(String, String)>,
}

impl Drop for Hall {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Hall {
    /// Starts `platformd serve`, at the time `at` when given. The population database answers
    /// at any hour here: a profile's own hours (Tianjin 08:00-18:00) are the kiosk's rule.
    pub fn start(at: Option<&str>) -> Self {
        let dir = tempfile::tempdir().expect("platform data directory");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let addr = format!("127.0.0.1:{port}");
        let env = at.map(clock_at).unwrap_or_default();
        let child = Command::new(sibling_binary("platformd"))
            .arg("--data-dir")
            .arg(dir.path())
            .args([
                "--population-hours",
                "00:00-24:00",
                "serve",
                "--addr",
                &addr,
            ])
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            // Kept for a failing journey: what the platform said before it stopped answering.
            .stderr(
                std::fs::File::create(dir.path().join(SERVER_LOG))
                    .map(Stdio::from)
                    .unwrap_or_else(|_| Stdio::null()),
            )
            .spawn()
            .expect("platformd starts");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(Instant::now() < deadline, "platformd never listened");
            std::thread::sleep(Duration::from_millis(100));
        }
        Self {
            child,
            dir,
            url: format!("http://{addr}"),
            env,
        }
    }

    fn platformd(&self, args: &[&str]) -> String {
        let out = run_with_stdin(
            Command::new(sibling_binary("platformd"))
                .arg("--data-dir")
                .arg(self.dir.path())
                .args(args)
                .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            "",
        );
        assert!(out.status.success(), "platformd {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Whether `platformd serve` still runs, and the last lines it wrote to stderr.
    fn server_state(&self) -> String {
        // The process state from /proc (an exited, unreaped platformd is a zombie, `Z`), and
        // for a zombie how it ended: the wait status is the stat line's last field (exit_code).
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()));
        let fields: Vec<String> = stat
            .ok()
            .and_then(|s| s.rsplit_once(')').map(|(_, rest)| rest.to_owned()))
            .map(|rest| rest.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        let state = fields.first().and_then(|f| f.chars().next());
        let running = state.is_some_and(|c| c != 'Z' && c != 'X');
        let ended = match (state, fields.last().and_then(|f| f.parse::<i32>().ok())) {
            (Some('Z'), Some(status)) if status & 0x7f != 0 => {
                format!(" (killed by signal {})", status & 0x7f)
            }
            (Some('Z'), Some(status)) => format!(" (exited with code {})", (status >> 8) & 0xff),
            _ => String::new(),
        };
        let log = std::fs::read_to_string(self.dir.path().join(SERVER_LOG)).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        format!("platformd serve running: {running}{ended}; its last stderr lines:\n{tail}")
    }

    /// The platform's SMS outbox, where the tests read the codes a visitor's phone receives.
    pub fn outbox(&self) -> PathBuf {
        self.dir.path().join(platform::sms::OUTBOX_FILE)
    }

    /// A kiosk data directory with a counter clerk (`clerk` / [`CLERK_PASSWORD`]), enrolled with
    /// this platform, serving platform `profile` (every platform when `None`: the visitor picks).
    pub fn kiosk(&self, profile: Option<&str>) -> TempDir {
        let dir = tempfile::tempdir().expect("kiosk data directory");
        create_first_admin(dir.path(), "clerk", "王工", CLERK_PASSWORD);
        let out = self.platformd(&["enrolment-code", "--kiosk", "hall-kiosk-1"]);
        let code = out.lines().last().unwrap_or_default().trim().to_owned();
        // On the platform's clock: its signed answers must not look stale to the kiosk.
        kioskctl_on_clock(
            dir.path(),
            &["enrol", "--platform", &self.url, "--code", &code],
            "",
            &self.env,
        );
        if let Some(profile) = profile {
            kioskctl(
                dir.path(),
                &["settings", "set", "defaultProfile", profile],
                "",
            );
        }
        dir
    }

    /// What the platform received (the reviewer's view: state, attachments, the content without
    /// passwords), waiting up to 60 s for application `id` (the app's own sync worker delivers
    /// it).
    pub fn received(&self, id: &str) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let list: serde_json::Value =
                serde_json::from_str(&self.platformd(&["submissions", "--json"]))
                    .unwrap_or_default();
            if list
                .as_array()
                .is_some_and(|l| l.iter().any(|s| s["id"] == id))
            {
                // The reviewer's view: the content, passwords left out.
                let shown = self.platformd(&["submissions", "--show", id]);
                return serde_json::from_str(&shown).expect("the submission as JSON");
            }
            assert!(
                Instant::now() < deadline,
                "the platform never received {id}: {list}\n{}",
                self.server_state()
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

/// Password of the clerk of [`Hall::kiosk`].
pub const CLERK_PASSWORD: &str = "clerk password 1";
