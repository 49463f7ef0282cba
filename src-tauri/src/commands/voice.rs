//! Voice guidance: reads a self-service step aloud (Mandarin, offline, espeak-ng) and hands the
//! WAV to the webview, which plays it. The speaker lives in the app state, made on first use;
//! synthesis runs on the blocking pool.

use super::contract::ipc_commands;
use kiosk_api::Problem;
use kiosk_api::voice::{self, Speaker, SpeechRequest, Spoken};
use tauri::{AppHandle, Manager, Runtime};

ipc_commands! {
    /// Reads `request` (a screen or step, never a visitor's values) aloud into a WAV.
    #[ipc(UseInput)]
    pub async fn voice_speak<R: Runtime>(
        app: AppHandle<R>,
        request: SpeechRequest,
    ) -> Result<Spoken, Problem> {
        if app.try_state::<Speaker>().is_none() {
            app.manage(Speaker::from_env());
        }
        let speaker = app
            .try_state::<Speaker>()
            .map(|s| s.inner().clone())
            .unwrap_or_else(Speaker::from_env);
        tauri::async_runtime::spawn_blocking(move || voice::speak(&speaker, &request))
            .await
            .map_err(|_| Problem::from(kiosk_api::shell_error::ShellError::VoiceTaskFailed))?
    }
}
