//! Prints through a real CUPS scheduler to the `cups-pdf` virtual printer.
//!
//! The test starts its own `cupsd` in the foreground on a free loopback port with a private
//! configuration (so it never touches the machine's printers), adds a `cups-pdf` queue with
//! `lpadmin`, prints, waits for the job and stops the scheduler. It needs the Debian
//! packages `cups` and `printer-driver-cups-pdf`, and root (cupsd and the cups-pdf backend
//! run as root). CI (`scripts/bootstrap`, root on Debian 12) has them; on a machine without
//! them the test prints why and skips, and it never skips when they are there.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "test helpers: a failure is a test failure"
)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kiosk_docs::DocsError;
use kiosk_docs::print::{Cups, JobStatus};

const CUPSD: &str = "/usr/sbin/cupsd";
const CUPS_PDF_BACKEND: &str = "/usr/lib/cups/backend/cups-pdf";
const CUPS_PDF_PPD: &str = "/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd";

/// A private cupsd, stopped when dropped.
struct Scheduler {
    child: Child,
    dir: tempfile::TempDir,
}

impl Scheduler {
    /// Why a private CUPS cannot run here, if it cannot.
    fn unavailable() -> Option<String> {
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

    fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        // Filters run as the unprivileged `lp` user: it must reach the spool and temp dirs.
        use std::os::unix::fs::PermissionsExt;
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
            .unwrap_or_else(|e| panic!("cannot start {CUPSD} (CI must run this test as root with the cups package): {e}"));
        let scheduler = Self { child, dir };
        let cups = scheduler.cups();
        let start = Instant::now();
        while !cups.is_running() {
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

    fn socket(&self) -> PathBuf {
        self.dir.path().join("cups.sock")
    }

    fn cups(&self) -> Cups {
        Cups::at(self.socket().to_string_lossy())
    }

    fn lpadmin(&self, args: &[&str]) {
        let out = Command::new("lpadmin")
            .arg("-h")
            .arg(self.socket())
            .args(args)
            .output()
            .expect("lpadmin runs");
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

fn sample_pdf(dir: &Path) -> PathBuf {
    let font = kiosk_docs::DocumentFont::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../assets/fonts")
            .join(kiosk_docs::FONT_FILE_NAME),
    )
    .expect("font");
    let receipt = kiosk_docs::Receipt {
        profile: "most".into(),
        template_version: None,
        kiosk_name: "测试终端".into(),
        hall_name: "测试大厅".into(),
        hall_phone: "010-88659000".into(),
        issued_at: "2026-11-23 10:00".into(),
        application_no: "MOST-TEST-1".into(),
        applicant_name_masked: "王*".into(),
        id_number_masked: "110***********271X".into(),
        kind_label_zh: "自然人注册".into(),
        kind_label_en: "Person registration".into(),
        attachments: vec![],
        state: kiosk_docs::ReceiptState::Received,
        status_hint: None,
    };
    let pdf =
        kiosk_docs::render_receipt(&receipt, kiosk_docs::Paper::Thermal80, &font).expect("render");
    let path = dir.join("receipt.pdf");
    std::fs::write(&path, pdf.bytes).expect("write");
    path
}

#[test]
fn prints_to_cups_pdf_and_reports_printer_problems() {
    if let Some(why) = Scheduler::unavailable() {
        eprintln!("SKIPPED prints_to_cups_pdf_and_reports_printer_problems: {why}");
        return;
    }
    let scheduler = Scheduler::start();
    let cups = scheduler.cups();
    let work = tempfile::tempdir().expect("temp dir");
    let pdf = sample_pdf(work.path());

    // No queue yet: listing is empty and printing to "the default" says so.
    assert_eq!(
        cups.printers().expect("list"),
        vec![],
        "fresh scheduler has no printers"
    );
    let err = cups.print(&pdf, None, "kiosk-test").unwrap_err();
    assert!(matches!(err, DocsError::NoPrinter), "{err:?}");

    scheduler.lpadmin(&[
        "-p",
        "kiosk-pdf",
        "-E",
        "-v",
        "cups-pdf:/",
        "-P",
        CUPS_PDF_PPD,
    ]);
    scheduler.lpadmin(&["-d", "kiosk-pdf"]);
    let printers = cups.printers().expect("list");
    assert_eq!(printers.len(), 1, "{printers:?}");
    assert!(
        printers[0].is_default && printers[0].enabled,
        "{printers:?}"
    );

    let err = cups
        .print(&pdf, Some("no-such-printer"), "kiosk-test")
        .unwrap_err();
    assert!(matches!(err, DocsError::PrinterNotFound { .. }), "{err:?}");

    let title = format!("kiosk-test-{}", std::process::id());
    let job = cups
        .print(&pdf, None, &title)
        .expect("job accepted by the default printer");
    assert_eq!(job.printer, "kiosk-pdf");
    cups.wait(&job, Duration::from_secs(90))
        .expect("cups-pdf finishes the job");
    assert_eq!(cups.job_status(&job).expect("status"), JobStatus::Completed);
    remove_cups_pdf_output(&title);

    // A stopped queue (what CUPS does on paper out or a backend error) is reported.
    let out = Command::new("cupsdisable")
        .arg("-h")
        .arg(scheduler.socket())
        .args(["-r", "Media empty", "kiosk-pdf"])
        .output()
        .expect("cupsdisable");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let job = cups
        .print(&pdf, Some("kiosk-pdf"), &title)
        .expect("a stopped queue still accepts jobs");
    let err = cups.wait(&job, Duration::from_secs(10)).unwrap_err();
    match err {
        DocsError::PrintFailed { detail } => assert!(detail.contains("Media empty"), "{detail}"),
        other => panic!("expected PrintFailed, got {other:?}"),
    }
    drop(scheduler);
    assert!(!cups.is_running(), "scheduler stopped with the test");
}

/// cups-pdf writes into the submitting user's `~/PDF` (or its anonymous spool); remove the
/// test's file so runs do not pile up.
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
