//! Kiosk lockdown: in release builds (or with `--kiosk`) the window is fullscreen without
//! decorations or devtools, cannot be closed except through the staff exit, refuses to
//! navigate away from the app or open new windows, and has no context menu or zoom hotkeys.
//! On Linux the webview also has no network of its own ([`no_network`]).

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::utils::config::WindowConfig;
use tauri::webview::NewWindowResponse;
use tauri::{
    AppHandle, Manager, RunEvent, Runtime, Url, WebviewWindow, WebviewWindowBuilder, WindowEvent,
};

/// Blocks the context menu, zoom, reload and devtools hotkeys, and `window.open`, before any
/// page script runs.
pub const INIT_SCRIPT: &str = r#"(() => {
  const stop = (e) => { e.preventDefault(); e.stopPropagation(); return false; };
  window.addEventListener('contextmenu', stop, true);
  window.addEventListener('keydown', (e) => {
    const mod = e.ctrlKey || e.metaKey;
    const zoom = mod && ['+', '=', '-', '_', '0'].includes(e.key);
    const reload = e.key === 'F5' || (mod && (e.key === 'r' || e.key === 'R'));
    const devtools = e.key === 'F12' || (mod && e.shiftKey && ['I', 'i', 'J', 'j', 'C', 'c'].includes(e.key));
    const other = mod && ['p', 'P', 's', 'S', 'o', 'O', 'u', 'U'].includes(e.key);
    if (zoom || reload || devtools || other) { return stop(e); }
  }, true);
  window.addEventListener('wheel', (e) => { if (e.ctrlKey) { stop(e); } }, { capture: true, passive: false });
  window.open = () => null;
})();"#;

/// Whether the kiosk is locked down, and whether the staff exit has opened the door.
#[derive(Debug)]
pub struct Lockdown {
    enabled: bool,
    exit_allowed: AtomicBool,
}

impl Lockdown {
    /// Locked in release builds, or when `--kiosk` is given.
    pub fn new(kiosk_flag: bool) -> Self {
        Self {
            enabled: kiosk_flag || cfg!(not(debug_assertions)),
            exit_allowed: AtomicBool::new(false),
        }
    }

    /// Whether lockdown is on.
    #[cfg(test)]
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The main window's configuration with lockdown applied.
    pub fn window_config(&self, base: &WindowConfig) -> WindowConfig {
        let mut config = base.clone();
        config.zoom_hotkeys_enabled = false;
        if self.enabled {
            config.fullscreen = true;
            config.decorations = false;
            config.resizable = false;
            config.closable = false;
            config.minimizable = false;
            config.maximizable = false;
            config.devtools = Some(false);
            config.always_on_top = true;
            config.skip_taskbar = true;
        }
        config
    }

    /// Lets close requests through from now on (the staff exit).
    pub fn allow_exit(&self) {
        self.exit_allowed.store(true, Ordering::SeqCst);
    }

    /// Whether a close request may proceed.
    pub fn close_allowed(&self) -> bool {
        !self.enabled || self.exit_allowed.load(Ordering::SeqCst)
    }
}

/// Whether the webview may load `url`: the app's own origin (and the dev server in dev
/// builds); nothing else, so a link or a redirect can never leave the kiosk.
pub fn is_allowed_navigation(url: &Url, dev_url: Option<&Url>) -> bool {
    let own = match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        "about" => url.path() == "blank",
        _ => false,
    };
    own || dev_url.is_some_and(|dev| dev.origin() == url.origin())
}

/// The app's own origin as [`is_allowed_navigation`] sees it, with the dev server of a dev build.
pub fn own_origin<R: Runtime>(app: &AppHandle<R>) -> impl Fn(&Url) -> bool + Send + 'static {
    let dev_url = dev_server(app);
    move |url| is_allowed_navigation(url, dev_url.as_ref())
}

/// The Vite dev server a dev build loads its pages from; `None` in a build that embeds them.
fn dev_server<R: Runtime>(app: &AppHandle<R>) -> Option<Url> {
    if tauri::is_dev() {
        app.config().build.dev_url.clone()
    } else {
        None
    }
}

/// Creates the main window from its configuration (`create: false` in `tauri.conf.json`) with
/// lockdown, the navigation guard, the new-window refusal, the hotkey script and (Linux) a
/// webview without network of its own (see `no_network`).
pub fn build_main_window<R: Runtime>(
    app: &AppHandle<R>,
    lockdown: &Lockdown,
) -> tauri::Result<WebviewWindow<R>> {
    let base = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .unwrap_or_default();
    let config = lockdown.window_config(&base);
    let own_origin = own_origin(app);
    let window = WebviewWindowBuilder::from_config(app, &config)?
        .initialization_script(INIT_SCRIPT)
        .on_navigation(move |url| {
            let allowed = own_origin(url);
            if !allowed {
                log::warn!(
                    "navigation to {} blocked",
                    url.origin().ascii_serialization()
                );
            }
            allowed
        })
        .on_new_window(|url, _features| {
            log::warn!(
                "new window for {} refused",
                url.origin().ascii_serialization()
            );
            NewWindowResponse::Deny
        })
        .build()?;
    #[cfg(target_os = "linux")]
    {
        let dev_host = dev_server(app).and_then(|url| url.host_str().map(str::to_owned));
        window.with_webview(move |platform| {
            let reachable: Vec<&str> = dev_host.as_deref().into_iter().collect();
            no_network::install(&platform.inner(), &reachable);
        })?;
    }
    Ok(window)
}

/// The staff exit: opens the lockdown, then closes every window. The app ends the way a
/// closed window ends it (close request, then the exit request of the last window), through the
/// same gate [`on_run_event`] keeps shut for everyone else.
pub fn staff_exit<R: Runtime>(app: &AppHandle<R>) {
    if let Some(lockdown) = app.try_state::<Lockdown>() {
        lockdown.allow_exit();
    }
    let windows = app.webview_windows();
    let closed = windows.values().try_for_each(WebviewWindow::close);
    if windows.is_empty() || closed.is_err() {
        log::warn!("staff exit: no window closed; ending the app directly");
        app.exit(0);
    }
}

/// Handles the app's run-loop events: a close request, or the exit that follows the last window
/// closing, is refused unless lockdown is off or the staff exit allowed it. (`app.exit(code)`
/// carries an exit code and is not affected.)
pub fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: &RunEvent) {
    let allowed = || {
        app.try_state::<Lockdown>()
            .is_none_or(|lockdown| lockdown.close_allowed())
    };
    match event {
        RunEvent::WindowEvent {
            event: WindowEvent::CloseRequested { api, .. },
            ..
        } if !allowed() => {
            log::info!("close request refused (kiosk lockdown)");
            api.prevent_close();
        }
        RunEvent::ExitRequested {
            code: None, api, ..
        } if !allowed() => {
            log::info!("exit request refused (kiosk lockdown)");
            api.prevent_exit();
        }
        _ => {}
    }
}

#[cfg(target_os = "linux")]
mod no_network;
#[cfg(test)]
mod tests;
