//! The ID-card reader: list the readers, read a card into one person of a form, and watch
//! for a card being placed (the `id-card-present` event) while a reading screen is open.
//! Each command is one call into `kiosk_api::capture::id_reader`; reader I/O runs on the
//! blocking pool.

use super::contract::ipc_commands;
use std::path::PathBuf;

use kiosk_api::Problem;
use kiosk_api::capture::id_reader::{
    self, ApplicationKind, CardPresence, FormTarget, IdCardForForm, PersonRole, ReaderList,
    ReaderTimeouts,
};
use kiosk_api::clock;
use tauri::{AppHandle, Emitter, Runtime};

use super::capture::{blocking, devices};

/// The event carrying a [`CardPresence`] whenever the watched reader's state changes.
pub const CARD_PRESENT_EVENT: &str = "id-card-present";

ipc_commands! {
    /// The readers found; `offered` says whether to show the reader for `slot` (an identity
    /// document slot with a working reader), or at all when no slot is named.
    #[ipc(CaptureDocuments)]
    pub async fn id_reader_list<R: Runtime>(
        app: AppHandle<R>,
        slot: Option<String>,
    ) -> Result<ReaderList, Problem> {
        blocking(move || Ok(id_reader::list(&devices(&app)?.id_readers, slot.as_deref()))).await
    }

    /// Reads the card on `device` (or the reader in use): the masked card for the screen and,
    /// when `profile` and `kind` are given, the values for `role`'s fields of that flow (default
    /// role: `person`), the read-only paths and the problems.
    #[ipc(CaptureDocuments, ts_by_hand)]
    pub async fn id_reader_read<R: Runtime>(
        app: AppHandle<R>,
        device: Option<String>,
        profile: Option<String>,
        kind: Option<ApplicationKind>,
        role: Option<PersonRole>,
    ) -> Result<IdCardForForm, Problem> {
        blocking(move || {
            let target = match (&profile, kind) {
                (Some(profile), Some(kind)) => Some(FormTarget {
                    profile,
                    kind,
                    role: role.unwrap_or(PersonRole::Person),
                }),
                _ => None,
            };
            id_reader::read_for_form(
                &devices(&app)?.id_readers,
                device.map(PathBuf::from).as_deref(),
                target,
                ReaderTimeouts::default(),
                clock::now_ms(),
            )
        })
        .await
    }

    /// Starts polling the reader (every 300 ms) for a card; changes arrive as
    /// [`CARD_PRESENT_EVENT`]. Call when a reading screen opens.
    #[ipc(CaptureDocuments)]
    pub async fn id_reader_watch_start<R: Runtime>(
        app: AppHandle<R>,
        device: Option<String>,
    ) -> Result<(), Problem> {
        blocking(move || {
            let emitter = app.clone();
            id_reader::watch_start(
                &devices(&app)?.id_readers,
                device.map(PathBuf::from),
                Box::new(move |presence: CardPresence| {
                    if let Err(e) = emitter.emit(CARD_PRESENT_EVENT, presence) {
                        log::warn!("{CARD_PRESENT_EVENT} not emitted: {e}");
                    }
                }),
            );
            Ok(())
        })
        .await
    }

    /// Stops the watcher and frees the reader's port. Call when the reading screen closes.
    #[ipc(CaptureDocuments)]
    pub async fn id_reader_watch_stop<R: Runtime>(app: AppHandle<R>) -> Result<(), Problem> {
        blocking(move || {
            id_reader::watch_stop(&devices(&app)?.id_readers);
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    //! Through Tauri's mock runtime with the app's real context and ACL, against the
    //! simulated reader named by `KIOSK_ID_READER`-like configuration.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
    use tauri::webview::InvokeRequest;
    use tauri::{Listener, Manager};

    use crate::KioskState;

    fn app(data_dir: &std::path::Path, reader: &std::path::Path) -> tauri::App<MockRuntime> {
        let app = mock_builder()
            .manage(KioskState::open(Some(data_dir.to_path_buf())))
            .invoke_handler(super::super::handler())
            .build(tauri::generate_context!("tauri.conf.json"))
            .expect("mock app builds with the real context");
        super::super::capture::install_devices(
            app.handle(),
            kiosk_api::capture::Devices::new(
                Default::default(),
                kiosk_api::capture::id_reader::IdReaders::new(
                    kiosk_capture_config(reader),
                    vec!["/nonexistent/libwlt2bmp.so".into()],
                ),
            ),
        );
        app
    }

    fn kiosk_capture_config(
        reader: &std::path::Path,
    ) -> kiosk_api::capture::id_reader::DetectConfig {
        kiosk_api::capture::id_reader::DetectConfig {
            dev_dir: "/nonexistent/dev".into(),
            sys_dir: "/nonexistent/sys".into(),
            configured: vec![reader.to_path_buf()],
            ..Default::default()
        }
    }

    fn invoke(
        app: &tauri::App<MockRuntime>,
        cmd: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        let webview = match app.get_webview_window("main") {
            Some(window) => window,
            None => tauri::WebviewWindowBuilder::new(app, "main", Default::default())
                .build()
                .expect("main window"),
        };
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&webview, request).map(|body| body.deserialize().expect("json body"))
    }

    #[test]
    fn the_reader_is_offered_for_id_slots_and_reads_into_the_form() {
        let sim = kiosk_testkit::idcard_sim::IdCardSim::with_cards(&["zhang-san"]);
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path(), sim.path());
        let list = invoke(
            &app,
            "id_reader_list",
            serde_json::json!({ "slot": "id-front" }),
        )
        .expect("listed");
        assert_eq!(list["offered"], true, "{list}");
        let other = invoke(
            &app,
            "id_reader_list",
            serde_json::json!({ "slot": "business-licence" }),
        )
        .unwrap();
        assert_eq!(other["offered"], false, "no reader tab for a licence");
        let read = invoke(
            &app,
            "id_reader_read",
            serde_json::json!({
                "device": null, "profile": "most", "kind": "natural-person", "role": "person"
            }),
        )
        .expect("read");
        assert_eq!(read["card"]["number"], "110***********002X", "{read}");
        let fields = read["fill"]["fields"].as_array().unwrap();
        assert!(
            fields.iter().any(
                |f| f["path"] == "person.document.number" && f["value"] == "11010519491231002X"
            ),
            "the full value goes to the form field: {read}"
        );
        assert!(
            read["fill"]["readOnly"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["path"] == "person.name" && r["sourceZh"] == "居民身份证读卡器")
        );
        assert_eq!(read["photo"]["available"], false);
        let check = invoke(&app, "id_reader_read", serde_json::json!({})).expect("a device check");
        assert!(check.get("fill").is_none(), "{check}");
        assert_eq!(check["card"]["name"], "张*");
        let refused = invoke(
            &app,
            "id_reader_read",
            serde_json::json!({ "profile": "most", "kind": "nonsense", "role": "person" }),
        )
        .expect_err("an unknown kind is refused");
        assert!(refused.to_string().contains("nonsense"), "{refused}");
    }

    #[test]
    fn the_watcher_emits_id_card_present() {
        let sim =
            kiosk_testkit::idcard_sim::IdCardSim::start(kiosk_testkit::idcard_sim::SimConfig {
                cards: vec![kiosk_testkit::idcard_sim::SimCard::preset("li-si").unwrap()],
                start_empty: true,
                ..Default::default()
            });
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path(), sim.path());
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        app.listen_any(super::CARD_PRESENT_EVENT, move |event| {
            let _ = tx.send(event.payload().to_owned());
        });
        invoke(
            &app,
            "id_reader_watch_start",
            serde_json::json!({ "device": null }),
        )
        .expect("watching");
        let wait = || rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
        let first: serde_json::Value = serde_json::from_str(&wait()).unwrap();
        assert_eq!(first["present"], false, "{first}");
        assert!(sim.place_next());
        let placed: serde_json::Value = serde_json::from_str(&wait()).unwrap();
        assert_eq!(placed["present"], true, "{placed}");
        invoke(&app, "id_reader_watch_stop", serde_json::json!({})).expect("stopped");
    }
}
