//! Real-app end-to-end: a natural-person registration typed into the real kiosk while no
//! platform exists (queued, sealed locally), then a real `platformd` is started, the kiosk is
//! enrolled and synced with `kioskctl`, a reviewer approves with `platformd review`, and after
//! the next sync the kiosk's status lookup shows the verdict.
//!
//! Needs `kioskctl` and `platformd` built next to the app (`cargo build -p kiosk-cli -p platform`).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Launch, Session, kioskctl, run_with_stdin, sibling_binary};

fn platformd(data_dir: &Path, args: &[&str]) -> String {
    let out = run_with_stdin(
        Command::new(sibling_binary("platformd"))
            .arg("--data-dir")
            .arg(data_dir)
            .args(args),
        "",
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The running platform; stopped on drop (also when the test panics).
struct Platform(Child);

impl Drop for Platform {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_platform(data_dir: &Path) -> (Platform, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(sibling_binary("platformd"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(["serve", "--addr", &addr])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("platformd starts");
    let deadline = Instant::now() + Duration::from_secs(15);
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(Instant::now() < deadline, "platformd never listened");
        std::thread::sleep(Duration::from_millis(100));
    }
    (Platform(child), format!("http://{addr}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_registration_is_queued_then_synced_and_its_verdict_shown() {
    let session = Session::start(Launch::default()).await;
    let kiosk_dir = session.data_dir.path().to_path_buf();
    session.wait_until_home().await;

    // A staff member for counter mode, created the documented way.
    session
        .sign_in_first_admin("clerk", "王工", "clerk password 1")
        .await;

    // Natural person on the Tianjin platform, every field through the real wizard.
    session.start_flow("natural-person", "tianjin").await;
    for (css, text) in [
        ("[data-test='field-account.accountName']", "zhaolihua01"),
        ("[data-test='field-account.password']", "Kx9!pQ2#mZ"),
        (
            "[data-test='field-account.passwordConfirmation']",
            "Kx9!pQ2#mZ",
        ),
        ("[data-test='field-account.smsCode']", "123456"),
    ] {
        session.type_into(css, text).await;
    }
    // The holder was 65 when the card was issued: it is valid for the long term.
    let from = "[data-test='field-person.document.validity.from']";
    session
        .set_input(&format!("{from} input, input{from}"), "2015-03-01")
        .await;
    // Element Plus hides the checkbox's own input; click it the way the label does.
    let ticked = session
        .client
        .execute(
            "const box = document.querySelector(arguments[0]); if (!box) return false; box.click(); return true;",
            vec!["[data-test='field-person.document.validity.long-term']".into()],
        )
        .await
        .unwrap();
    assert_eq!(
        ticked,
        serde_json::Value::Bool(true),
        "the long-term box is there"
    );
    session.click("[data-test=wizard-next]").await;
    for (css, text) in [
        ("[data-test='field-person.name']", "赵丽华"),
        (
            "[data-test='field-person.document.number']",
            "11010519491231002X",
        ),
        ("[data-test='field-person.mobile']", "13812345678"),
    ] {
        session.type_into(css, text).await;
    }
    session.click("[data-test=wizard-next]").await;
    session.click("[data-test=wizard-next]").await;
    session
        .wait_for_text(
            "[data-test='summary-person.document.number']",
            Duration::from_secs(15),
            |t| t == "110***********002X",
        )
        .await;
    session.click("[data-test=wizard-submit]").await;
    let number = session
        .wait_for_text(
            "[data-test=application-number]",
            Duration::from_secs(15),
            |t| t.len() == 36,
        )
        .await;
    session.screenshot("register-done").await;

    // Queued offline, sealed to the kiosk's own key.
    let queued = kioskctl(&kiosk_dir, &["queue", "show", &number, "--json"], "");
    assert!(
        queued.contains("\"local\""),
        "sealed to the kiosk's key: {queued}"
    );

    // The platform appears: enrol, sync, review, sync again.
    let platform_dir = tempfile::tempdir().unwrap();
    let (_platform, url) = start_platform(platform_dir.path());
    let out = platformd(platform_dir.path(), &["enrolment-code", "--kiosk", "e2e"]);
    let enrol_code = out.lines().last().unwrap().trim().to_owned();
    kioskctl(
        &kiosk_dir,
        &["enrol", "--platform", &url, "--code", &enrol_code],
        "",
    );
    kioskctl(&kiosk_dir, &["sync", "--once"], "");
    platformd(platform_dir.path(), &["review", "approve", &number]);
    kioskctl(&kiosk_dir, &["sync", "--once"], "");

    // The visitor looks the verdict up at the kiosk.
    session.click("[data-test=done-home]").await;
    session.click("[data-test=tile-status]").await;
    session
        .type_into("[data-test=status-number]", &number)
        .await;
    session.type_into("[data-test=status-last4]", "002X").await;
    session.click("[data-test=status-submit]").await;
    let state = session
        .wait_for_text("[data-test=status-state]", Duration::from_secs(15), |t| {
            !t.is_empty()
        })
        .await;
    assert_eq!(state, "已核验", "the platform's approval reached the kiosk");
    session.screenshot("status-verified").await;
    session.finish().await;
}
