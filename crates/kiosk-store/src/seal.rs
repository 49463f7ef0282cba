//! Sealing payloads and attachments with `age` (X25519 recipients).
//!
//! After submission the kiosk cannot read an application any more: it is encrypted to the
//! platform's recipient, or — before enrolment — to this kiosk's local identity, which
//! [`crate::Store::reseal_to_platform`] later swaps for the platform's recipient.

use std::str::FromStr;

use age::secrecy::ExposeSecret;
use age::x25519::{Identity, Recipient};

use crate::config::{LOCAL_IDENTITY_FILE, StoreConfig};
use crate::{Refusal, StoreError};

/// Who can open a stored body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealing {
    /// A draft: plaintext, protected only by the database key.
    Draft,
    /// Sealed to this kiosk's local identity (not yet enrolled).
    Local,
    /// Sealed to the platform's recipient.
    Platform,
}

impl Sealing {
    /// Name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Local => "local",
            Self::Platform => "platform",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Draft, Self::Local, Self::Platform]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// A platform recipient, parsed from its `age1...` string.
#[derive(Clone)]
pub struct PlatformRecipient(Recipient);

impl std::fmt::Debug for PlatformRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PlatformRecipient({})", self.0)
    }
}

impl PlatformRecipient {
    /// Parses an `age1...` X25519 recipient.
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        Recipient::from_str(text.trim())
            .map(Self)
            .map_err(|_| Refusal::PlatformKeyInvalid.into())
    }

    /// The `age1...` string.
    pub fn as_string(&self) -> String {
        self.0.to_string()
    }
}

/// Encrypts `plaintext` with age to every recipient in `recipients`.
fn encrypt_to<'a>(
    recipients: impl IntoIterator<Item = &'a dyn age::Recipient>,
    plaintext: &[u8],
) -> Result<Vec<u8>, StoreError> {
    use std::io::Write;
    let seal_err = |e: &dyn std::fmt::Display| StoreError::Seal(e.to_string());
    let encryptor =
        age::Encryptor::with_recipients(recipients.into_iter()).map_err(|e| seal_err(&e))?;
    let mut out = Vec::with_capacity(plaintext.len() + 256);
    let mut writer = encryptor.wrap_output(&mut out).map_err(|e| seal_err(&e))?;
    writer.write_all(plaintext).map_err(|e| seal_err(&e))?;
    writer.finish().map_err(|e| seal_err(&e))?;
    Ok(out)
}

/// The sealing keys: the local identity and, once enrolled, the platform recipient.
pub(crate) struct Sealer {
    local: Identity,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    /// Loads the local identity from the key folder, creating it only for a brand-new data
    /// directory (`fresh`: no database, so nothing can be sealed to an older identity).
    ///
    /// A missing identity for an existing database is [`StoreError::KeyMissing`]: a new one
    /// would silently make every application sealed to the old one unreadable.
    pub(crate) fn load_or_create(config: &StoreConfig, fresh: bool) -> Result<Self, StoreError> {
        let vault = config.vault();
        let path = config.local_identity_path();
        if let Some(secret) = vault.load(LOCAL_IDENTITY_FILE)? {
            let text = std::str::from_utf8(&secret).unwrap_or_default();
            let line = text
                .lines()
                .find(|l| l.starts_with("AGE-SECRET-KEY-"))
                .unwrap_or_default();
            let local = Identity::from_str(line).map_err(|_| StoreError::KeyMalformed(path))?;
            return Ok(Self { local });
        }
        if !fresh {
            return Err(StoreError::KeyMissing { key_file: path });
        }
        let local = Identity::generate();
        let text = zeroize::Zeroizing::new(format!(
            "# Tongban kiosk local sealing identity; public key: {}\n{}\n",
            local.to_public(),
            local.to_string().expose_secret()
        ));
        vault.create(
            LOCAL_IDENTITY_FILE,
            config.key_protection()?,
            text.as_bytes(),
        )?;
        Ok(Self { local })
    }

    /// Encrypts to the platform when a recipient is given, else to the local identity.
    ///
    /// A platform seal is made to two recipients, the platform and the local identity, so an
    /// application not yet delivered can be re-sealed to a new platform after a
    /// re-enrolment (the old platform's key may be gone or distrusted).
    pub(crate) fn seal(
        &self,
        platform: Option<&PlatformRecipient>,
        plaintext: &[u8],
    ) -> Result<(Sealing, Vec<u8>), StoreError> {
        let local = self.local.to_public();
        match platform {
            Some(recipient) => {
                let both: [&dyn age::Recipient; 2] = [&recipient.0, &local];
                Ok((Sealing::Platform, encrypt_to(both, plaintext)?))
            }
            None => Ok((Sealing::Local, encrypt_to([&local as _], plaintext)?)),
        }
    }

    /// Opens a body sealed to the local identity.
    pub(crate) fn open_local(&self, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        age::decrypt(&self.local, sealed).map_err(|e| StoreError::Seal(e.to_string()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn local_seal_round_trips_and_platform_seal_is_unreadable_locally() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = StoreConfig::in_data_dir(dir.path());
        config.protection =
            crate::keys::ProtectionSettings::fixed(crate::keys::ProtectionKind::Plain);
        let sealer = Sealer::load_or_create(&config, true).unwrap();
        let (sealing, body) = sealer.seal(None, b"secret payload").unwrap();
        assert_eq!(sealing, Sealing::Local);
        assert!(
            !body.windows(6).any(|w| w == b"secret"),
            "plaintext visible"
        );
        let again = Sealer::load_or_create(&config, false).unwrap();
        assert_eq!(again.open_local(&body).unwrap(), b"secret payload");

        let platform = Identity::generate();
        let recipient = PlatformRecipient::parse(&platform.to_public().to_string()).unwrap();
        let (sealing, body) = sealer.seal(Some(&recipient), b"for the platform").unwrap();
        assert_eq!(sealing, Sealing::Platform);
        assert_eq!(
            sealer.open_local(&body).unwrap(),
            b"for the platform",
            "the kiosk can re-seal an unsent application after a re-enrolment"
        );
        assert_eq!(age::decrypt(&platform, &body).unwrap(), b"for the platform");
        let stranger = Identity::generate();
        assert!(
            age::decrypt(&stranger, &body).is_err(),
            "nobody else can open it"
        );
    }

    #[test]
    fn missing_identity_for_an_existing_database_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = StoreConfig::in_data_dir(dir.path());
        config.protection =
            crate::keys::ProtectionSettings::fixed(crate::keys::ProtectionKind::Plain);
        let err = Sealer::load_or_create(&config, false).unwrap_err();
        assert!(matches!(err, StoreError::KeyMissing { .. }), "{err:?}");
        assert!(
            !config.local_identity_path().exists(),
            "a new identity was written"
        );
        std::fs::create_dir_all(&config.key_dir).unwrap();
        std::fs::write(config.local_identity_path(), "# no key here\n").unwrap();
        let err = Sealer::load_or_create(&config, false).unwrap_err();
        assert!(matches!(err, StoreError::KeyMalformed(_)), "{err:?}");
    }

    #[test]
    fn malformed_recipient_is_refused() {
        let err = PlatformRecipient::parse("age1nope").unwrap_err();
        assert!(matches!(
            err,
            StoreError::Refused(Refusal::PlatformKeyInvalid)
        ));
    }
}
