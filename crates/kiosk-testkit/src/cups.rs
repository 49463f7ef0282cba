//! A private CUPS scheduler with the `cups-pdf` virtual printer, for printing tests.
//!
//! [`Scheduler::start`] runs its own `cupsd` in the foreground on a private configuration, a
//! private socket and a free loopback port, so a test never touches the machine's printers.
//! It needs the Debian packages `cups` and `printer-driver-cups-pdf`, and root (cupsd and the
//! cups-pdf backend run as root). CI (`scripts/bootstrap`, root on Debian 12) has them; where
//! they are missing, [`Scheduler::unavailable`] says why so the test can print it and skip.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const CUPSD: &str = "/usr/sbin/cupsd";
const CUPS_PDF_BACKEND: &str = "/usr/lib/cups/backend/cups-pdf";
/// The PPD of the `cups-pdf` virtual printer.
pub const CUPS_PDF_PPD: &str = "/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd";

/// A private `cupsd`, stopped when dropped.
#[derive(Debug)]
pub struct Scheduler {
    child: Child,
    dir: tempfile::TempDir,
}

impl Scheduler {
    /// Why a private CUPS cannot run here, if it cannot.
    pub fn unavailable() -> Option<String> {
        for needed in [CUPSD, CUPS_PDF_BACKEND, CUPS_PDF_PPD] {
            if !Path::new(needed).exists() {
                return Some(format!(
                    "{needed} is missing (apt-get install cups printer-driver-cups-pdf)"
                ));
            }
        }
        let uid = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        (uid != "0").then(|| format!("cupsd and the cups-pdf backend need root (uid {uid})"))
    }

    /// Starts the scheduler and waits (up to 20 s) until it answers.
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        // Filters run as the unprivileged `lp` user: it must reach the spool and temp dirs.
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        for sub in ["spool", "tmp", "cache", "state", "log", "ppd"] {
            std::fs::create_dir_all(root.join(sub)).expect("mkdir");
        }
        std::fs::set_permissions(root.join("tmp"), std::fs::Permissions::from_mode(0o1777))
            .expect("chmod");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let socket = root.join("cups.sock");
        std::fs::write(
            root.join("cupsd.conf"),
            format!(
                "Listen 127.0.0.1:{port}\nListen {socket}\nLogLevel warn\nBrowsing No\nWebInterface No\nDefaultAuthType None\n\
                 <Location />\n  Order allow,deny\n  Allow all\n</Location>\n\
                 <Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n\
                 <Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
                socket = socket.display()
            ),
        )
        .expect("cupsd.conf");
        let r = root.display();
        std::fs::write(
            root.join("cups-files.conf"),
            format!(
                "ServerRoot {r}\nRequestRoot {r}/spool\nTempDir {r}/tmp\nCacheDir {r}/cache\nStateDir {r}/state\n\
                 ErrorLog {r}/log/error_log\nAccessLog {r}/log/access_log\nPageLog {r}/log/page_log\n\
                 ServerBin /usr/lib/cups\nDataDir /usr/share/cups\nSandboxing Relaxed\n"
            ),
        )
        .expect("cups-files.conf");
        let child = Command::new(CUPSD)
            .args(["-f", "-c"])
            .arg(root.join("cupsd.conf"))
            .arg("-s")
            .arg(root.join("cups-files.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {CUPSD} (CI runs this test as root with the cups package): {e}"
                )
            });
        let scheduler = Self { child, dir };
        let start = Instant::now();
        while !scheduler.is_running() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "cupsd did not come up within 20 s; its log: {}",
                std::fs::read_to_string(scheduler.dir.path().join("log/error_log"))
                    .unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        scheduler
    }

    /// The scheduler's spool folder (`RequestRoot`): job files `dNNNNN-001`, control files
    /// `cNNNNN`.
    pub fn spool(&self) -> PathBuf {
        self.dir.path().join("spool")
    }

    /// The scheduler's socket: the value for `CUPS_SERVER` or a client's `-h`.
    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("cups.sock")
    }

    /// Runs a CUPS client program (`lpstat`, `cupsdisable`, ...) against this scheduler.
    pub fn client(&self, program: &str, args: &[&str]) -> Output {
        Command::new(program)
            .env("CUPS_SERVER", self.socket())
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
    }

    /// Whether the scheduler answers.
    pub fn is_running(&self) -> bool {
        let out = self.client("lpstat", &["-r"]);
        String::from_utf8_lossy(&out.stdout).contains("scheduler is running")
    }

    /// Adds a `cups-pdf` queue named `name`, enabled, and makes it the default.
    pub fn add_default_pdf_printer(&self, name: &str) {
        self.lpadmin(&["-p", name, "-E", "-v", "cups-pdf:/", "-P", CUPS_PDF_PPD]);
        self.lpadmin(&["-d", name]);
    }

    /// Stops a queue with a reason, as CUPS does on paper out or a backend error.
    pub fn disable(&self, printer: &str, reason: &str) {
        let out = self.client("cupsdisable", &["-r", reason, printer]);
        assert!(
            out.status.success(),
            "cupsdisable {printer}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn lpadmin(&self, args: &[&str]) {
        let out = self.client("lpadmin", args);
        assert!(
            out.status.success(),
            "lpadmin {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Removes what cups-pdf wrote for a job titled `title` (it writes into the submitting
/// user's `~/PDF` or its anonymous spool), so test runs do not pile up files.
pub fn remove_pdf_output(title: &str) {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    for dir in [
        home.join("PDF"),
        PathBuf::from("/var/spool/cups-pdf/ANONYMOUS"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(title) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}
