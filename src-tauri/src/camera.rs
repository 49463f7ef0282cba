//! The camera in the webview: WebKitGTK refuses `getUserMedia` unless media streams are enabled
//! and someone answers its permission request. The kiosk grants exactly one thing: a video
//! device for a page of the app's own origin (the capture panel's live preview). Microphones,
//! screen capture, geolocation, notifications and anything asked for by another origin are
//! denied without a prompt. Other platforms keep their webview's defaults (no-op here).

use tauri::{Runtime, Url, WebviewWindow};

/// What the webview asks permission for, as far as the kiosk cares.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// `getUserMedia` for a camera only.
    Camera,
    /// `getUserMedia` with a microphone (with or without a camera), or screen capture.
    OtherMedia,
    /// Anything else (geolocation, notifications, pointer lock, ...).
    Other,
}

/// Whether the kiosk grants `request` to a page at `page` (the webview's current URL):
/// only the camera, and only on the app's own origin (`is_own` decides which that is).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub fn grants(request: Request, page: Option<&Url>, is_own: impl Fn(&Url) -> bool) -> bool {
    request == Request::Camera && page.is_some_and(is_own)
}

/// Enables media streams in the main window's webview and installs the permission answer;
/// with `mock_devices` (tests and development only) WebKit offers its simulated camera.
#[cfg(target_os = "linux")]
pub fn install<R: Runtime>(
    window: &WebviewWindow<R>,
    mock_devices: bool,
    is_own: impl Fn(&Url) -> bool + Send + 'static,
) -> tauri::Result<()> {
    window.with_webview(move |platform| linux::install(&platform.inner(), mock_devices, is_own))
}

/// Other platforms: nothing to do (their webviews ask the operating system).
#[cfg(not(target_os = "linux"))]
pub fn install<R: Runtime>(
    _window: &WebviewWindow<R>,
    _mock_devices: bool,
    _is_own: impl Fn(&Url) -> bool + Send + 'static,
) -> tauri::Result<()> {
    Ok(())
}

#[cfg(target_os = "linux")]
mod linux {
    use tauri::Url;
    use webkit2gtk::glib::prelude::Cast;
    use webkit2gtk::{
        PermissionRequest, PermissionRequestExt, SettingsExt, UserMediaPermissionRequest,
        UserMediaPermissionRequestExt, WebView, WebViewExt,
    };

    use super::{Request, grants};

    pub(super) fn install(
        view: &WebView,
        mock_devices: bool,
        is_own: impl Fn(&Url) -> bool + 'static,
    ) {
        if let Some(settings) = WebViewExt::settings(view) {
            // `getUserMedia` only; WebRTC peer connections stay off (nothing to call, and
            // they would reveal the hall's addresses).
            settings.set_enable_media_stream(true);
            settings.set_enable_mock_capture_devices(mock_devices);
        }
        if mock_devices {
            log::warn!("simulated camera enabled (test switch)");
        }
        view.connect_permission_request(move |view, request| {
            let page = view.uri().and_then(|uri| Url::parse(uri.as_str()).ok());
            let kind = classify(request);
            if grants(kind, page.as_ref(), &is_own) {
                request.allow();
            } else {
                log::warn!(
                    "webview permission {kind:?} denied for {}",
                    page.map_or_else(|| "no page".into(), |p| p.origin().ascii_serialization())
                );
                request.deny();
            }
            true
        });
    }

    fn classify(request: &PermissionRequest) -> Request {
        match request.downcast_ref::<UserMediaPermissionRequest>() {
            Some(media) if media.is_for_video_device() && !media.is_for_audio_device() => {
                Request::Camera
            }
            Some(_) => Request::OtherMedia,
            None => Request::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn own(url: &Url) -> bool {
        crate::lockdown::is_allowed_navigation(url, None)
    }

    #[test]
    fn the_camera_is_granted_to_the_apps_own_pages_only() {
        let app = Url::parse("tauri://localhost/#/capture-check").unwrap();
        let outside = Url::parse("https://example.com/").unwrap();
        assert!(grants(Request::Camera, Some(&app), own), "own page, camera");
        assert!(
            !grants(Request::Camera, Some(&outside), own),
            "another origin never gets the camera"
        );
        assert!(!grants(Request::Camera, None, own), "no page, no camera");
    }

    #[test]
    fn microphones_screens_and_other_permissions_are_denied_even_to_the_app() {
        let app = Url::parse("tauri://localhost/").unwrap();
        for request in [Request::OtherMedia, Request::Other] {
            assert!(
                !grants(request, Some(&app), own),
                "{request:?} must be denied"
            );
        }
    }
}
