//! A loopback bridge from the UI flow tests (Playwright, in Chromium) to the app's REAL
//! commands: the same `handler()`, capability checks and state as the kiosk, in Tauri's mock
//! runtime, over a fresh data directory — and, with `--platform`, a real `platformd` on
//! loopback the kiosk is enrolled with. So a journey the rules refuse fails in the flow tests
//! too. Used only by tests; never shipped.
//!
//! ```text
//! ipc_bridge [--self-service] [--platform] [--no-enrol] [--hall-profile ID] [--review-all ID]…
//! ```
//! `--no-enrol`: the platform runs but the kiosk is not enrolled yet (staff enrol it with a code
//! from `/control/enrolment-code`); `--review-all ID`: every application of that platform is
//! held for a supervisor's review (the review policy `all`).
//! Prints `IPC_BRIDGE_URL=http://127.0.0.1:<port>` once ready, then serves:
//! - `POST /invoke` `{"cmd", "args"}` (text/plain, so the page needs no CORS preflight):
//!   `{"ok": value}` or `{"err": problem}`; raw bodies (`capture_upload`) as
//!   `{"cmd", "raw": base64, "headers": {...}}`;
//! - `GET /control/sms?phone=…`: the last code the platform texted to that phone (from its
//!   outbox, as the visitor reads it on their phone);
//! - `POST /control/platform-down`: the kiosk's link to the platform drops (mid-journey): the
//!   kiosk reaches the platform through a relay on loopback that now refuses every connection
//!   and cuts the open ones; `POST /control/platform-up` restores it;
//! - `POST /control/platform-silent`: the link stays up but nothing answers (a congested or
//!   half-dead line): the relay accepts connections and holds them unanswered, so every check
//!   runs into its time limit; `platform-up` restores it;
//! - `POST /control/platform-advance?seconds=N`: lets N seconds pass on the platform;
//! - `POST /control/sync`: one sync round, so the platform holds what the kiosk queued;
//! - `GET /control/submissions`: what the platform received (decrypted, for assertions);
//! - `POST /control/submit?fixture=NAME`: hands in `tests/fixtures/applications/NAME.json`
//!   through the same use case as the wizard (clerk `clerk`, one small generated file per
//!   attachment it lists), e.g. to fill the queue; answers the receipt;
//! - `POST /control/platform-review?id=ID` with a reviewer's decision as the body
//!   (`{"action":"request-evidence","zh":…,"en":…}`, `approve`, `reject`): the platform's
//!   reviewer decides; the kiosk learns it at its next sync;
//! - `GET /control/enrolment-code`: a one-time enrolment code of the platform (`--no-enrol`).
//!
//! Staff accounts `admin` (李主任), `lead` (周主管, supervisor) and `clerk` (王工, operator),
//! all with the password [`STAFF_PASSWORD`], exist from the start. With an enrolled platform
//! the kiosk has made one sync round, as its worker does on start, so it knows it is online.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use kiosk_api::{Kiosk, KioskMode};
use kiosk_testkit::platformd::Loopback;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};

/// The password of the seeded staff accounts (a test fixture, like a hall's first login).
pub const STAFF_PASSWORD: &str = "Bridge#2026pass";

/// One IPC call handed to the thread that owns the mock app.
struct Call {
    cmd: String,
    body: InvokeBody,
    headers: Vec<(String, String)>,
    reply: oneshot::Sender<Result<serde_json::Value, serde_json::Value>>,
}

#[derive(Clone)]
struct Bridge {
    calls: mpsc::Sender<Call>,
    kiosk: Arc<Kiosk>,
    platform: Arc<Mutex<Option<Loopback>>>,
    clock: Arc<PlatformClock>,
    /// The state of the kiosk's link to the platform (see [`relay`]).
    link: Arc<watch::Sender<Link>>,
    /// The platform's address as the kiosk reaches it: the relay.
    relay_url: String,
}

#[derive(Debug, Default)]
struct Options {
    self_service: bool,
    platform: bool,
    enrol: bool,
    hall_profile: Option<String>,
    review_all: Vec<String>,
}

fn options() -> Options {
    let mut options = Options {
        enrol: true,
        ..Options::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--self-service" => options.self_service = true,
            "--platform" => options.platform = true,
            "--no-enrol" => options.enrol = false,
            "--hall-profile" => options.hall_profile = args.next(),
            "--review-all" => options.review_all.extend(args.next()),
            other => eprintln!("ipc_bridge: ignoring unknown argument {other}"),
        }
    }
    options
}

/// Seeds a fresh kiosk: staff accounts, mode, hall platform, and enrolment when a platform runs.
async fn seed(
    dir: &std::path::Path,
    options: &Options,
    platform: Option<(&Loopback, &str)>,
) -> Result<(), String> {
    let kiosk = Kiosk::open(dir).map_err(|p| p.en)?;
    let now = kiosk_api::clock::now_ms();
    let code = kiosk_api::staff::issue_setup_code(&kiosk, now).map_err(|p| p.en)?;
    kiosk_api::staff::create_first_admin(&kiosk, &code, "admin", "李主任", STAFF_PASSWORD, now)
        .map_err(|p| p.en)?;
    let admin = kiosk_api::staff::login(&kiosk, "admin", STAFF_PASSWORD, now).map_err(|p| p.en)?;
    let admin = kiosk_api::caller::Caller::Staff(admin.caller(now));
    let clerk = kiosk_api::staff::NewStaffInput {
        username: "clerk".into(),
        display_name: "王工".into(),
        role: "operator".into(),
        password: STAFF_PASSWORD.into(),
    };
    kiosk_api::staff::add(&kiosk, &admin, clerk, now).map_err(|p| p.en)?;
    let lead = kiosk_api::staff::NewStaffInput {
        username: "lead".into(),
        display_name: "周主管".into(),
        role: "supervisor".into(),
        password: STAFF_PASSWORD.into(),
    };
    kiosk_api::staff::add(&kiosk, &admin, lead, now).map_err(|p| p.en)?;
    let mut settings = kiosk_api::settings::get(&kiosk).map_err(|p| p.en)?;
    settings.kiosk_name = "金水区政务服务大厅 1 号".into();
    settings.hall_name = "金水区政务服务大厅".into();
    settings.mode = if options.self_service {
        KioskMode::SelfService
    } else {
        KioskMode::Counter
    };
    settings.default_profile.clone_from(&options.hall_profile);
    for entry in &mut settings.review_policies {
        if options.review_all.contains(&entry.profile) {
            entry.policy = serde_json::from_value(serde_json::json!({ "mode": "all" }))
                .map_err(|e| e.to_string())?;
        }
    }
    kiosk_api::settings::set(
        &kiosk,
        &kiosk_api::caller::Caller::CliOperator,
        settings,
        now,
    )
    .map_err(|p| p.en)?;
    if let Some((platform, url)) = platform.filter(|_| options.enrol) {
        let code = platform.enrolment_code("bridge-kiosk");
        kiosk_api::sync::enrol(&kiosk, url, &code, false)
            .await
            .map_err(|p| p.en)?;
        // As the worker does on start: the kiosk knows it is online.
        kiosk_api::sync::sync_once(&kiosk).await.map_err(|p| p.en)?;
    }
    Ok(())
}

/// Owns the mock app and answers calls one after the other, like the webview's IPC.
fn serve_calls(state: tongban_lib::KioskState, calls: mpsc::Receiver<Call>) {
    let app = mock_builder()
        .manage(state)
        .invoke_handler(tongban_lib::invoke_handler())
        .build(tauri::generate_context!("tauri.conf.json"));
    let app = match app {
        Ok(app) => app,
        Err(error) => {
            eprintln!("ipc_bridge: the mock app did not build: {error}");
            std::process::exit(1);
        }
    };
    let webview = match tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build() {
        Ok(webview) => webview,
        Err(error) => {
            eprintln!("ipc_bridge: no main window: {error}");
            std::process::exit(1);
        }
    };
    let Ok(origin) = "tauri://localhost".parse::<tauri::Url>() else {
        eprintln!("ipc_bridge: the app's origin does not parse");
        std::process::exit(1);
    };
    for call in calls {
        let mut headers = tauri::http::HeaderMap::new();
        for (name, value) in &call.headers {
            if let (Ok(name), Ok(value)) = (
                tauri::http::HeaderName::from_bytes(name.as_bytes()),
                tauri::http::HeaderValue::from_str(value),
            ) {
                headers.insert(name, value);
            }
        }
        let request = InvokeRequest {
            cmd: call.cmd,
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: origin.clone(),
            body: call.body,
            headers,
            invoke_key: INVOKE_KEY.to_string(),
        };
        let answer = get_ipc_response(&webview, request).map(|body| {
            body.deserialize::<serde_json::Value>()
                .unwrap_or(serde_json::Value::Null)
        });
        let _ = call.reply.send(answer);
    }
}

fn json(value: serde_json::Value) -> Response {
    (
        [(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")],
        axum::Json(value),
    )
        .into_response()
}

async fn invoke(State(bridge): State<Bridge>, body: String) -> Response {
    let Ok(request) = serde_json::from_str::<serde_json::Value>(&body) else {
        return json(
            serde_json::json!({ "err": { "code": "BRIDGE_BAD_REQUEST", "zh": "桥接请求无效", "en": "bad bridge request" } }),
        );
    };
    let cmd = request["cmd"].as_str().unwrap_or_default().to_owned();
    let body = match request["raw"].as_str() {
        Some(raw) => InvokeBody::Raw(
            base64::engine::general_purpose::STANDARD
                .decode(raw)
                .unwrap_or_default(),
        ),
        None => InvokeBody::Json(
            request
                .get("args")
                .cloned()
                .unwrap_or(serde_json::json!({})),
        ),
    };
    let headers = request["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    let (reply, answer) = oneshot::channel();
    if bridge
        .calls
        .send(Call {
            cmd,
            body,
            headers,
            reply,
        })
        .is_err()
    {
        return json(
            serde_json::json!({ "err": { "code": "BRIDGE_GONE", "zh": "桥接已停止", "en": "the bridge stopped" } }),
        );
    }
    match answer.await {
        Ok(Ok(value)) => json(serde_json::json!({ "ok": value })),
        Ok(Err(problem)) => json(serde_json::json!({ "err": problem })),
        Err(_) => json(
            serde_json::json!({ "err": { "code": "BRIDGE_GONE", "zh": "桥接已停止", "en": "the bridge stopped" } }),
        ),
    }
}

async fn sms(
    State(bridge): State<Bridge>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let phone = query.get("phone").cloned().unwrap_or_default();
    let outbox = bridge
        .platform
        .lock()
        .ok()
        .and_then(|p| p.as_ref().map(|l| l.platform.sms_outbox_path()));
    // The last code the platform texted to the phone, read as the visitor reads it.
    let code = outbox.and_then(|path| {
        platform::sms::outbox_latest_code(&path, &phone)
            .ok()
            .flatten()
    });
    json(serde_json::json!({ "code": code }))
}

/// Lets `seconds` pass on the platform (codes expire; the kiosk's own clock is untouched).
async fn advance(
    State(bridge): State<Bridge>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let seconds: i64 = query
        .get("seconds")
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    bridge
        .clock
        .offset_ms
        .fetch_add(seconds * 1000, Ordering::SeqCst);
    json(serde_json::json!({ "ok": true }))
}

/// The system clock plus an offset the tests move forward.
#[derive(Debug, Default)]
struct PlatformClock {
    offset_ms: AtomicI64,
}

impl platform::Clock for PlatformClock {
    fn now_ms(&self) -> i64 {
        kiosk_api::clock::now_ms() + self.offset_ms.load(Ordering::SeqCst)
    }
}

/// The kiosk's link to the platform, as the tests set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// Relayed to the platform.
    Up,
    /// Dropped: new connections are closed at once, open ones cut.
    Down,
    /// Silent: connections are accepted and held, never answered.
    Silent,
}

/// The kiosk's link to the platform: a TCP relay on loopback to `target`. Down, it closes
/// every new connection at once and cuts the open ones (as a dropped line does: the kiosk finds
/// the platform unreachable); silent, it holds them without a byte (the kiosk's time limits
/// decide).
async fn relay(listener: TcpListener, target: std::net::SocketAddr, link: watch::Receiver<Link>) {
    loop {
        let Ok((mut inbound, _)) = listener.accept().await else {
            continue;
        };
        let mut link = link.clone();
        let now = *link.borrow();
        match now {
            Link::Down => continue, // dropped: closed at once
            Link::Silent => {
                tokio::spawn(async move {
                    let _held = inbound;
                    let _ = link.wait_for(|l| *l != Link::Silent).await;
                });
            }
            Link::Up => {
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = link.wait_for(|l| *l != Link::Up) => {}
                    }
                });
            }
        }
    }
}

async fn platform_down(State(bridge): State<Bridge>) -> Response {
    bridge.link.send_replace(Link::Down);
    json(serde_json::json!({ "ok": true }))
}

async fn platform_silent(State(bridge): State<Bridge>) -> Response {
    bridge.link.send_replace(Link::Silent);
    json(serde_json::json!({ "ok": true }))
}

async fn platform_up(State(bridge): State<Bridge>) -> Response {
    bridge.link.send_replace(Link::Up);
    json(serde_json::json!({ "ok": true }))
}

async fn sync_once(State(bridge): State<Bridge>) -> Response {
    match kiosk_api::sync::sync_once(&bridge.kiosk).await {
        Ok(report) => json(serde_json::json!({ "ok": report })),
        Err(problem) => json(serde_json::json!({ "err": problem })),
    }
}

/// The running platform, if it was started and is not down.
fn running_platform(bridge: &Bridge) -> Option<Arc<platform::Platform>> {
    bridge
        .platform
        .lock()
        .ok()
        .and_then(|p| p.as_ref().map(|l| Arc::clone(&l.platform)))
}

fn refused(code: &str, message: impl std::fmt::Display) -> Response {
    let message = message.to_string();
    json(serde_json::json!({ "err": { "code": code, "zh": message, "en": message } }))
}

/// Hands in a fixture application through the wizard's use case (see the module docs).
async fn submit_fixture(
    State(bridge): State<Bridge>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let name = query.get("fixture").cloned().unwrap_or_default();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return refused("BRIDGE_BAD_FIXTURE", format!("no fixture {name:?}"));
    }
    let path = format!(
        "{}/tests/fixtures/applications/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => return refused("BRIDGE_BAD_FIXTURE", format!("{path}: {error}")),
    };
    let mut application: serde_json::Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(error) => return refused("BRIDGE_BAD_FIXTURE", format!("{path}: {error}")),
    };
    let profile = application["profile"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // The files its attachment list names, made up (the list is rebuilt from them).
    let uploads = application
        .as_object_mut()
        .and_then(|o| o.remove("attachments"))
        .and_then(|a| a.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, entry)| kiosk_api::submit::AttachmentUpload {
            slot: entry["slot"].as_str().unwrap_or_default().to_owned(),
            media_type: entry["mediaType"]
                .as_str()
                .unwrap_or("image/jpeg")
                .to_owned(),
            bytes: vec![u8::try_from(i % 250).unwrap_or(0); 1000 + i],
        })
        .collect();
    let submission = kiosk_api::submit::Submission {
        profile: &profile,
        application,
        attachments: uploads,
        actor: "clerk",
        draft_id: None,
    };
    let now = kiosk_api::clock::now_ms();
    // The queue write blocks: off the bridge's runtime threads.
    let answer =
        tokio::task::block_in_place(|| kiosk_api::submit::submit(&bridge.kiosk, submission, now));
    match answer {
        Ok(receipt) => json(serde_json::json!({ "ok": receipt })),
        Err(problem) => json(serde_json::json!({ "err": problem })),
    }
}

/// The platform's reviewer decides on a submission (the body is a `ReviewAction`).
async fn platform_review(
    State(bridge): State<Bridge>,
    Query(query): Query<HashMap<String, String>>,
    body: String,
) -> Response {
    let id = query.get("id").cloned().unwrap_or_default();
    let action: platform::status::ReviewAction = match serde_json::from_str(&body) {
        Ok(action) => action,
        Err(error) => return refused("BRIDGE_BAD_REQUEST", error),
    };
    let Some(platform) = running_platform(&bridge) else {
        return refused("BRIDGE_NO_PLATFORM", "no platform runs");
    };
    match platform.review(&id, &action) {
        Ok(state) => json(serde_json::json!({ "ok": state })),
        Err(error) => refused("PLATFORM_REFUSED", format!("{error:?}")),
    }
}

/// A one-time enrolment code for this kiosk (`--no-enrol`).
async fn enrolment_code(State(bridge): State<Bridge>) -> Response {
    let Some(platform) = running_platform(&bridge) else {
        return refused("BRIDGE_NO_PLATFORM", "no platform runs");
    };
    let url = bridge.relay_url.clone();
    match platform.issue_enrolment_code("bridge-kiosk") {
        Ok(code) => json(serde_json::json!({ "ok": { "code": code, "platformUrl": url } })),
        Err(error) => refused("PLATFORM_REFUSED", format!("{error:?}")),
    }
}

async fn submissions(State(bridge): State<Bridge>) -> Response {
    let listed = running_platform(&bridge)
        .map(|p| p.submissions())
        .transpose();
    match listed {
        Ok(list) => json(serde_json::json!({ "ok": list.unwrap_or_default() })),
        Err(error) => json(serde_json::json!({ "err": format!("{error:?}") })),
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let options = options();
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => {
            eprintln!("ipc_bridge: no temporary directory: {error}");
            std::process::exit(1);
        }
    };
    let clock = Arc::new(PlatformClock::default());
    let platform = if options.platform {
        // The population database answers at any hour here: the profile's own hours (Tianjin
        // 08:00-18:00) are the kiosk's rule, tested with faketime.
        Some(Loopback::start_all_day(Arc::clone(&clock) as Arc<dyn platform::Clock>).await)
    } else {
        None
    };
    let (link, link_up) = watch::channel(Link::Up);
    let relay_url = match &platform {
        Some(platform) => {
            let listener = match TcpListener::bind("127.0.0.1:0").await {
                Ok(listener) => listener,
                Err(error) => {
                    eprintln!("ipc_bridge: no relay to the platform: {error}");
                    std::process::exit(1);
                }
            };
            let url = listener
                .local_addr()
                .map(|a| format!("http://{a}"))
                .unwrap_or_default();
            tokio::spawn(relay(listener, platform.addr(), link_up));
            url
        }
        None => String::new(),
    };
    let seeded = seed(
        dir.path(),
        &options,
        platform.as_ref().map(|p| (p, relay_url.as_str())),
    );
    if let Err(error) = seeded.await {
        eprintln!("ipc_bridge: seeding the kiosk failed: {error}");
        std::process::exit(1);
    }
    let state = tongban_lib::KioskState::open(Some(dir.path().to_path_buf()));
    let kiosk = match state.shared() {
        Ok(kiosk) => kiosk,
        Err(problem) => {
            eprintln!("ipc_bridge: the kiosk did not open: {}", problem.en);
            std::process::exit(1);
        }
    };
    let (calls, received) = mpsc::channel();
    std::thread::spawn(move || serve_calls(state, received));
    let bridge = Bridge {
        calls,
        kiosk,
        platform: Arc::new(Mutex::new(platform)),
        clock,
        link: Arc::new(link),
        relay_url,
    };
    let routes = axum::Router::new()
        .route("/invoke", post(invoke))
        .route("/control/sms", get(sms))
        .route("/control/platform-down", post(platform_down))
        .route("/control/platform-up", post(platform_up))
        .route("/control/platform-silent", post(platform_silent))
        .route("/control/platform-advance", post(advance))
        .route("/control/sync", post(sync_once))
        .route("/control/submissions", get(submissions))
        .route("/control/submit", post(submit_fixture))
        .route("/control/platform-review", post(platform_review))
        .route("/control/enrolment-code", get(enrolment_code))
        .with_state(bridge);
    let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("ipc_bridge: cannot listen: {error}");
            std::process::exit(1);
        }
    };
    if let Ok(addr) = listener.local_addr() {
        println!("IPC_BRIDGE_URL=http://{addr}");
    }
    // Stops when the test closes its end of stdin (or the process is killed).
    let stdin_closed = tokio::task::spawn_blocking(|| {
        let mut sink = String::new();
        while std::io::stdin().read_line(&mut sink).is_ok_and(|n| n > 0) {}
    });
    let _ = axum::serve(listener, routes)
        .with_graceful_shutdown(async {
            let _ = stdin_closed.await;
        })
        .await;
    drop(dir);
}
