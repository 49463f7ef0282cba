//! Real-app end-to-end: a natural-person registration typed into the real kiosk while no
//! platform exists (the mobile verified later, the real name to manual review with photos;
//! queued, sealed locally), then a real `platformd` is started, the kiosk is enrolled and synced
//! with `kioskctl`, the visitor verifies the mobile at the status screen with the code the
//! platform texted, a reviewer approves with `platformd review`, and after the next sync the
//! status lookup shows the verdict.
//!
//! Needs `kioskctl` and `platformd` built next to the app (`cargo build -p kiosk-cli -p platform`).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Launch, Session, kioskctl, run_with_stdin, sibling_binary};
use crate::steps::{attach, date, document_photo, fill, next, on_step, submit, tick};

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

    // Natural person on the Tianjin platform, every field through the real wizard, while no
    // platform answers: the code cannot be sent, so the mobile is verified later; the real name
    // cannot be checked, so it goes to manual review with photos of the card.
    session.start_flow("natural-person", "tianjin").await;
    fill(&session, "account.accountName", "zhaolihua01").await;
    fill(&session, "account.password", "Kx9!pQ2#mZ").await;
    fill(&session, "account.passwordConfirmation", "Kx9!pQ2#mZ").await;
    next(&session).await;
    on_step(&session, "person").await;
    fill(&session, "person.name", "赵丽华").await;
    fill(&session, "person.document.number", "11010519491231002X").await;
    // The holder was 65 when the card was issued: it is valid for the long term.
    date(&session, "person.document.validity.from", "2015-03-01").await;
    tick(&session, "field-person.document.validity.long-term").await;
    fill(&session, "person.mobile", "13812345678").await;
    session
        .click("[data-test='sms-send-account.smsCode']")
        .await;
    session
        .wait_for_text(
            "[data-test='field-error-account.smsCode']",
            Duration::from_secs(15),
            |t| t.contains("连不上平台"),
        )
        .await;
    session
        .click("[data-test='sms-later-account.smsCode']")
        .await;
    session
        .wait_for_text(
            "[data-test='sms-deferred-account.smsCode']",
            Duration::from_secs(15),
            |t| t.contains("平台会向该手机号发送验证码"),
        )
        .await;
    next(&session).await;
    session
        .wait_for_text(
            "[data-test=note-REAL_NAME_MANUAL_REVIEW]",
            Duration::from_secs(15),
            |t| t.contains("人工审核"),
        )
        .await;
    on_step(&session, "capture").await;
    let files = tempfile::tempdir().unwrap();
    let (front, back) = (
        files.path().join("front.png"),
        files.path().join("back.png"),
    );
    document_photo(&front, 2);
    document_photo(&back, 5);
    attach(&session, "id-front", &front).await;
    attach(&session, "id-back", &back).await;
    next(&session).await;
    session
        .wait_for_text(
            "[data-test='summary-person.document.number']",
            Duration::from_secs(15),
            |t| t == "110***********002X",
        )
        .await;
    session.screenshot("register-summary").await;
    let number = submit(&session, "register").await;
    let receipt_code = session
        .wait_for_text("[data-test=receipt-code]", Duration::from_secs(5), |t| {
            t.len() == 11
        })
        .await;

    // Queued offline, sealed to the kiosk's own key.
    let queued = kioskctl(&kiosk_dir, &["queue", "show", &number, "--json"], "");
    assert!(
        queued.contains("\"local\""),
        "sealed to the kiosk's key: {queued}"
    );

    // The platform appears: enrol and sync. It texts the mobile a code to verify it later.
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
    let outbox = platform_dir.path().join(platform::sms::OUTBOX_FILE);
    let texted = platform::sms::outbox_latest_code(&outbox, "13812345678")
        .unwrap()
        .expect("the platform texted the deferred mobile");

    // The visitor comes back with the receipt: the status screen asks for the texted code.
    session.click("[data-test=done-home]").await;
    session.click("[data-test=tile-status]").await;
    session
        .type_into(
            "[data-test=status-code] input, input[data-test=status-code]",
            &receipt_code,
        )
        .await;
    session
        .type_into(
            "[data-test=status-last4] input, input[data-test=status-last4]",
            "002X",
        )
        .await;
    session.click("[data-test=status-submit]").await;
    session
        .type_into(
            "[data-test=status-sms-code] input, input[data-test=status-sms-code]",
            &texted,
        )
        .await;
    session.click("[data-test=status-sms-verify]").await;
    session
        .wait_for_text(
            "[data-test=status-mobile-verified]",
            Duration::from_secs(15),
            |t| !t.is_empty(),
        )
        .await;

    // The reviewer approves (possible now that the mobile is verified); the next sync brings
    // the verdict, which the visitor sees.
    platformd(platform_dir.path(), &["review", "approve", &number]);
    kioskctl(&kiosk_dir, &["sync", "--once"], "");
    session.click("[data-test=status-submit]").await;
    let state = session
        .wait_for_text("[data-test=status-state]", Duration::from_secs(15), |t| {
            t == "已核验"
        })
        .await;
    assert_eq!(state, "已核验", "the platform's approval reached the kiosk");
    session.screenshot("status-verified").await;
    session.finish().await;
}
