//! The queue screen: applications with masked summaries, one in detail, counts.

use super::contract::ipc_commands;
use kiosk_api::queue::{self, QueueCounts, QueueItem, QueueItemDetail};
use kiosk_api::{Problem, clock};
use tauri::{AppHandle, Runtime, State};

use super::session::caller;
use crate::KioskState;

ipc_commands! {
    /// Applications, newest first, optionally only those in `state` (e.g. `needs-action`).
    #[ipc(ViewQueue)]
    pub async fn queue_list(
        state: State<'_, KioskState>,
        filter: Option<String>,
        limit: u32,
    ) -> Result<Vec<QueueItem>, Problem> {
        let filter = filter.as_deref().map(queue::parse_state).transpose()?;
        queue::list(state.kiosk()?, filter, limit)
    }

    /// One application in detail (never its payload).
    #[ipc(ViewQueue)]
    pub async fn queue_show(
        state: State<'_, KioskState>,
        id: String,
    ) -> Result<QueueItemDetail, Problem> {
        queue::show(state.kiosk()?, &id)
    }

    /// Counts per state, due now, oldest waiting.
    #[ipc(ViewHealth)]
    pub async fn queue_stats(state: State<'_, KioskState>) -> Result<QueueCounts, Problem> {
        queue::stats(state.kiosk()?, clock::now_ms())
    }

    /// Makes an application's next upload attempt due now (staff; audited).
    #[ipc(RunQueue)]
    pub async fn queue_retry<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        id: String,
    ) -> Result<(), Problem> {
        let caller = caller(&app)?;
        queue::retry_now(state.kiosk()?, &id, caller.actor(), clock::now_ms())
    }
}
