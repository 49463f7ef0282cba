//! Installing through the root-owned update helper (`crates/update-helper`): the app writes
//! the downloaded package and its signature to a private temp folder and runs
//! `pkexec /usr/libexec/tongban/update-helper <deb> <sig>`. polkit lets the kiosk account run
//! that program and nothing else (`packaging/deb/50-tongban-updates.rules`); the helper checks
//! the signature against its own pinned key, the name, the architecture and the version, and
//! only then runs `dpkg -i`. The helper's refusal (a stable code with zh/en messages) becomes
//! the [`Problem`] shown to the administrator.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use kiosk_api::Problem;
use kiosk_api::update;

/// Where the package installs the helper.
pub const UPDATE_HELPER: &str = "/usr/libexec/tongban/update-helper";
/// How the helper is started with root rights.
pub const PKEXEC: &str = "/usr/bin/pkexec";

/// Runs the helper on `package` (bytes already verified by the updater plugin) and its
/// Tauri signature text.
pub fn install_with_helper(package: &[u8], signature: &str) -> Result<String, Problem> {
    let work = tempfile::Builder::new()
        .prefix("tongban-update-")
        .tempdir()
        .map_err(|e| update::install_failed(&format!("temp folder: {e}")))?;
    let deb = work.path().join("package.deb");
    let sig = work.path().join("package.deb.sig");
    write(&deb, package)?;
    write(&sig, signature.as_bytes())?;
    let output = Command::new(PKEXEC)
        .arg(UPDATE_HELPER)
        .arg(&deb)
        .arg(&sig)
        .output()
        .map_err(|e| update::install_failed(&format!("{PKEXEC}: {e}")))?;
    answer(output.status.code(), &output.stdout, &output.stderr)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Problem> {
    let mut file = std::fs::File::create(path)
        .map_err(|e| update::install_failed(&format!("{}: {e}", path.display())))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| update::install_failed(&format!("{}: {e}", path.display())))
}

/// Reads the helper's answer: the installed version, or its refusal as a [`Problem`].
pub(crate) fn answer(code: Option<i32>, stdout: &[u8], stderr: &[u8]) -> Result<String, Problem> {
    let json: Option<serde_json::Value> = serde_json::from_slice(stdout).ok();
    let field = |name: &str| {
        json.as_ref()
            .and_then(|j| j.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    match (code, field("installed"), field("code")) {
        (Some(0), Some(version), _) => Ok(version),
        (_, _, Some(refusal)) => Err(Problem::new(
            refusal,
            field("zh").unwrap_or_default(),
            field("en").unwrap_or_default(),
        )),
        // pkexec: 126 = not authorised / dismissed, 127 = helper missing or pkexec failed.
        (Some(126), ..) => Err(update::install_failed(
            "polkit did not allow the update helper (is the kiosk account in group tongban?)",
        )),
        _ => Err(update::install_failed(&format!(
            "{UPDATE_HELPER} ({}): {}",
            code.map_or_else(|| "killed".to_owned(), |c| format!("exit {c}")),
            String::from_utf8_lossy(stderr).trim()
        ))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_helpers_answers_become_versions_or_problems() {
        assert_eq!(
            answer(Some(0), br#"{"installed":"0.4.0","previous":"0.3.0"}"#, b"").unwrap(),
            "0.4.0"
        );
        let refused = answer(
            Some(2),
            br#"{"code":"UPDATE_NOT_NEWER","zh":"\u7248\u672c","en":"not newer"}"#,
            b"",
        )
        .unwrap_err();
        assert_eq!(refused.code, "UPDATE_NOT_NEWER");
        assert_eq!(refused.en, "not newer");
        assert!(
            answer(Some(126), b"", b"")
                .unwrap_err()
                .en
                .contains("polkit")
        );
        let missing = answer(Some(127), b"", b"cannot run program").unwrap_err();
        assert_eq!(missing.code, "UPDATE_INSTALL_FAILED");
        assert!(missing.en.contains("cannot run program"));
        // A success exit without the JSON is not taken as installed.
        assert_eq!(
            answer(Some(0), b"", b"").unwrap_err().code,
            "UPDATE_INSTALL_FAILED"
        );
    }
}
