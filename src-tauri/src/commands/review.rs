//! Supervisor review at the counter, and the offline export button beside it.
//!
//! The supervisor is whoever is signed in (kept in Rust); every decision re-checks their
//! password. The web view never names the acting user.

use super::contract::ipc_commands;
use kiosk_api::export::destinations::{self, ExportDestination};
use kiosk_api::export::{self, ExportReport};
use kiosk_api::review::{self, ReviewDetail, ReviewItem, ReviewOutcome};
use kiosk_api::{Problem, clock};
use tauri::{AppHandle, Runtime, State};

use super::blocking;
use super::session::caller;
use crate::KioskState;

fn staff_username<R: Runtime>(app: &AppHandle<R>) -> Result<String, Problem> {
    Ok(caller(app)?.actor().to_owned())
}

ipc_commands! {
    /// Held applications (masked), optionally of one status (`pending`, `approved`, `returned`).
    /// Any signed-in staff member may list them: operators see the reasons of returned ones.
    #[ipc(ViewReview)]
    pub async fn review_list<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        status: Option<String>,
    ) -> Result<Vec<ReviewItem>, Problem> {
        staff_username(&app)?;
        let status = status.as_deref().map(review::parse_status).transpose()?;
        review::list(state.kiosk()?, status)
    }

    /// One held application in detail.
    #[ipc(ViewReview)]
    pub async fn review_show<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        id: String,
    ) -> Result<ReviewDetail, Problem> {
        staff_username(&app)?;
        review::detail(state.kiosk()?, &id)
    }

    /// Approves `ids` (one or a batch) as the signed-in supervisor, re-checking `password`.
    #[ipc(DecideReview)]
    pub async fn review_approve<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        ids: Vec<String>,
        remarks: Option<String>,
        password: String,
    ) -> Result<ReviewOutcome, Problem> {
        let (who, kiosk) = (staff_username(&app)?, state.shared()?);
        // The supervisor's password check (argon2) runs on the blocking pool.
        blocking(move || {
            review::approve(&kiosk, &who, &password, &ids, remarks, clock::now_ms())
        })
        .await
    }

    /// Returns `id` to the operator with `reason`, re-checking the supervisor's `password`.
    #[ipc(DecideReview)]
    pub async fn review_return<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        id: String,
        reason: String,
        password: String,
    ) -> Result<ReviewOutcome, Problem> {
        let (who, kiosk) = (staff_username(&app)?, state.shared()?);
        blocking(move || {
            review::return_to_operator(&kiosk, &who, &password, &id, &reason, clock::now_ms())
        })
        .await
    }

    /// Writes approved, unsent applications to one signed bundle in `dir` (removable media).
    #[ipc(Export)]
    pub async fn export_bundle<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        dir: String,
        again: Option<bool>,
    ) -> Result<ExportReport, Problem> {
        let (who, kiosk) = (staff_username(&app)?, state.shared()?);
        // Writing and signing the bundle on removable media is slow: the blocking pool runs it.
        blocking(move || {
            export::export_bundle(
                &kiosk,
                std::path::Path::new(&dir),
                &who,
                again.unwrap_or(false),
                clock::now_ms(),
            )
        })
        .await
    }

    /// Where an export can go: mounted removable media and the configured export folder, each
    /// with whether it is writable and its free space.
    #[ipc(Export)]
    pub async fn export_destinations<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
    ) -> Result<Vec<ExportDestination>, Problem> {
        staff_username(&app)?;
        destinations::destinations(state.kiosk()?)
    }
}
