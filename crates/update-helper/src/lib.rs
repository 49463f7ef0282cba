//! The kiosk's update helper: the only program polkit lets the kiosk account run as root
//! (`pkexec /usr/libexec/tongban/update-helper <package.deb> <package.deb.sig>`).
//!
//! It installs the package only if, in this order:
//! 1. the minisign signature verifies against the **pinned** release public key (compiled in
//!    from `tauri.conf.json`'s `plugins.updater.pubkey`; never from an argument or the
//!    environment), and the version in the signature's trusted comment is the package's;
//! 2. the package is named `tongban`;
//! 3. its architecture is this machine's (`dpkg --print-architecture`, or `all`);
//! 4. its version is newer than the installed one (`dpkg-query`, `dpkg --compare-versions`).
//!
//! The package is read once into memory, verified, and written to a private root-owned
//! folder; the fields are read from and `dpkg -i` runs on that copy, so the file the caller
//! controls cannot be swapped between the check and the install.
//!
//! Debug builds only (`debug_assertions`): tests may replace the pinned key
//! (`TONGBAN_UPDATE_HELPER_TEST_PUBKEY`) and `dpkg` / `dpkg-query`
//! (`TONGBAN_UPDATE_HELPER_TEST_TOOLS`, a folder). Release builds do not contain that code.
//!
//! May import: nothing (it runs as root: the fewer crates, the less to trust).
#![deny(missing_docs)]

mod refusal;
mod signature;
mod system;

use std::path::Path;

pub use refusal::Refusal;
pub use signature::{PinnedKey, signed_version};
pub use system::{Fields, Tools};

/// The only package the helper installs.
pub const PACKAGE: &str = "tongban";
/// Largest package accepted (bytes).
pub const MAX_PACKAGE_BYTES: u64 = 512 * 1024 * 1024;
/// Largest signature file accepted (bytes).
pub const MAX_SIGNATURE_BYTES: u64 = 64 * 1024;

/// What was installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// The version now installed.
    pub version: String,
    /// The version it replaced.
    pub previous: String,
}

fn read_capped(path: &Path, cap: u64, missing: Refusal) -> Result<Vec<u8>, Refusal> {
    use std::io::Read;
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing),
        Err(e) => return Err(Refusal::Unreadable(format!("{}: {e}", path.display()))),
    };
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Refusal::Unreadable(format!("{}: {e}", path.display())))?;
    if bytes.len() as u64 > cap {
        return Err(Refusal::Unreadable(format!(
            "{} is too large",
            path.display()
        )));
    }
    Ok(bytes)
}

/// Checks the package at `package` with its signature at `signature` and installs it.
pub fn install(
    key: &PinnedKey,
    tools: &Tools,
    package: &Path,
    signature: &Path,
) -> Result<Installed, Refusal> {
    let signature_text = read_capped(signature, MAX_SIGNATURE_BYTES, Refusal::SignatureMissing)?;
    if signature_text.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal::SignatureMissing);
    }
    let bytes = read_capped(
        package,
        MAX_PACKAGE_BYTES,
        Refusal::Unreadable(format!("{} does not exist", package.display())),
    )?;
    let signed = key.verify(&bytes, &signature_text)?;

    // From here on only the verified bytes are used, from a private copy.
    let work = tempfile::Builder::new()
        .prefix("tongban-update-")
        .tempdir()
        .map_err(|e| Refusal::Unreadable(format!("private folder: {e}")))?;
    let copy = work.path().join("tongban.deb");
    std::fs::write(&copy, &bytes)
        .map_err(|e| Refusal::Unreadable(format!("{}: {e}", copy.display())))?;

    let fields = tools.package_fields(&copy)?;
    if fields.version != signed {
        return Err(Refusal::SignedVersionMismatch {
            signed,
            package: fields.version,
        });
    }
    if fields.name != PACKAGE {
        return Err(Refusal::NotTongban(fields.name));
    }
    let machine = tools.architecture()?;
    if fields.architecture != machine && fields.architecture != "all" {
        return Err(Refusal::WrongArchitecture {
            package: fields.architecture,
            machine,
        });
    }
    let previous = tools.installed_version()?;
    if !tools.is_newer(&fields.version, &previous)? {
        return Err(Refusal::NotNewer {
            package: fields.version,
            installed: previous,
        });
    }
    tools.dpkg_install(&copy)?;
    Ok(Installed {
        version: fields.version,
        previous,
    })
}
