//! Slow or blocking work of a command (store writes, PDF rendering, argon2, device and file
//! I/O) runs on Tauri's blocking pool: never on the webview's thread (commands are `async`),
//! and never on an async runtime thread, which would stall the other commands and the sync
//! worker.

use kiosk_api::Problem;

/// Runs `work` on the blocking pool and hands back its answer.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|_| Problem::from(kiosk_api::shell_error::ShellError::CommandTaskFailed))?
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn work_runs_on_another_thread_and_its_answer_comes_back() {
        let caller = std::thread::current().id();
        let (ran_on, answer) = tauri::async_runtime::block_on(async {
            let on_runtime = std::thread::current().id();
            let ran_on = blocking(|| Ok(std::thread::current().id())).await.unwrap();
            assert_ne!(ran_on, on_runtime);
            (ran_on, blocking(|| Ok::<_, Problem>(42)).await)
        });
        assert_ne!(ran_on, caller);
        assert_eq!(answer.unwrap(), 42);
        let refused = tauri::async_runtime::block_on(blocking(|| {
            Err::<(), _>(Problem::new("X_REFUSED", "不行。", "No."))
        }));
        assert_eq!(refused.unwrap_err().code, "X_REFUSED");
    }
}
