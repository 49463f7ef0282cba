//! How a text message leaves the platform: the [`SmsProvider`] trait and the outbox provider.
//!
//! The outbox provider (the default) appends one JSON line per message to
//! `<data-dir>/sms-outbox.jsonl` (mode 0600), written and flushed to disk before the platform
//! answers. Halls without an SMS gateway hand codes out from it, and every test reads its codes
//! from it with [`outbox_latest_code`].

use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

/// The outbox file's name in the data directory.
pub const OUTBOX_FILE: &str = "sms-outbox.jsonl";

/// One text message to deliver.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsMessage {
    /// Normalised phone number (`13800138000`, `+85291234567`).
    pub to: String,
    /// The full text.
    pub text: String,
    /// The 6-digit code the text carries.
    pub code: String,
    /// What the code is for (`register`, `bind`, `reset-password`, `verify-later`).
    pub purpose: String,
    /// When it was issued, Unix ms.
    pub at: i64,
}

/// Never prints the number, the text or the code.
impl std::fmt::Debug for SmsMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsMessage")
            .field("to", &crate::phone::mask_phone(&self.to))
            .field("purpose", &self.purpose)
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

/// Why a message was not delivered. Never carries the number or the code.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The outbox file could not be written.
    #[error("outbox: {0}")]
    Outbox(#[from] std::io::Error),
    /// The gateway answered with a non-success status.
    #[error("gateway answered HTTP {0}")]
    GatewayStatus(u16),
    /// The gateway could not be reached or did not answer in time.
    #[error("gateway unreachable: {0}")]
    GatewayUnreachable(String),
    /// The request body could not be built from the template.
    #[error("gateway template: {0}")]
    Template(String),
}

/// A future answering whether a message went out.
pub type Delivery<'a> = Pin<Box<dyn Future<Output = Result<(), DeliveryError>> + Send + 'a>>;

/// Delivers text messages. `Ok` means the message is on its way (in the outbox file, or
/// accepted by the gateway); an error means it is not, and the platform then discards the
/// code it carries.
pub trait SmsProvider: Send + Sync + std::fmt::Debug {
    /// Sends `message`.
    fn deliver<'a>(&'a self, message: &'a SmsMessage) -> Delivery<'a>;

    /// A short name for logs (`outbox`, `http`).
    fn name(&self) -> &'static str;
}

/// One line of the outbox file.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Normalised phone number.
    pub to: String,
    /// The full text.
    pub text: String,
    /// The code the text carries.
    pub code: String,
    /// What the code is for.
    pub purpose: String,
    /// When, Unix ms.
    pub at: i64,
}

/// Never prints the number, the text or the code.
impl std::fmt::Debug for OutboxEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxEntry")
            .field("to", &crate::phone::mask_phone(&self.to))
            .field("purpose", &self.purpose)
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

/// The outbox provider: one JSON line per message in a file only the platform's user can read.
#[derive(Debug, Clone)]
pub struct OutboxProvider {
    path: PathBuf,
    /// Serialises this process's appends (each line is also one `write` in append mode).
    lock: Arc<Mutex<()>>,
}

impl OutboxProvider {
    /// An outbox writing to `path` (created on the first message).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            lock: Arc::new(Mutex::new(())),
        }
    }

    /// The file it writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `message` as one line and flushes it to disk.
    pub fn append(&self, message: &SmsMessage) -> std::io::Result<()> {
        let entry = OutboxEntry {
            to: message.to.clone(),
            text: message.text.clone(),
            code: message.code.clone(),
            purpose: message.purpose.clone(),
            at: message.at,
        };
        let mut line = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let _guard = self
            .lock
            .lock()
            .map_err(|_| std::io::Error::other("outbox lock poisoned"))?;
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&self.path)?;
        file.write_all(&line)?;
        file.sync_data()
    }
}

impl SmsProvider for OutboxProvider {
    fn deliver<'a>(&'a self, message: &'a SmsMessage) -> Delivery<'a> {
        let outbox = self.clone();
        let message = message.clone();
        Box::pin(async move {
            // fsync may take a few ms: keep it off the async workers.
            tokio::task::spawn_blocking(move || outbox.append(&message))
                .await
                .map_err(|e| DeliveryError::Outbox(std::io::Error::other(e.to_string())))?
                .map_err(DeliveryError::Outbox)
        })
    }

    fn name(&self) -> &'static str {
        "outbox"
    }
}

/// Every message in the outbox file at `path`, oldest first (an absent file is empty; lines
/// that are not entries are skipped).
pub fn outbox_entries(path: &Path) -> std::io::Result<Vec<OutboxEntry>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

/// Every message sent to `phone` (any accepted spelling), oldest first.
pub fn outbox_codes(path: &Path, phone: &str) -> std::io::Result<Vec<OutboxEntry>> {
    let wanted = crate::phone::normalise_phone(phone).unwrap_or_else(|| phone.trim().to_owned());
    Ok(outbox_entries(path)?
        .into_iter()
        .filter(|e| e.to == wanted)
        .collect())
}

/// The code of the latest message sent to `phone` (any accepted spelling), if any.
pub fn outbox_latest_code(path: &Path, phone: &str) -> std::io::Result<Option<String>> {
    Ok(outbox_codes(path, phone)?.pop().map(|e| e.code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(to: &str, code: &str, at: i64) -> SmsMessage {
        SmsMessage {
            to: to.into(),
            text: format!("【通办】您的验证码是 {code}"),
            code: code.into(),
            purpose: "register".into(),
            at,
        }
    }

    #[tokio::test]
    async fn the_outbox_appends_private_lines_that_tests_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(OUTBOX_FILE);
        let outbox = OutboxProvider::new(&path);
        assert_eq!(outbox_latest_code(&path, "13800138000").unwrap(), None);
        outbox
            .deliver(&message("13800138000", "111111", 1))
            .await
            .unwrap();
        outbox
            .deliver(&message("+85291234567", "222222", 2))
            .await
            .unwrap();
        outbox
            .deliver(&message("13800138000", "333333", 3))
            .await
            .unwrap();
        assert_eq!(
            outbox_latest_code(&path, "+86 138-0013-8000")
                .unwrap()
                .as_deref(),
            Some("333333"),
            "the latest code to the number, in any spelling"
        );
        assert_eq!(outbox_codes(&path, "13800138000").unwrap().len(), 2);
        assert_eq!(
            outbox_latest_code(&path, "+852 9123 4567")
                .unwrap()
                .as_deref(),
            Some("222222")
        );
        let first: serde_json::Value = serde_json::from_str(
            std::fs::read_to_string(&path)
                .unwrap()
                .lines()
                .next()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            first,
            serde_json::json!({"to": "13800138000", "text": "【通办】您的验证码是 111111",
                "code": "111111", "purpose": "register", "at": 1}),
            "one JSON object per line"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "owner-only");
        }
        let shown = format!("{:?}", message("13800138000", "444444", 4));
        assert!(
            !shown.contains("13800138000") && !shown.contains("444444"),
            "Debug hides the number and the code: {shown}"
        );
    }

    #[tokio::test]
    async fn an_unwritable_outbox_is_a_delivery_failure() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = OutboxProvider::new(dir.path().join("missing-dir").join(OUTBOX_FILE));
        assert!(matches!(
            outbox.deliver(&message("13800138000", "111111", 1)).await,
            Err(DeliveryError::Outbox(_))
        ));
    }
}
