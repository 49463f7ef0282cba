//! Staff sign-in at the counter (and to leave self-service mode), re-authentication for
//! sensitive actions, and account management. Who may call each is decided by kiosk-api's
//! permission table before the command runs (see `session::admit`).

use super::contract::ipc_commands;
use kiosk_api::staff::{self, NewStaffInput, StaffInfo, StaffSession};
use kiosk_api::{Problem, clock};
use tauri::{AppHandle, Runtime, State};

use super::blocking;
use super::session::{caller, limits, signed_in};
use crate::KioskState;

ipc_commands! {
    /// Checks a staff login and keeps the session in Rust. Unknown names and wrong passwords get
    /// the same answer; 5 failures pause the name for 1 minute, doubling up to 15.
    #[ipc(SignIn)]
    pub async fn staff_login<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        username: String,
        password: String,
    ) -> Result<StaffSession, Problem> {
        let now = clock::now_ms();
        let kiosk = state.shared()?;
        // argon2: the password check takes a noticeable moment, on the blocking pool.
        let session = blocking(move || staff::login(&kiosk, &username, &password, now)).await?;
        let signed = signed_in(&app)?;
        signed.sign_in(session.clone(), session.caller(now))?;
        Ok(signed.shown_at(&limits(&app), now)?.unwrap_or(session))
    }

    /// Signs the staff member out.
    #[ipc(SignIn)]
    pub async fn staff_logout<R: Runtime>(app: AppHandle<R>) -> Result<(), Problem> {
        signed_in(&app)?.sign_out()
    }

    /// Who is signed in, if anyone, with when the session ends (`null` once it has ended).
    #[ipc(SignIn)]
    pub async fn staff_current<R: Runtime>(app: AppHandle<R>) -> Result<Option<StaffSession>, Problem> {
        signed_in(&app)?.shown_at(&limits(&app), clock::now_ms())
    }

    /// Checks the signed-in staff member's password again; sensitive actions then run for a few
    /// minutes. Answers the session with its new times.
    #[ipc(ManageOwnAccount)]
    pub async fn staff_reauth<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        password: String,
    ) -> Result<StaffSession, Problem> {
        let now = clock::now_ms();
        let (kiosk, who) = (state.shared()?, caller(&app)?);
        blocking(move || staff::reauth(&kiosk, &who, &password, now)).await?;
        let signed = signed_in(&app)?;
        signed.reauthed(now)?;
        signed
            .shown_at(&limits(&app), now)?
            .ok_or_else(kiosk_api::caller::session_expired)
    }

    /// Changes the signed-in staff member's own password.
    #[ipc(ManageOwnAccount)]
    pub async fn staff_change_password<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        current: String,
        new_password: String,
    ) -> Result<(), Problem> {
        let (kiosk, who) = (state.shared()?, caller(&app)?);
        blocking(move || {
            staff::change_password(&kiosk, &who, &current, &new_password, clock::now_ms())
        })
        .await
    }

    /// All staff accounts (administrators).
    #[ipc(ManageStaff)]
    pub async fn staff_list<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
    ) -> Result<Vec<StaffInfo>, Problem> {
        staff::list(state.kiosk()?, &caller(&app)?, clock::now_ms())
    }

    /// Adds an account (administrators).
    #[ipc(ManageStaff)]
    pub async fn staff_add<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        input: NewStaffInput,
    ) -> Result<(), Problem> {
        let (kiosk, who) = (state.shared()?, caller(&app)?);
        blocking(move || staff::add(&kiosk, &who, input, clock::now_ms())).await
    }

    /// Sets a new password for `username` and ends its sign-in pause (administrators).
    #[ipc(ManageStaff)]
    pub async fn staff_reset_password<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        username: String,
        new_password: String,
    ) -> Result<(), Problem> {
        let (kiosk, who) = (state.shared()?, caller(&app)?);
        blocking(move || {
            staff::reset_password(&kiosk, &who, &username, &new_password, clock::now_ms())
        })
        .await
    }

    /// Disables or enables `username` (administrators; never the last administrator).
    #[ipc(ManageStaff)]
    pub async fn staff_set_disabled<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        username: String,
        disabled: bool,
    ) -> Result<(), Problem> {
        staff::set_disabled(
            state.kiosk()?,
            &caller(&app)?,
            &username,
            disabled,
            clock::now_ms(),
        )
    }

    /// Ends the sign-in pause of `username` (administrators).
    #[ipc(ManageStaff)]
    pub async fn staff_unlock<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        username: String,
    ) -> Result<(), Problem> {
        staff::unlock(state.kiosk()?, &caller(&app)?, &username, clock::now_ms())
    }
}
