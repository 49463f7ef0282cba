//! `kioskctl printers` and `kioskctl print` against a real CUPS scheduler with the
//! `cups-pdf` virtual printer. Like `crates/kiosk-docs/tests/print.rs`, the test runs its own
//! `cupsd` on a private configuration and socket (never the machine's printers) and points
//! the CUPS clients at it with `CUPS_SERVER`; it skips with a printed reason only when CUPS
//! or root is missing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const CUPSD: &str = "/usr/sbin/cupsd";
const CUPS_PDF_PPD: &str = "/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd";

struct Scheduler {
    child: Child,
    dir: tempfile::TempDir,
}

impl Scheduler {
    fn unavailable() -> Option<String> {
        for needed in [CUPSD, "/usr/lib/cups/backend/cups-pdf", CUPS_PDF_PPD] {
            if !Path::new(needed).exists() {
                return Some(format!("{needed} is missing"));
            }
        }
        let uid = Command::new("id").arg("-u").output().unwrap();
        let uid = String::from_utf8_lossy(&uid.stdout).trim().to_owned();
        (uid != "0").then(|| format!("cupsd needs root (uid {uid})"))
    }

    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
        for sub in ["spool", "tmp", "cache", "state", "log", "ppd"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        std::fs::set_permissions(root.join("tmp"), std::fs::Permissions::from_mode(0o1777))
            .unwrap();
        let socket = root.join("cups.sock");
        std::fs::write(
            root.join("cupsd.conf"),
            format!(
                "Listen {}\nLogLevel warn\nBrowsing No\nWebInterface No\nDefaultAuthType None\n\
                 <Location />\n  Order allow,deny\n  Allow all\n</Location>\n\
                 <Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n\
                 <Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
                socket.display()
            ),
        )
        .unwrap();
        let r = root.display();
        std::fs::write(
            root.join("cups-files.conf"),
            format!(
                "ServerRoot {r}\nRequestRoot {r}/spool\nTempDir {r}/tmp\nCacheDir {r}/cache\nStateDir {r}/state\n\
                 ErrorLog {r}/log/error_log\nAccessLog {r}/log/access_log\nPageLog {r}/log/page_log\n\
                 ServerBin /usr/lib/cups\nDataDir /usr/share/cups\nSandboxing Relaxed\n"
            ),
        )
        .unwrap();
        let child = Command::new(CUPSD)
            .args(["-f", "-c"])
            .arg(root.join("cupsd.conf"))
            .arg("-s")
            .arg(root.join("cups-files.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let scheduler = Self { child, dir };
        let start = Instant::now();
        loop {
            let out = scheduler.client("lpstat", &["-r"]);
            if String::from_utf8_lossy(&out.stdout).contains("scheduler is running") {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "cupsd did not come up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        scheduler
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("cups.sock")
    }

    fn client(&self, program: &str, args: &[&str]) -> Output {
        Command::new(program)
            .env("CUPS_SERVER", self.socket())
            .args(args)
            .output()
            .unwrap()
    }

    fn kioskctl(&self, data_dir: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_kioskctl"))
            .arg("--data-dir")
            .arg(data_dir)
            .args(args)
            .env("CUPS_SERVER", self.socket())
            .output()
            .unwrap()
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn stdout_of(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn kioskctl_lists_printers_and_prints_a_receipt_through_cups_pdf() {
    if let Some(why) = Scheduler::unavailable() {
        eprintln!("SKIPPED kioskctl_lists_printers_and_prints_a_receipt_through_cups_pdf: {why}");
        return;
    }
    let scheduler = Scheduler::start();
    let work = tempfile::tempdir().unwrap();

    let none = scheduler.kioskctl(work.path(), &["printers", "--json"]);
    assert_eq!(
        stdout_of(&none).trim(),
        "[]",
        "a fresh scheduler has no printers"
    );

    let title = format!("kioskctl-test-{}", std::process::id());
    let receipt = work.path().join(format!("{title}.pdf"));
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/applications/most-natural-person.json");
    stdout_of(&scheduler.kioskctl(
        work.path(),
        &[
            "pdf",
            "receipt",
            "--input",
            &fixture.to_string_lossy(),
            "--out",
            &receipt.to_string_lossy(),
            "--paper",
            "80mm",
        ],
    ));
    let no_default = scheduler.kioskctl(
        work.path(),
        &["print", "--file", &receipt.to_string_lossy()],
    );
    assert_eq!(no_default.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&no_default.stderr).contains("PRINTER_NONE"),
        "no printer is reported: {}",
        String::from_utf8_lossy(&no_default.stderr)
    );

    for args in [
        &[
            "-p",
            "kiosk-pdf",
            "-E",
            "-v",
            "cups-pdf:/",
            "-P",
            CUPS_PDF_PPD,
        ][..],
        &["-d", "kiosk-pdf"][..],
    ] {
        let out = scheduler.client("lpadmin", args);
        assert!(out.status.success(), "lpadmin {args:?}: {out:?}");
    }
    let listed: serde_json::Value = serde_json::from_str(&stdout_of(
        &scheduler.kioskctl(work.path(), &["printers", "--json"]),
    ))
    .unwrap();
    assert_eq!(listed[0]["name"], "kiosk-pdf", "{listed}");
    assert_eq!(listed[0]["isDefault"], true, "{listed}");

    let unknown = scheduler.kioskctl(
        work.path(),
        &[
            "print",
            "--file",
            &receipt.to_string_lossy(),
            "--printer",
            "nope",
        ],
    );
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("PRINTER_NOT_FOUND"),
        "{unknown:?}"
    );

    let job: serde_json::Value = serde_json::from_str(&stdout_of(&scheduler.kioskctl(
        work.path(),
        &[
            "print",
            "--file",
            &receipt.to_string_lossy(),
            "--wait",
            "90",
            "--json",
        ],
    )))
    .unwrap();
    assert_eq!(job["printer"], "kiosk-pdf", "{job}");
    assert!(
        receipt.exists(),
        "kioskctl leaves the operator's own file in place"
    );
    remove_cups_pdf_output(&title);
}

/// cups-pdf writes into `~/PDF` or its anonymous spool; remove what this test printed.
fn remove_cups_pdf_output(title: &str) {
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
