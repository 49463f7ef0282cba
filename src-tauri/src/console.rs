//! The webview's console on the app's stdout, when `TONGBAN_CONSOLE_TO_STDOUT=1` asks for it:
//! bench/run reads the UI's first-paint mark this way (ui/src/firstPaint.ts). Off by default;
//! the screens log nothing personal to the console either way.

use tauri::{Runtime, WebviewWindow};

/// The environment variable that turns it on (value `1`).
pub const ENV: &str = "TONGBAN_CONSOLE_TO_STDOUT";

/// Whether `value` (of [`ENV`]) asks for the console on stdout.
pub fn wanted(value: Option<&str>) -> bool {
    value == Some("1")
}

/// Sends the webview's console messages to stdout when [`ENV`] is `1` (WebKitGTK; other
/// platforms: nothing).
pub fn install<R: Runtime>(window: &WebviewWindow<R>) -> tauri::Result<()> {
    if !wanted(std::env::var(ENV).ok().as_deref()) {
        return Ok(());
    }
    log::info!("webview console messages go to stdout ({ENV}=1)");
    #[cfg(target_os = "linux")]
    window.with_webview(|platform| {
        use webkit2gtk::{SettingsExt, WebViewExt};
        if let Some(settings) = WebViewExt::settings(&platform.inner()) {
            settings.set_enable_write_console_messages_to_stdout(true);
        }
    })?;
    #[cfg(not(target_os = "linux"))]
    let _ = window;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::wanted;

    #[test]
    fn only_one_turns_it_on() {
        assert!(wanted(Some("1")));
        for off in [None, Some(""), Some("0"), Some("true"), Some("yes")] {
            assert!(!wanted(off), "{off:?}");
        }
    }
}
