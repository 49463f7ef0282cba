//! Checks that need the platform while the visitor is at the kiosk: account names, ID numbers,
//! credit codes and mobiles already registered ([`registered`]), SMS codes sent and verified
//! ([`sms`]), and real names ([`real_name`]). Each asks with a short timeout; when the kiosk
//! is not enrolled or the platform does not answer in time, the wizard goes on offline and says
//! so — it never claims a check it did not make. When to check is decided in
//! `kiosk_core::checks`; this module only asks.

pub mod real_name;
pub mod registered;
pub mod sms;

use std::time::Duration;

use kiosk_sync::{PlatformClient, SyncError, Timeouts};

pub use registered::{
    Availability, RegisteredAnswer, account_name_availability, registered, registered_answer,
};
pub use sms::{SmsError, SmsSent, SmsVerified, sms_defer, sms_send, sms_verify};

use crate::Kiosk;

/// How long the wizard waits for the platform before treating it as offline.
pub const ONLINE_CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// A client for the enrolled platform with the wizard's short timeouts, or `None` when the
/// kiosk is not enrolled.
fn client(kiosk: &Kiosk) -> Option<PlatformClient> {
    let credential = crate::sync::credential(kiosk).ok()?;
    let timeouts = Timeouts {
        connect: ONLINE_CHECK_TIMEOUT,
        request: ONLINE_CHECK_TIMEOUT,
    };
    PlatformClient::new(credential, timeouts).ok()
}

/// Asks `client` with the wizard's short timeout.
async fn ask(
    client: &PlatformClient,
    path: &str,
    body: serde_json::Value,
) -> Result<serde_json::Value, SyncError> {
    tokio::time::timeout(ONLINE_CHECK_TIMEOUT, client.call(path, &body))
        .await
        .unwrap_or_else(|_| Err(SyncError::Transient("timeout".into())))
}

/// Asks the enrolled platform; `None` when not enrolled, unreachable or too slow.
pub(crate) async fn ask_platform(
    kiosk: &Kiosk,
    path: &str,
    body: serde_json::Value,
) -> Option<Result<serde_json::Value, SyncError>> {
    let client = client(kiosk)?;
    match ask(&client, path, body).await {
        Err(SyncError::Transient(_) | SyncError::Unauthorised(_) | SyncError::NotEnrolled(_)) => {
            None
        }
        answer => Some(answer),
    }
}

/// Whether the enrolled platform answers its health check within the wizard's timeout.
pub async fn platform_reachable(kiosk: &Kiosk) -> bool {
    let Some(client) = client(kiosk) else {
        return false;
    };
    matches!(
        tokio::time::timeout(ONLINE_CHECK_TIMEOUT, client.health()).await,
        Ok(Ok(()))
    )
}
