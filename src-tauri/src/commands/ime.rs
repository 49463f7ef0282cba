//! Chinese input for the on-screen keyboard: pinyin candidates, the visitor's choices (wiped
//! with the session), handwriting. The input method lives in the app state, made on first use;
//! its engines load on their first request. Work runs on the blocking pool.

use super::contract::ipc_commands;
use kiosk_api::Problem;
use kiosk_api::ime::{self, Chosen, Ime, Ink, PinyinCandidate, PinyinPage, Recognised};
use tauri::{AppHandle, Manager, Runtime, State};

/// The input method, registered with the app on first use (`manage` keeps the first).
fn ime_state<R: Runtime>(app: &AppHandle<R>) -> Result<State<'_, Ime>, Problem> {
    if app.try_state::<Ime>().is_none() {
        app.manage(Ime::from_env());
    }
    app.try_state::<Ime>()
        .ok_or_else(|| kiosk_api::shell_error::ShellError::ImeStateBroken.into())
}

/// Runs `work` with the input method on the blocking pool.
async fn with_ime<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    work: impl FnOnce(&Ime) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    tauri::async_runtime::spawn_blocking(move || work(ime_state(&app)?.inner()))
        .await
        .map_err(|_| Problem::from(kiosk_api::shell_error::ShellError::ImeTaskFailed))?
}

ipc_commands! {
    /// Page `page` (from 0) of the candidates for the typed pinyin `input` (`pageSize` a page,
    /// default 8).
    #[ipc(UseInput)]
    pub async fn ime_pinyin<R: Runtime>(
        app: AppHandle<R>,
        input: String,
        page: u32,
        page_size: Option<u32>,
    ) -> Result<PinyinPage, Problem> {
        with_ime(app, move |ime| ime::pinyin(ime, &input, page, page_size)).await
    }

    /// The visitor chose `candidate` for `input`: remembered until the session ends; returns the
    /// characters to write and the letters left to convert.
    #[ipc(UseInput)]
    pub async fn ime_choose<R: Runtime>(
        app: AppHandle<R>,
        input: String,
        candidate: PinyinCandidate,
    ) -> Result<Chosen, Problem> {
        with_ime(app, move |ime| ime::choose(ime, &input, &candidate)).await
    }

    /// The characters read in handwritten strokes (`[x, y]` points on a `width` × `height` pad).
    #[ipc(UseInput, ts_by_hand)]
    pub async fn ime_handwriting<R: Runtime>(
        app: AppHandle<R>,
        strokes: Vec<Vec<[f64; 2]>>,
        width: f64,
        height: f64,
    ) -> Result<Vec<Recognised>, Problem> {
        let ink = Ink {
            strokes,
            width,
            height,
        };
        with_ime(app, move |ime| ime::handwriting(ime, &ink)).await
    }

    /// Forgets the session's choices (the visitor's session was wiped).
    #[ipc(UseInput)]
    pub async fn ime_forget<R: Runtime>(app: AppHandle<R>) -> Result<(), Problem> {
        with_ime(app, |ime| {
            ime::forget(ime);
            Ok(())
        })
        .await
    }
}
