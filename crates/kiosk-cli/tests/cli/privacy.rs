//! Logs and support bundles after a real submission and sync hold no personal data: kioskctl
//! submits the fixture, enrols with a real platformd on loopback, syncs, runs the doctor and
//! writes a support bundle, all at the most verbose log level; then the log files and every
//! entry of the zip are scanned for the fixture's ID number, name and phone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/applications/tianjin-legal-entity.json"
);
/// The legal representative's ID number, name and mobile in that fixture.
const SECRETS: [&str; 3] = ["120101198209155739", "赵磊", "13920200003"];

fn kioskctl(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KIOSK_DATA_DIR")
        .env("RUST_LOG", "trace")
        .output()
        .unwrap()
}

fn ok(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} contains {secret}");
    }
}

#[test]
fn logs_and_support_bundle_after_submission_and_sync_hold_no_personal_data() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let running = runtime.block_on(kiosk_testkit::platformd::Loopback::start());
    let (platform, url) = (&running.platform, running.url());

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let files = [
        ("business-licence", "licence.pdf"),
        ("risk-commitment", "commitment.docx"),
        ("bank-account-permit", "permit.jpg"),
    ];
    let mut args = vec![
        "submit".to_owned(),
        "--profile".into(),
        "tianjin".into(),
        FIXTURE.into(),
    ];
    for (i, (slot, name)) in files.iter().enumerate() {
        let path = dir.path().join(name);
        std::fs::write(&path, vec![u8::try_from(i).unwrap(); 5000 + i]).unwrap();
        args.push("--attach".into());
        args.push(format!("{slot}={}", path.display()));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(&kioskctl(&data, &args));
    // A second submission now that the log file exists from the start of the process.
    ok(&kioskctl(&data, &args));

    let code = running.enrolment_code("privacy");
    ok(&kioskctl(
        &data,
        &["enrol", "--platform", &url, "--code", &code],
    ));
    ok(&kioskctl(&data, &["sync", "--once"]));
    assert_eq!(
        platform.submissions().unwrap().len(),
        2,
        "both applications synced"
    );
    let _doctor = kioskctl(&data, &["doctor", "--json"]);
    let zip_path = dir.path().join("support.zip");
    ok(&kioskctl(
        &data,
        &["support-bundle", "--out", zip_path.to_str().unwrap()],
    ));
    runtime.block_on(running.stop());

    let logs = data.join("logs");
    let mut all_logs = String::new();
    for entry in std::fs::read_dir(&logs).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        all_logs.push_str(&text);
    }
    assert!(
        all_logs.contains("kiosk opened"),
        "the log was written: {all_logs:.400}"
    );
    assert!(
        all_logs.lines().count() > 20,
        "a trace-level run logs a lot"
    );
    assert_clean("the log", &all_logs);

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert_clean(entry.name(), &text);
        names.push(entry.name().to_owned());
    }
    assert!(names.iter().any(|n| n == "doctor.json"), "{names:?}");
    assert!(names.iter().any(|n| n == "logs/kioskctl.log"), "{names:?}");
}
