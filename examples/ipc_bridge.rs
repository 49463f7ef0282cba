//! A loopback bridge from the UI flow tests (Playwright, in Chromium) to the app's REAL
//! commands: the same `handler()`, capability checks and state as the kiosk, in Tauri's mock
//! runtime, over a fresh data directory — and, with `--platform`, a real `platformd` on
//! loopback the kiosk is enrolled with. So a journey the rules refuse fails in the flow tests
//! too. Used only by tests; never shipped.
//!
//! ```text
//! ipc_bridge [--self-service] [--platform] [--hall-profile ID]
//! ```
//! Prints `IPC_BRIDGE_URL=http://127.0.0.1:<port>` once ready, then serves:
//! - `POST /invoke` `{"cmd", "args"}` (text/plain, so the page needs no CORS preflight):
//!   `{"ok": value}` or `{"err": problem}`; raw bodies (`capture_upload`) as
//!   `{"cmd", "raw": base64, "headers": {...}}`;
//! - `GET /control/sms?phone=…`: the last code the platform texted to that phone (from its
//!   outbox, as the visitor reads it on their phone);
//! - `POST /control/platform-down`: stops the platform (the link drops mid-journey);
//! - `POST /control/sync`: one sync round, so the platform holds what the kiosk queued;
//! - `GET /control/submissions`: what the platform received (decrypted, for assertions).
//!
//! Staff accounts `admin` / `clerk` (passwords in [`STAFF_PASSWORD`]) exist from the start.

use std::collections::HashMap;
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
use tokio::sync::oneshot;

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
}

#[derive(Debug, Default)]
struct Options {
    self_service: bool,
    platform: bool,
    hall_profile: Option<String>,
}

fn options() -> Options {
    let mut options = Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--self-service" => options.self_service = true,
            "--platform" => options.platform = true,
            "--hall-profile" => options.hall_profile = args.next(),
            other => eprintln!("ipc_bridge: ignoring unknown argument {other}"),
        }
    }
    options
}

/// Seeds a fresh kiosk: staff accounts, mode, hall platform, and enrolment when a platform runs.
async fn seed(
    dir: &std::path::Path,
    options: &Options,
    platform: Option<&Loopback>,
) -> Result<(), String> {
    let kiosk = Kiosk::open(dir).map_err(|p| p.en)?;
    let now = kiosk_api::clock::now_ms();
    let code = kiosk_api::staff::issue_setup_code(&kiosk, now).map_err(|p| p.en)?;
    kiosk_api::staff::create_first_admin(&kiosk, &code, "admin", "李主任", STAFF_PASSWORD, now)
        .map_err(|p| p.en)?;
    let admin = kiosk_api::staff::login(&kiosk, "admin", STAFF_PASSWORD, now).map_err(|p| p.en)?;
    let clerk = kiosk_api::staff::NewStaffInput {
        username: "clerk".into(),
        display_name: "王工".into(),
        role: "operator".into(),
        password: STAFF_PASSWORD.into(),
    };
    kiosk_api::staff::add(&kiosk, &admin, clerk, now).map_err(|p| p.en)?;
    let mut settings = kiosk_api::settings::get(&kiosk).map_err(|p| p.en)?;
    settings.kiosk_name = "金水区政务服务大厅 1 号".into();
    settings.hall_name = "金水区政务服务大厅".into();
    settings.mode = if options.self_service {
        KioskMode::SelfService
    } else {
        KioskMode::Counter
    };
    settings.default_profile.clone_from(&options.hall_profile);
    kiosk_api::settings::set(&kiosk, kiosk_api::settings::Actor::Console, settings, now)
        .map_err(|p| p.en)?;
    if let Some(platform) = platform {
        let code = platform.enrolment_code("bridge-kiosk");
        kiosk_api::sync::enrol(&kiosk, &platform.url(), &code)
            .await
            .map_err(|p| p.en)?;
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
            url: "tauri://localhost".parse().expect("a constant URL parses"),
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
    let platform = bridge
        .platform
        .lock()
        .ok()
        .and_then(|p| p.as_ref().map(|l| l.data_dir().to_path_buf()));
    let _ = platform;
    let running = bridge
        .platform
        .lock()
        .ok()
        .and_then(|p| p.as_ref().map(|l| Arc::clone(&l.platform)));
    // The last message the platform texted to the phone, read as the visitor reads it.
    let code = running
        .and_then(|p| p.last_sms(&phone).ok().flatten())
        .map(|text| {
            text.chars()
                .filter(char::is_ascii_digit)
                .take(6)
                .collect::<String>()
        });
    json(serde_json::json!({ "code": code }))
}

async fn platform_down(State(bridge): State<Bridge>) -> Response {
    let running = bridge.platform.lock().ok().and_then(|mut p| p.take());
    if let Some(running) = running {
        running.stop().await;
    }
    json(serde_json::json!({ "ok": true }))
}

async fn sync_once(State(bridge): State<Bridge>) -> Response {
    match kiosk_api::sync::sync_once(&bridge.kiosk).await {
        Ok(report) => json(serde_json::json!({ "ok": report })),
        Err(problem) => json(serde_json::json!({ "err": problem })),
    }
}

async fn submissions(State(bridge): State<Bridge>) -> Response {
    let platform = bridge
        .platform
        .lock()
        .ok()
        .and_then(|p| p.as_ref().map(|l| Arc::clone(&l.platform)));
    let listed = platform.map(|p| p.submissions()).transpose();
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
    let platform = if options.platform {
        Some(Loopback::start().await)
    } else {
        None
    };
    if let Err(error) = seed(dir.path(), &options, platform.as_ref()).await {
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
    };
    let routes = axum::Router::new()
        .route("/invoke", post(invoke))
        .route("/control/sms", get(sms))
        .route("/control/platform-down", post(platform_down))
        .route("/control/sync", post(sync_once))
        .route("/control/submissions", get(submissions))
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
