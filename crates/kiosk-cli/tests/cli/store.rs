//! kioskctl's store commands end to end: submit, queue, db check, audit verify (with SQL
//! tampering), purge, staff.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The rules engine's fixture for a Tianjin legal entity (made-up people and unit).
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/applications/tianjin-legal-entity.json"
);
/// The legal representative's ID number and name in that fixture.
const FIXTURE_ID_NUMBER: &str = "120101198209155739";
const FIXTURE_NAME: &str = "赵磊";

fn kioskctl(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KIOSK_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
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

fn submit_one(dir: &Path) -> String {
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
        let path = dir.join(name);
        std::fs::write(&path, vec![u8::try_from(i).unwrap(); 5000 + i]).unwrap();
        args.push("--attach".into());
        args.push(format!("{slot}={}", path.display()));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = kioskctl(&dir.join("data"), &args, "");
    ok(&out).trim().to_owned()
}

#[test]
fn submit_then_queue_list_show_stats_and_db_check() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = submit_one(dir.path());
    assert_eq!(id.len(), 36, "prints the id: {id}");

    let list: serde_json::Value =
        serde_json::from_str(&ok(&kioskctl(&data, &["queue", "list", "--json"], ""))).unwrap();
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["state"], "submitted");

    let show = ok(&kioskctl(&data, &["queue", "show", &id, "--json"], ""));
    let show: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(show["attachments"][0]["slot"], "business-licence");
    assert_eq!(show["attachments"][0]["mediaType"], "application/pdf");
    assert_eq!(show["attachments"][2]["mediaType"], "image/jpeg");
    assert_eq!(show["sealing"], "local");
    let shown = show.to_string();
    assert!(
        !shown.contains(FIXTURE_ID_NUMBER),
        "raw ID on screen: {shown}"
    );
    assert!(!shown.contains(FIXTURE_NAME), "raw name on screen: {shown}");
    assert!(
        shown.contains("120***********5739"),
        "masked ID shown: {shown}"
    );

    let stats: serde_json::Value =
        serde_json::from_str(&ok(&kioskctl(&data, &["queue", "stats", "--json"], ""))).unwrap();
    assert_eq!(stats["byState"]["submitted"], 1);

    let check: serde_json::Value =
        serde_json::from_str(&ok(&kioskctl(&data, &["db", "check", "--json"], ""))).unwrap();
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(check["schemaVersion"], check["latestVersion"]);
}

#[test]
fn invalid_application_is_refused_with_exit_1_and_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("bad.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    value["legalRepresentative"]["mobile"] = "123".into();
    std::fs::write(&app, value.to_string()).unwrap();
    // Invalid mobile and no files for the three listed attachments: both are reported.
    let out = kioskctl(
        &dir.path().join("data"),
        &["submit", "--profile", "tianjin", app.to_str().unwrap()],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("APPLICATION_INVALID") && err.contains("错误") && err.contains("error"),
        "{err}"
    );
    assert!(err.contains("3 attachments"), "{err}");
    let bad_attach = kioskctl(
        &dir.path().join("data"),
        &[
            "submit",
            "--profile",
            "tianjin",
            app.to_str().unwrap(),
            "--attach",
            "noequals",
        ],
        "",
    );
    assert!(String::from_utf8_lossy(&bad_attach.stderr).contains("ATTACH_ARGUMENT_INVALID"));
}

#[test]
fn audit_verify_passes_then_fails_after_sql_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    submit_one(dir.path());
    submit_one(dir.path());
    let verified = ok(&kioskctl(&data, &["audit", "verify"], ""));
    assert!(verified.contains("intact"), "{verified}");

    let key = std::fs::read_to_string(data.join("keys/store.key")).unwrap();
    kiosk_store::prepare_sqlcipher();
    let conn = rusqlite::Connection::open(data.join("db/kiosk.db")).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.trim()))
        .unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1;",
    )
    .unwrap();
    drop(conn);
    let out = kioskctl(&data, &["audit", "verify", "--json"], "");
    assert_eq!(out.status.code(), Some(1), "tampering must fail the check");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["intact"], false);
    assert_eq!(report["brokenAtSeq"], 1);
}

#[test]
fn purge_runs_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    submit_one(dir.path());
    let out = ok(&kioskctl(
        &data,
        &["purge", "--retention-days", "3", "--json"],
        "",
    ));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["applications"], 0, "nothing confirmed yet");
    let list = ok(&kioskctl(
        &data,
        &["queue", "list", "--state", "submitted"],
        "",
    ));
    assert!(list.contains("submitted"), "{list}");
}

#[test]
fn staff_setup_code_first_admin_add_and_login() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let code = ok(&kioskctl(&data, &["staff", "setup-code"], ""))
        .trim()
        .to_owned();
    assert_eq!(code.len(), 19, "{code}");
    ok(&kioskctl(
        &data,
        &[
            "staff",
            "first-admin",
            "--code",
            &code,
            "--username",
            "admin",
            "--name",
            "管理员",
        ],
        "admin password 123\n",
    ));
    ok(&kioskctl(
        &data,
        &[
            "staff",
            "add",
            "--as",
            "admin",
            "--username",
            "clerk",
            "--name",
            "王工",
            "--role",
            "operator",
        ],
        "admin password 123\nclerk password 1\n",
    ));
    ok(&kioskctl(
        &data,
        &["staff", "login", "--username", "clerk"],
        "clerk password 1\n",
    ));
    let wrong = kioskctl(&data, &["staff", "login", "--username", "clerk"], "nope\n");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("STAFF_LOGIN_FAILED"));
    let again = kioskctl(&data, &["staff", "setup-code"], "");
    assert!(String::from_utf8_lossy(&again.stderr).contains("STAFF_SETUP_DONE"));
    let list = ok(&kioskctl(&data, &["staff", "list"], ""));
    assert!(list.contains("admin") && list.contains("clerk"), "{list}");
}

#[test]
fn wrong_key_is_reported_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    submit_one(dir.path());
    std::fs::write(data.join("keys/store.key"), "cd".repeat(32)).unwrap();
    let out = kioskctl(&data, &["db", "check"], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("WRONG_KEY") && err.contains("密钥"), "{err}");
}
