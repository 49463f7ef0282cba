//! End-to-end harness: drives the real `tongban` binary in a real WebKit webview.
//!
//! Each [`Session`] starts its own Xvfb display and its own `tauri-driver` on free ports,
//! launches the freshly built app with a temporary data directory, and connects a
//! WebDriver client. Dropping the session ends every process it started, so parallel
//! runs on one machine never collide. At most [`PARALLEL_SESSIONS`] apps run at once: more
//! WebKit processes than that on a two-core machine only make every test slower.

use std::io::Write;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tempfile::TempDir;
use tokio::sync::{Semaphore, SemaphorePermit};

/// How many apps the tests of this binary drive at the same time. A session that only waits on
/// the screen (an idle timeout running out) gives its turn to another meanwhile
/// ([`Session::while_idle`]); scripts/rust-tests runs the binary with one test thread more than
/// this, so that another journey can take it.
pub const PARALLEL_SESSIONS: usize = 2;
static SESSION_SLOTS: Semaphore = Semaphore::const_new(PARALLEL_SESSIONS);

/// A running app under WebDriver control.
pub struct Session {
    /// The WebDriver client connected to the app's webview.
    pub client: Client,
    /// The app's data directory (removed when the session drops).
    pub data_dir: TempDir,
    /// Xvfb and tauri-driver (with the WebKit driver and the app); killed on drop.
    _processes: Processes,
    /// This session's turn among [`PARALLEL_SESSIONS`]; given back after the processes end,
    /// and lent out during [`Session::while_idle`] (`None` then).
    slot: std::sync::Mutex<Option<SemaphorePermit<'static>>>,
    /// Personal values typed into the app, looked for in its logs when the session ends.
    typed: std::sync::Mutex<Vec<String>>,
}

/// What to start the app with.
#[derive(Default)]
pub struct Launch {
    /// Extra environment for the app (besides `KIOSK_DATA_DIR`).
    pub env: Vec<(String, String)>,
    /// A data directory prepared before launch (e.g. seeded with `kioskctl`); a fresh one
    /// when `None`.
    pub data_dir: Option<TempDir>,
    /// Command-line arguments for the app (e.g. `--kiosk`, `--mock-camera`).
    pub args: Vec<String>,
}

impl Session {
    /// Starts Xvfb, tauri-driver and the app, and connects a WebDriver client.
    pub async fn start(launch: Launch) -> Session {
        let slot = SESSION_SLOTS
            .acquire()
            .await
            .expect("the session semaphore is never closed");
        let Launch {
            env,
            data_dir,
            args,
        } = launch;
        let data_dir =
            data_dir.unwrap_or_else(|| tempfile::tempdir().expect("temporary data directory"));
        let mut processes = Vec::new();

        let (xvfb, display) = start_xvfb();
        processes.push(xvfb);

        let port = free_port();
        let native_port = free_port();
        let driver = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", format!(":{display}"))
            .env("NO_AT_BRIDGE", "1")
            .env("KIOSK_DATA_DIR", data_dir.path())
            // Info lines too, so the log check at the end sees everything the app says.
            .env("RUST_LOG", "info")
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("tauri-driver starts (run scripts/bootstrap to install it)");
        processes.push(driver);
        wait_for_port(port, Duration::from_secs(20));
        wait_for_port(native_port, Duration::from_secs(20));

        let app = app_binary();
        let capabilities = serde_json::json!({
            "tauri:options": { "application": app, "args": args }
        });
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("a JSON object literal"),
        };
        let client = connect(port, capabilities).await;
        Session {
            client,
            data_dir,
            _processes: Processes(processes),
            slot: std::sync::Mutex::new(Some(slot)),
            typed: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Awaits `wait`, a wait on the screen with nothing to do meanwhile (an idle timeout running
    /// out), with this session's turn among [`PARALLEL_SESSIONS`] given to another journey, and
    /// takes a turn again before it goes on. The app stays up; it only stops counting as busy.
    pub async fn while_idle<T>(&self, wait: impl Future<Output = T>) -> T {
        if let Ok(mut slot) = self.slot.lock() {
            drop(slot.take());
        }
        let output = wait.await;
        let slot = SESSION_SLOTS
            .acquire()
            .await
            .expect("the session semaphore is never closed");
        if let Ok(mut held) = self.slot.lock() {
            *held = Some(slot);
        }
        output
    }

    /// Waits until the element matching `css` has text satisfying `accept`, and returns it.
    pub async fn wait_for_text(
        &self,
        css: &str,
        timeout: Duration,
        accept: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + timeout;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = element.text().await
            {
                if accept(&text) {
                    return text;
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let shot = self.screenshot("timeout").await;
        let source = self.client.source().await.unwrap_or_default();
        panic!(
            "element {css} never had the expected text; last seen: {last:?}\nscreenshot: {}\npage source: {}",
            shot.display(),
            source.chars().take(2000).collect::<String>()
        );
    }

    /// Clicks the element matching `css`, retrying for 15 s while it is not yet there, still
    /// disabled (a wizard's "next" waits for Rust) or not yet clickable.
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && element.is_enabled().await.unwrap_or(false)
                && element.click().await.is_ok()
            {
                return;
            }
            if Instant::now() >= deadline {
                let shot = self.screenshot("click-timeout").await;
                panic!("could not click {css}; screenshot {}", shot.display());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types `text` into the element matching `css`, retrying for 15 s while it is not yet
    /// there or not yet interactable (a step still sliding in).
    pub async fn type_into(&self, css: &str, text: &str) {
        if personal_looking(text)
            && let Ok(mut typed) = self.typed.lock()
        {
            typed.push(text.to_owned());
        }
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && element.send_keys(text).await.is_ok()
            {
                return;
            }
            if Instant::now() >= deadline {
                let shot = self.screenshot("type-timeout").await;
                panic!("could not type into {css}; screenshot {}", shot.display());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets the value of the `<input>` matching `css` as a user's edit would (input, change and
    /// blur events): WebKit's native date inputs take typed digits in the locale's order only.
    pub async fn set_input(&self, css: &str, value: &str) {
        let script = r#"
            const [css, value] = arguments;
            const input = document.querySelector(css);
            if (!input) return false;
            input.focus();
            input.value = value;
            for (const type of ['input', 'change']) input.dispatchEvent(new Event(type, { bubbles: true }));
            input.blur();
            return true;"#;
        let done = self
            .client
            .execute(script, vec![css.into(), value.into()])
            .await
            .expect("script runs");
        assert_eq!(
            done,
            serde_json::Value::Bool(true),
            "no input matches {css}"
        );
    }

    /// Saves a screenshot to `target/e2e-screens/<name>.png` for people to look at.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = screens_dir();
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("screenshot written");
        path
    }

    /// Waits (up to 30 s) until the home screen shows the kiosk's mode, and returns it.
    pub async fn wait_until_home(&self) -> String {
        self.wait_for_text("[data-test=mode]", Duration::from_secs(30), |t| {
            !t.is_empty()
        })
        .await
    }

    /// From the home screen, opens the flow of `tile` (`natural-person`, `legal-entity`, ...),
    /// gives consent and chooses the platform `profile`, landing on the wizard's first step.
    pub async fn start_flow(&self, tile: &str, profile: &str) {
        self.click(&format!("[data-test=tile-{tile}]")).await;
        self.click("[data-test=consent-agree]").await;
        self.click(&format!("[data-test=profile-{profile}]")).await;
        self.click("[data-test=wizard-next]").await;
    }

    /// Creates the kiosk's first administrator the documented way (see [`create_first_admin`])
    /// and signs them in from the home screen.
    pub async fn sign_in_first_admin(&self, username: &str, name: &str, password: &str) {
        create_first_admin(self.data_dir.path(), username, name, password);
        self.sign_in(username, name, password).await;
    }

    /// Signs the staff member in from the home screen.
    pub async fn sign_in(&self, username: &str, name: &str, password: &str) {
        self.click("[data-test=sign-in]").await;
        self.type_into("#login-username", username).await;
        self.type_into("#login-password", password).await;
        self.click("[data-test=login-submit]").await;
        self.wait_for_text("[data-test=staff-name]", Duration::from_secs(15), |t| {
            t.contains(name)
        })
        .await;
    }

    /// Whether this session's app process is still running: a `tongban` process whose
    /// environment names this session's data directory.
    pub fn app_running(&self) -> bool {
        let app = app_binary();
        let app = app.canonicalize().unwrap_or(app);
        let marker = format!("KIOSK_DATA_DIR={}", self.data_dir.path().display());
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return false;
        };
        entries.flatten().any(|entry| {
            let dir = entry.path();
            let exe = std::fs::read_link(dir.join("exe")).ok();
            let ours = exe.as_deref().is_some_and(|exe| exe == app.as_path());
            ours && std::fs::read(dir.join("environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|var| var == marker.as_bytes()))
        })
    }

    /// Ends the WebDriver session (closing the app) and stops every process.
    pub async fn finish(self) {
        let _ = self.client.clone().close().await;
        drop(self);
    }
}

impl Drop for Session {
    /// Every session ends with its logs checked: no personal value it typed, and nothing
    /// shaped like an ID number or a mobile number, may appear in any log line.
    fn drop(&mut self) {
        let typed = self.typed.lock().map(|t| t.clone()).unwrap_or_default();
        if std::thread::panicking() {
            // A failed journey shows what the app said last (sync rounds, checks, errors).
            let tail = log_tail(&self.data_dir.path().join("logs"), &typed, 40);
            eprintln!("the app's last log lines:\n{}", tail.join("\n"));
            return;
        }
        let leaks = log_leaks(&self.data_dir.path().join("logs"), &typed);
        assert!(
            leaks.is_empty(),
            "personal data in the app's log: {leaks:?}"
        );
    }
}

/// Whether typed `text` is personal (a name, an ID or phone number): any CJK character, or
/// six digits or more.
fn personal_looking(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        || text.chars().filter(char::is_ascii_digit).count() >= 6
}

/// The log lines under `dir` that carry one of `typed`, a run of 15 or more digits (an ID
/// number; log timestamps have 13), or an 11-digit run starting 13–19 (a mobile number).
pub fn log_leaks(dir: &Path, typed: &[String]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut leaks = Vec::new();
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for line in text.lines() {
            let typed_here = typed.iter().any(|t| line.contains(t.as_str()));
            if typed_here || digit_runs(line).any(looks_personal_number) {
                leaks.push(format!("{}: {line}", entry.file_name().to_string_lossy()));
            }
        }
    }
    leaks
}

/// The last `count` log lines under `dir`, without any line [`log_leaks`] would flag (the log
/// carries no personal data; if it ever did, a test's output must not spread it).
fn log_tail(dir: &Path, typed: &[String], count: usize) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    let mut lines: Vec<String> = files
        .iter()
        .flat_map(|file| {
            std::fs::read_to_string(file)
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|line| {
            !typed.iter().any(|t| line.contains(t.as_str()))
                && !digit_runs(line).any(looks_personal_number)
        })
        .collect();
    let skip = lines.len().saturating_sub(count);
    lines.drain(..skip);
    lines
}

fn digit_runs(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !(c.is_ascii_digit() || c == 'X' || c == 'x'))
        .filter(|run| !run.is_empty())
}

fn looks_personal_number(run: &str) -> bool {
    let digits = run.trim_end_matches(['X', 'x']);
    let id_like = run.len() >= 15 && digits.chars().all(|c| c.is_ascii_digit());
    let mobile_like = run.len() == 11
        && run.chars().all(|c| c.is_ascii_digit())
        && run.starts_with('1')
        && run
            .as_bytes()
            .get(1)
            .is_some_and(|b| (b'3'..=b'9').contains(b));
    id_like || mobile_like
}

/// Kills the process groups it owns when dropped (also when a test panics).
struct Processes(Vec<Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for child in self.0.iter_mut().rev() {
            // Each child leads its own process group: take its descendants (the WebKit driver
            // and the app started by tauri-driver) down with it. (Not `/usr/bin/kill -TERM -PGID`:
            // procps-ng 4.0.2 misreads a negative PGID as a signal number and signals every process.)
            let group = Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));
            let _ = killpg(group, Signal::SIGTERM);
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = killpg(group, Signal::SIGKILL);
            let _ = child.wait();
        }
    }
}

/// Starts Xvfb on a display it picks itself (`-displayfd`), so runs never collide.
fn start_xvfb() -> (Child, u32) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("Xvfb starts (run scripts/bootstrap to install it)");
    let stdout = child.stdout.take().expect("Xvfb stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("Xvfb reports its display");
    let display = line.trim().parse().expect("Xvfb display number");
    (child, display)
}

/// Opens the WebDriver session, retrying while the native driver behind tauri-driver warms up.
async fn connect(port: u16, capabilities: serde_json::Map<String, serde_json::Value>) -> Client {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        // Plain HTTP to tauri-driver on loopback: no TLS stack in the WebDriver client.
        let attempt = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        match attempt {
            Ok(client) => return client,
            Err(error) if Instant::now() < deadline => {
                eprintln!("WebDriver not ready yet ({error}); retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(error) => panic!("no WebDriver session with the app: {error}"),
        }
    }
}

/// The app the sessions launch: the `tongban` this test binary was built with, or the binary
/// named by `TONGBAN_E2E_APP` (bench/run drives the release build this way, to measure it).
pub fn app_binary() -> PathBuf {
    std::env::var_os("TONGBAN_E2E_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_tongban")))
}

fn tauri_driver() -> PathBuf {
    let home_bin = std::env::var_os("HOME")
        .map(|home| Path::new(&home).join(".cargo/bin/tauri-driver"))
        .filter(|path| path.exists());
    home_bin.unwrap_or_else(|| PathBuf::from("tauri-driver"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free loopback port")
}

fn wait_for_port(port: u16, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nothing listened on 127.0.0.1:{port} within {timeout:?}");
}

/// `target/e2e-screens`, next to the build's other outputs.
fn screens_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(|target| target.join("e2e-screens"))
        .unwrap_or_else(|| PathBuf::from("target/e2e-screens"))
}

/// Creates the kiosk's first administrator the documented way: `kioskctl staff setup-code`,
/// then `kioskctl staff first-admin` with the password on stdin.
pub fn create_first_admin(data_dir: &Path, username: &str, name: &str, password: &str) {
    let code = kioskctl(data_dir, &["staff", "setup-code"], "");
    let code = code.lines().last().unwrap_or_default().trim().to_owned();
    kioskctl(
        data_dir,
        &[
            "staff",
            "first-admin",
            "--code",
            &code,
            "--username",
            username,
            "--name",
            name,
        ],
        &format!("{password}\n"),
    );
}

/// A binary of the workspace built next to the app (`kioskctl`, `platformd`): `cargo test
/// --workspace` builds them, `cargo build -p kiosk-cli -p platform` does too.
pub fn sibling_binary(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_BIN_EXE_tongban")).with_file_name(name);
    assert!(
        path.exists(),
        "{} missing: build it with `cargo build -p kiosk-cli -p platform`",
        path.display()
    );
    path
}

/// Runs `command` with `stdin`, panicking with its stderr when it fails.
pub fn run_with_stdin(command: &mut Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("command starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin accepts the input");
    let out = child.wait_with_output().expect("command ends");
    assert!(
        out.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs `kioskctl --data-dir DIR args...` with `stdin` and returns its standard output.
pub fn kioskctl(data_dir: &Path, args: &[&str], stdin: &str) -> String {
    kioskctl_on_clock(data_dir, args, stdin, &[])
}

/// [`kioskctl`] with extra environment, e.g. a clock moved with libfaketime
/// (`hall::clock_at`).
pub fn kioskctl_on_clock(
    data_dir: &Path,
    args: &[&str],
    stdin: &str,
    env: &[(String, String)],
) -> String {
    let out = run_with_stdin(
        Command::new(sibling_binary("kioskctl"))
            .arg("--data-dir")
            .arg(data_dir)
            .args(args)
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        stdin,
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
