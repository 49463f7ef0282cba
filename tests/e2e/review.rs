//! Real-app end-to-end: a supervisor reviews applications seeded with `kioskctl` before launch,
//! approves two in a batch, returns one with a reason, and the operator then sees the reason.

use std::path::Path;
use std::time::Duration;

use crate::harness::{Launch, Session, create_first_admin, kioskctl};
use fantoccini::Locator;

const SUPERVISOR_PASSWORD: &str = "supervisor password 1";
const OPERATOR_PASSWORD: &str = "clerk password 1";
const REASON: &str = "身份证照片反光，请重拍";

/// Staff (admin, supervisor, operator), review policy `all`, three submitted applications.
fn seed(dir: &Path) -> Vec<String> {
    let admin_pw = "a long admin password";
    create_first_admin(dir, "admin", "管理员", admin_pw);
    for (user, name, role, pw) in [
        ("lead", "周主管", "supervisor", SUPERVISOR_PASSWORD),
        ("clerk", "王工", "operator", OPERATOR_PASSWORD),
    ] {
        kioskctl(
            dir,
            &[
                "staff",
                "add",
                "--as",
                "admin",
                "--username",
                user,
                "--name",
                name,
                "--role",
                role,
            ],
            &format!("{admin_pw}\n{pw}\n"),
        );
    }
    kioskctl(dir, &["review", "policy", "tianjin", "all"], "");

    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/applications/tianjin-legal-entity.json"
    );
    let mut app: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let files = tempfile::tempdir().unwrap();
    let mut attach = Vec::new();
    for (i, entry) in app["attachments"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        let bytes = vec![u8::try_from(i).unwrap(); 1000 + i];
        entry["sizeBytes"] = serde_json::json!(bytes.len());
        let name = entry["fileName"].as_str().unwrap().to_owned();
        let path = files.path().join(&name);
        std::fs::write(&path, &bytes).unwrap();
        attach.push(format!(
            "{}={}",
            entry["slot"].as_str().unwrap(),
            path.display()
        ));
    }
    let app_path = files.path().join("application.json");
    std::fs::write(&app_path, app.to_string()).unwrap();
    (0..3)
        .map(|_| {
            let mut args = vec!["submit", "--profile", "tianjin", "--json"];
            let app_arg = app_path.to_str().unwrap();
            args.push(app_arg);
            for a in &attach {
                args.push("--attach");
                args.push(a);
            }
            let out = kioskctl(dir, &args, "");
            let receipt: serde_json::Value = serde_json::from_str(&out).unwrap();
            receipt["id"].as_str().unwrap().to_owned()
        })
        .collect()
}

async fn fill(session: &Session, css: &str, text: &str) {
    session.click(css).await;
    let element = session.client.find(Locator::Css(css)).await.unwrap();
    element.clear().await.unwrap();
    element.send_keys(text).await.unwrap();
}

async fn sign_in(session: &Session, user: &str, password: &str) {
    session.click("[data-test=sign-in]").await;
    fill(session, "#login-username", user).await;
    fill(session, "#login-password", password).await;
    session.click("[data-test=login-submit]").await;
}

async fn confirm_with_password(session: &Session) {
    fill(session, "[data-test=review-password]", SUPERVISOR_PASSWORD).await;
    session.click("[data-test=review-confirm-button]").await;
    session
        .wait_for_text("[data-test=review-notice]", Duration::from_secs(20), |t| {
            !t.is_empty()
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisor_approves_two_returns_one_and_the_operator_sees_the_reason() {
    let data_dir = tempfile::tempdir().unwrap();
    let ids = seed(data_dir.path());
    let listed = kioskctl(
        data_dir.path(),
        &["review", "list", "--status", "pending"],
        "",
    );
    assert_eq!(listed.lines().count(), 3, "three held: {listed}");

    let session = Session::start(Launch {
        data_dir: Some(data_dir),
        ..Launch::default()
    })
    .await;
    sign_in(&session, "lead", SUPERVISOR_PASSWORD).await;
    session.click("[data-test=tile-review]").await;
    session
        .wait_for_text("[data-test=review-table]", Duration::from_secs(20), |t| {
            t.contains(&ids[2][ids[2].len() - 12..])
        })
        .await;

    session
        .click(&format!("[data-test=select-{}]", ids[0]))
        .await;
    session
        .click(&format!("[data-test=select-{}]", ids[1]))
        .await;
    session.click("[data-test=batch-approve]").await;
    confirm_with_password(&session).await;

    session
        .click(&format!("[data-test=return-{}]", ids[2]))
        .await;
    fill(&session, "[data-test=review-return-reason]", REASON).await;
    confirm_with_password(&session).await;
    session.screenshot("review-supervisor").await;

    let dir = session.data_dir.path().to_path_buf();
    let approved = kioskctl(&dir, &["review", "list", "--status", "approved"], "");
    assert_eq!(approved.lines().count(), 2, "two approved: {approved}");
    assert!(approved.contains(&ids[0]) && approved.contains(&ids[1]));

    session.click("[data-test=logout]").await;
    sign_in(&session, "clerk", OPERATOR_PASSWORD).await;
    session.click("[data-test=tile-review]").await;
    let reason = session
        .wait_for_text("[data-test=review-reason]", Duration::from_secs(20), |t| {
            t.contains(REASON)
        })
        .await;
    assert_eq!(reason, REASON, "the operator sees why it came back");
    session.screenshot("review-operator").await;
    session.finish().await;
}
