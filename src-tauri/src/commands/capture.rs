//! Capture: sources, uploads and scans into the tray, the signed letter. The ID-card reader's
//! commands are in `id_reader.rs`; they share these devices.
//! The tray and the devices live in the app state next to the kiosk; slow work (decoding,
//! scanning, reading a card) runs on the blocking pool, never on the webview's thread.

use super::contract::ipc_commands;
use kiosk_api::Problem;
use kiosk_api::capture::{self, Captured, Devices, SourcesReport, Tray, UploadInput};
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Manager, Runtime, State};

use crate::KioskState;

/// The visitor's tray and the kiosk's capture devices.
#[derive(Debug)]
pub struct Capture {
    tray: Tray,
    devices: Devices,
}

fn broken() -> Problem {
    kiosk_api::shell_error::ShellError::CaptureStateBroken.into()
}

/// The capture state, registered with the app on first use (`manage` keeps the first).
fn capture_state<R: Runtime>(app: &AppHandle<R>) -> Result<State<'_, Capture>, Problem> {
    if app.try_state::<Capture>().is_none() {
        app.manage(Capture {
            tray: Tray::default(),
            devices: Devices::from_env(),
        });
    }
    app.try_state::<Capture>().ok_or_else(broken)
}

/// The kiosk's capture devices (scanners, cameras, ID-card readers).
pub(crate) fn devices<R: Runtime>(app: &AppHandle<R>) -> Result<&Devices, Problem> {
    capture_state(app).map(|state| &state.inner().devices)
}

/// Registers `devices` (tests: a simulated reader) before the first command uses the state.
#[cfg(test)]
pub(crate) fn install_devices<R: Runtime>(app: &AppHandle<R>, devices: Devices) {
    app.manage(Capture {
        tray: Tray::default(),
        devices,
    });
}

/// The visitor's tray, for handing the captures in with the application.
pub(crate) fn tray<R: Runtime>(app: &AppHandle<R>) -> Result<&Tray, Problem> {
    capture_state(app).map(|state| &state.inner().tray)
}

/// Runs `work` on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|_| {
            Problem::new(
                "CAPTURE_TASK_FAILED",
                "图片处理意外中断，请重试；如仍失败请联系工作人员。",
                "Processing the image stopped unexpectedly. Try again; ask staff if it happens again.",
            )
        })?
}

/// The upload in `request`: a raw body with `slot` / `file-name` (and optional `profile` /
/// `kind`) headers, or JSON.
fn upload_input(request: &Request<'_>) -> Result<UploadInput, Problem> {
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
    match request.body() {
        InvokeBody::Raw(bytes) => {
            Ok(
                UploadInput::from_raw(header("slot"), header("file-name"), bytes.clone())
                    .for_flow(header("profile"), header("kind")),
            )
        }
        // A file as a JSON array of numbers costs a value per byte before anything could
        // refuse it: files come as a raw body only.
        InvokeBody::Json(_) => Err(Problem::new(
            "CAPTURE_UPLOAD_NOT_RAW",
            "文件须以原始数据上传。请重新选择文件；仍不行请联系工作人员。",
            "Files must be sent as a raw body. Choose the file again; if it persists, ask staff.",
        )
        .at("bytes")),
    }
}

ipc_commands! {
    /// Cameras, scanners and the ID-card reader of this kiosk.
    #[ipc(CaptureDocuments)]
    pub async fn capture_sources<R: Runtime>(app: AppHandle<R>) -> Result<SourcesReport, Problem> {
        blocking(move || Ok(capture::sources(&capture_state(&app)?.devices))).await
    }

    /// Puts an uploaded file or camera frame into the tray: images normalised, PDF and Word
    /// files (where the profile's slot takes them) checked and kept as they are.
    #[ipc(CaptureDocuments, ts_by_hand)]
    pub async fn capture_upload<R: Runtime>(
        app: AppHandle<R>,
        request: Request<'_>,
    ) -> Result<Captured, Problem> {
        let input = upload_input(&request)?;
        blocking(move || {
            capture::upload_to(
                &capture_state(&app)?.tray,
                &input.target(),
                &input.file_name,
                &input.bytes,
            )
        })
        .await
    }

    /// Scans a page (on `device`, the configured scanner, or the first found) into the tray.
    #[ipc(CaptureDocuments)]
    pub async fn capture_scan<R: Runtime>(
        app: AppHandle<R>,
        slot: String,
        device: Option<String>,
    ) -> Result<Captured, Problem> {
        blocking(move || {
            let state = capture_state(&app)?;
            let kiosk = app.try_state::<KioskState>().ok_or_else(broken)?;
            capture::scan(kiosk.kiosk()?, &state.devices, &state.tray, &slot, device)
        })
        .await
    }

    /// Removes images from the tray.
    #[ipc(CaptureDocuments)]
    pub async fn capture_discard<R: Runtime>(app: AppHandle<R>, ids: Vec<String>) -> Result<(), Problem> {
        blocking(move || {
            capture::discard(&capture_state(&app)?.tray, &ids);
            Ok(())
        })
        .await
    }

    /// Empties the tray (the visitor's session was wiped).
    #[ipc(CaptureDocuments)]
    pub async fn capture_clear<R: Runtime>(app: AppHandle<R>) -> Result<(), Problem> {
        blocking(move || {
            capture::clear(&capture_state(&app)?.tray);
            Ok(())
        })
        .await
    }

    /// The application number on the QR code of a captured signed risk letter.
    #[ipc(UseWizard)]
    pub async fn signed_letter_application<R: Runtime>(
        app: AppHandle<R>,
        capture_id: String,
    ) -> Result<Option<String>, Problem> {
        blocking(move || capture::signed_letter_application(&capture_state(&app)?.tray, &capture_id))
            .await
    }
}

#[cfg(test)]
mod tests {
    //! Through Tauri's mock runtime with the app's real context and ACL.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
    use tauri::webview::InvokeRequest;

    use crate::KioskState;

    fn app(data_dir: &std::path::Path) -> tauri::App<MockRuntime> {
        mock_builder()
            .manage(KioskState::open(Some(data_dir.to_path_buf())))
            .invoke_handler(super::super::handler())
            .build(tauri::generate_context!("tauri.conf.json"))
            .expect("mock app builds with the real context")
    }

    fn invoke(
        app: &tauri::App<MockRuntime>,
        cmd: &str,
        body: InvokeBody,
        headers: &[(&'static str, &str)],
    ) -> Result<serde_json::Value, serde_json::Value> {
        let webview = match tauri::Manager::get_webview_window(app, "main") {
            Some(window) => window,
            None => tauri::WebviewWindowBuilder::new(app, "main", Default::default())
                .build()
                .expect("main window"),
        };
        let mut map = tauri::http::HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, value.parse().unwrap());
        }
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body,
            headers: map,
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&webview, request).map(|body| body.deserialize().expect("json body"))
    }

    fn json(
        app: &tauri::App<MockRuntime>,
        cmd: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        invoke(app, cmd, InvokeBody::Json(args), &[])
    }

    /// A printed page photographed in good light: grey text lines on white.
    fn page_jpeg() -> Vec<u8> {
        let page = image::RgbImage::from_fn(1200, 800, |x, y| {
            if (y / 14) % 3 != 2 && y % 14 < 9 && (x / 7 + y / 14) % 5 != 0 && x % 7 < 4 {
                image::Rgb([40, 40, 48])
            } else {
                image::Rgb([236, 236, 232])
            }
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&page)
            .unwrap();
        out
    }

    #[test]
    fn raw_upload_comes_back_as_a_captured_image_with_a_thumbnail() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let captured = invoke(
            &app,
            "capture_upload",
            InvokeBody::Raw(page_jpeg()),
            &[
                ("slot", "id-front"),
                ("file-name", "%E6%AD%A3%E9%9D%A2.jpeg"),
            ],
        )
        .expect("a clear page is accepted");
        assert_eq!(captured["slot"], "id-front", "{captured}");
        assert_eq!(captured["fileName"], "正面.jpg", "{captured}");
        assert_eq!(captured["mediaType"], "image/jpeg");
        assert!(
            captured["thumbnail"]
                .as_str()
                .is_some_and(|t| t.starts_with("data:image/jpeg;base64,")),
            "{captured}"
        );
        assert!(captured["size"].as_u64().is_some_and(|n| n <= 1_000_000));
        let id = captured["id"].as_str().unwrap();
        let letter = json(
            &app,
            "signed_letter_application",
            serde_json::json!({ "captureId": id }),
        )
        .unwrap();
        assert_eq!(
            letter,
            serde_json::Value::Null,
            "no letter code on this page"
        );
        json(&app, "capture_discard", serde_json::json!({ "ids": [id] })).unwrap();
        let gone = json(
            &app,
            "signed_letter_application",
            serde_json::json!({ "captureId": id }),
        )
        .expect_err("a discarded image is gone");
        assert_eq!(gone["code"], "CAPTURE_NOT_FOUND", "{gone}");
    }

    #[test]
    fn json_uploads_are_refused_and_a_corrupt_file_has_a_stable_code() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let refused = json(
            &app,
            "capture_upload",
            serde_json::json!({ "slot": "id-back", "fileName": "back.png", "bytes": page_jpeg() }),
        )
        .expect_err("a JSON array of bytes is refused");
        assert_eq!(refused["code"], "CAPTURE_UPLOAD_NOT_RAW", "{refused}");
        let captured = invoke(
            &app,
            "capture_upload",
            InvokeBody::Raw(page_jpeg()),
            &[("slot", "id-back"), ("file-name", "back.png")],
        )
        .expect("a raw upload is accepted");
        assert_eq!(captured["fileName"], "back.jpg");
        let mut truncated = page_jpeg();
        truncated.truncate(truncated.len() / 3);
        let refused = invoke(
            &app,
            "capture_upload",
            InvokeBody::Raw(truncated),
            &[("slot", "id-back"), ("file-name", "broken.jpg")],
        )
        .expect_err("a truncated file is refused");
        assert_eq!(refused["code"], "CAPTURE_CORRUPT_IMAGE", "{refused}");
        assert!(refused["zh"].as_str().is_some_and(|t| !t.is_empty()));
        json(&app, "capture_clear", serde_json::json!({})).unwrap();
        let gone = json(
            &app,
            "signed_letter_application",
            serde_json::json!({ "captureId": captured["id"] }),
        )
        .expect_err("clearing the tray forgets every image");
        assert_eq!(gone["code"], "CAPTURE_NOT_FOUND");
    }

    #[test]
    fn word_and_pdf_files_are_kept_as_they_are_where_the_profile_takes_them() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let flow = [("profile", "tianjin"), ("kind", "legal-entity")];
        let pdf = kiosk_testkit::documents::pdf();
        let captured = invoke(
            &app,
            "capture_upload",
            InvokeBody::Raw(pdf.clone()),
            &[
                ("slot", "business-licence"),
                ("file-name", "%E6%89%A7%E7%85%A7.pdf"),
                flow[0],
                flow[1],
            ],
        )
        .expect("a PDF is taken for the licence");
        assert_eq!(captured["mediaType"], "application/pdf", "{captured}");
        assert_eq!(captured["fileName"], "执照.pdf");
        assert_eq!(captured["size"], pdf.len() as u64, "stored as it came");
        assert_eq!(captured["pages"], 1);
        assert!(
            captured["thumbnail"]
                .as_str()
                .is_some_and(|t| t.starts_with("data:image/jpeg;base64,")),
            "page 1 preview"
        );
        let docx = invoke(
            &app,
            "capture_upload",
            InvokeBody::Raw(kiosk_testkit::documents::docx()),
            &[
                ("slot", "risk-commitment"),
                ("file-name", "letter.docx"),
                flow[0],
                flow[1],
            ],
        )
        .expect("a .docx is taken for the letter");
        assert_eq!(docx["fileName"], "letter.docx");
        assert_eq!(docx["thumbnail"], "", "Word files have no preview");
        for (bytes, name, slot, code) in [
            (
                kiosk_testkit::documents::pdf(),
                "x.docx",
                "risk-commitment",
                "ATTACHMENT_TYPE_MISMATCH",
            ),
            (
                kiosk_testkit::documents::pdf(),
                "x.pdf",
                "id-front",
                "ATTACHMENT_TYPE",
            ),
            (
                kiosk_testkit::documents::pdf_encrypted(),
                "x.pdf",
                "business-licence",
                "ATTACHMENT_PDF_ENCRYPTED",
            ),
            (
                kiosk_testkit::documents::zip_bomb_declared(10_000_000_000),
                "x.docx",
                "business-licence",
                "ATTACHMENT_ARCHIVE_BOMB",
            ),
        ] {
            let refused = invoke(
                &app,
                "capture_upload",
                InvokeBody::Raw(bytes),
                &[("slot", slot), ("file-name", name), flow[0], flow[1]],
            )
            .expect_err("refused");
            assert_eq!(refused["code"], code, "{name} for {slot}: {refused}");
            assert!(refused["zh"].as_str().is_some_and(|t| !t.is_empty()));
        }
    }

    /// `submit_application` takes its attachments from the tray: an image that is not (or no
    /// longer) there is named, instead of the submission being queued without it.
    #[test]
    fn submission_takes_its_attachments_from_the_tray() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let captured = invoke(
            &app,
            "capture_upload",
            InvokeBody::Raw(page_jpeg()),
            &[("slot", "business-licence"), ("file-name", "licence.jpg")],
        )
        .expect("a clear page is accepted");
        json(
            &app,
            "capture_discard",
            serde_json::json!({ "ids": [captured["id"]] }),
        )
        .expect("discarded");
        let refused = json(
            &app,
            "submit_application",
            serde_json::json!({
                "profile": "tianjin",
                "application": { "kind": "legal-entity" },
                "captureIds": [captured["id"]],
            }),
        )
        .expect_err("the discarded image cannot be attached");
        assert_eq!(refused["code"], "CAPTURE_NOT_FOUND", "{refused}");
    }
}
