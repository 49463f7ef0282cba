//! Running the sync room's work in the right place: a blocking store call from async code,
//! and an async use case to completion for `kioskctl`. May import tokio only.

use super::error::SyncApiError;
use crate::Problem;

/// Runs a blocking store call from async code. The store's writer blocks on a reply, which
/// tokio forbids on runtime threads unless announced with `block_in_place` (multi-thread
/// runtimes; Tauri's and [`block_on`]'s are).
pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// Runs an async use case to completion on a private single-thread runtime (for `kioskctl`).
pub fn block_on<T>(
    future: impl std::future::Future<Output = Result<T, Problem>>,
) -> Result<T, Problem> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| SyncApiError::Runtime(e.to_string()))?;
    runtime.block_on(future)
}
