//! Signed updates from the enrolled platform, through tauri-plugin-updater.
//!
//! The plugin fetches `latest.json` from the platform, downloads the package and verifies its
//! minisign signature against the public key in `tauri.conf.json` (`requireSignedVersion`: the
//! signed version must equal the announced one). This module adds what the plugin leaves open:
//! a downgrade is refused with a message (the plugin only answers "no update"), errors become
//! [`Problem`]s, progress goes to the `update-progress` event, and a background task checks at
//! start and every `update.check_hours`, downloads what it finds, and installs at the
//! `update.quiet_hour` when one is set (otherwise an administrator installs from the banner).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kiosk_api::update::{self, UpdatePhase, UpdateStatus};
use kiosk_api::{Kiosk, Problem, clock};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::{Error as UpdaterError, Update, UpdaterExt};

use crate::KioskState;

/// Event emitted with an [`UpdateStatus`] payload after each change.
pub const PROGRESS_EVENT: &str = "update-progress";
/// How often the background task wakes to see whether a check or an install is due.
const TICK: Duration = Duration::from_secs(600);

/// A downloaded, verified package waiting to be installed.
struct Ready {
    update: Update,
    bytes: Vec<u8>,
}

/// The updater's state, managed by the app.
#[derive(Default)]
pub struct Updates {
    status: Mutex<UpdateStatus>,
    ready: Mutex<Option<Ready>>,
}

impl std::fmt::Debug for Updates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Updates")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl Updates {
    /// What the banner shows now.
    pub fn status(&self) -> UpdateStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn change(&self, f: impl FnOnce(&mut UpdateStatus)) -> UpdateStatus {
        match self.status.lock() {
            Ok(mut status) => {
                f(&mut status);
                status.clone()
            }
            Err(_) => UpdateStatus::default(),
        }
    }
}

/// The updater plugin (public key and options from `tauri.conf.json`).
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

/// The plugin's errors as the problems an administrator reads.
pub fn problem(error: &UpdaterError) -> Problem {
    let detail = error.to_string();
    match error {
        UpdaterError::Minisign(_)
        | UpdaterError::Base64(_)
        | UpdaterError::SignatureUtf8(_)
        | UpdaterError::SignedVersionMismatch { .. }
        | UpdaterError::MissingSignedVersion => update::signature_refused(&detail),
        UpdaterError::Reqwest(_) | UpdaterError::Network(_) => update::unreachable(&detail),
        UpdaterError::ReleaseNotFound
        | UpdaterError::Serialization(_)
        | UpdaterError::Semver(_)
        | UpdaterError::UrlParse(_)
        | UpdaterError::TargetNotFound(_)
        | UpdaterError::TargetsNotFound(_)
        | UpdaterError::EmptyEndpoints
        | UpdaterError::InsecureTransportProtocol => update::manifest_invalid(&detail),
        _ => update::install_failed(&detail),
    }
}

/// Asks the manifest at `manifest_url`. `Some` when a newer version is offered; a lower
/// version is refused with `UPDATE_DOWNGRADE_REFUSED`; the same version is `None`.
pub async fn find<R: Runtime>(
    app: &AppHandle<R>,
    manifest_url: &str,
) -> Result<Option<Update>, Problem> {
    let url =
        tauri::Url::parse(manifest_url).map_err(|e| update::manifest_invalid(&e.to_string()))?;
    let offered = Arc::new(Mutex::new(None::<semver::Version>));
    let seen = Arc::clone(&offered);
    let updater = app
        .updater_builder()
        .endpoints(vec![url])
        .map_err(|e| problem(&e))?
        .timeout(Duration::from_secs(120))
        .version_comparator(move |current, release| {
            if let Ok(mut seen) = seen.lock() {
                *seen = Some(release.version.clone());
            }
            release.version > current
        })
        .build()
        .map_err(|e| problem(&e))?;
    match updater.check().await {
        Ok(Some(found)) => return Ok(Some(found)),
        Ok(None) => {}
        // The platform publishes no manifest (or cannot give one now): nothing to install, and
        // nothing anyone must act on; the next scheduled check asks again.
        Err(UpdaterError::ReleaseNotFound) => {
            log::info!("the platform publishes no update manifest");
            return Ok(None);
        }
        Err(error) => {
            log::warn!("update check failed: {error}");
            return Err(problem(&error));
        }
    }
    let current = app.package_info().version.clone();
    match offered.lock().ok().and_then(|v| v.clone()) {
        Some(version) if version < current => Err(update::downgrade_refused(
            &current.to_string(),
            &version.to_string(),
        )),
        _ => Ok(None),
    }
}

/// Downloads `found` and verifies its signature; `progress(downloaded, total)` after each chunk.
pub async fn download(
    found: &Update,
    mut progress: impl FnMut(u64, Option<u64>),
) -> Result<Vec<u8>, Problem> {
    let mut downloaded = 0_u64;
    found
        .download(
            |chunk, total| {
                downloaded = downloaded.saturating_add(u64::try_from(chunk).unwrap_or(0));
                progress(downloaded, total);
            },
            || {},
        )
        .await
        .map_err(|e| problem(&e))
}

fn updates<R: Runtime>(app: &AppHandle<R>) -> tauri::State<'_, Updates> {
    // `manage` keeps the first value registered for a type, so this is idempotent.
    app.manage(Updates::default());
    app.state::<Updates>()
}

fn publish<R: Runtime>(app: &AppHandle<R>, f: impl FnOnce(&mut UpdateStatus)) -> UpdateStatus {
    let current = app.package_info().version.to_string();
    let status = updates(app).change(|s| {
        s.current_version = current;
        f(s);
    });
    let _ = app.emit(PROGRESS_EVENT, &status);
    status
}

fn fail<R: Runtime>(app: &AppHandle<R>, problem: Problem) -> Problem {
    log::warn!("update: {}", problem.code);
    publish(app, |s| {
        s.phase = UpdatePhase::Failed;
        s.problem = Some(problem.clone());
    });
    problem
}

/// The status the banner shows.
pub fn status<R: Runtime>(app: &AppHandle<R>) -> UpdateStatus {
    let mut status = updates(app).status();
    status.current_version = app.package_info().version.to_string();
    status
}

/// Checks the enrolled platform and, when a newer version is offered, downloads and verifies it
/// (the phase ends `ready`, `up-to-date` or `failed`).
pub async fn check_and_download<R: Runtime>(
    app: &AppHandle<R>,
    kiosk: &Kiosk,
) -> Result<UpdateStatus, Problem> {
    let endpoint = update::endpoint(kiosk).map_err(|p| fail(app, p))?;
    publish(app, |s| {
        s.phase = UpdatePhase::Checking;
        s.problem = None;
        s.checked_at_ms = Some(clock::now_ms());
    });
    let found = find(app, &endpoint).await.map_err(|p| fail(app, p))?;
    // The platform answered: the operating limit "days without an update check" restarts.
    update::record_check(kiosk, clock::now_ms());
    let Some(found) = found else {
        return Ok(publish(app, |s| s.phase = UpdatePhase::UpToDate));
    };
    log::info!("update {} offered", found.version);
    publish(app, |s| {
        s.phase = UpdatePhase::Downloading;
        s.version = Some(found.version.clone());
        s.notes = found.body.clone();
        s.downloaded = 0;
        s.total = None;
    });
    let bytes = download(&found, |downloaded, total| {
        publish(app, |s| {
            s.downloaded = downloaded;
            s.total = total;
        });
    })
    .await
    .map_err(|p| fail(app, p))?;
    log::info!("update {} downloaded and verified", found.version);
    if let Ok(mut ready) = updates(app).ready.lock() {
        *ready = Some(Ready {
            update: found,
            bytes,
        });
    }
    Ok(publish(app, |s| s.phase = UpdatePhase::Ready))
}

/// Installs the verified package through the root-owned update helper
/// (`pkexec /usr/libexec/tongban/update-helper`, see [`helper`] and `packaging/deb`), which
/// checks it again against its own pinned key, then restarts the app.
pub fn install<R: Runtime>(app: &AppHandle<R>) -> Result<(), Problem> {
    let ready = updates(app)
        .ready
        .lock()
        .ok()
        .and_then(|mut r| r.take())
        .ok_or_else(update::nothing_to_install)?;
    publish(app, |s| s.phase = UpdatePhase::Installing);
    // The helper verifies the bytes again, as root, against the key pinned in it.
    helper::install_with_helper(&ready.bytes, &ready.update.signature)
        .map_err(|problem| fail(app, problem))?;
    log::info!("update {} installed; restarting", ready.update.version);
    app.restart()
}

/// Starts the background task: a check at start and every `update.check_hours`, an install at
/// `update.quiet_hour`.
pub fn start_background<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut last_check: Option<std::time::Instant> = None;
        loop {
            if let Some(state) = app.try_state::<KioskState>()
                && let Ok(kiosk) = state.kiosk()
            {
                let policy = update::policy(kiosk);
                let due = match (last_check, policy.check_every) {
                    (None, _) => true,
                    (Some(at), Some(every)) => at.elapsed() >= every,
                    (Some(_), None) => false,
                };
                let busy = matches!(
                    status(&app).phase,
                    UpdatePhase::Downloading | UpdatePhase::Installing | UpdatePhase::Ready
                );
                if due && !busy && update::endpoint(kiosk).is_ok() {
                    last_check = Some(std::time::Instant::now());
                    let _ = check_and_download(&app, kiosk).await;
                }
                if status(&app).phase == UpdatePhase::Ready && policy.installs_now(clock::now_ms())
                {
                    let _ = install(&app);
                }
            }
            tokio::time::sleep(TICK).await;
        }
    });
}

pub mod helper;
pub mod release_key;
#[cfg(test)]
mod tests;
