//! Sealing to a TPM 2.0 with `tpm2-tools`: an ECC primary key in the owner hierarchy
//! (re-derived from the TPM's seed on every use, never stored) is the parent of a sealed
//! data object holding a random 256-bit data key; the secret itself is encrypted with that
//! key (XChaCha20-Poly1305, as the machine credential; a TPM seals at most 128 bytes). The
//! blob on disk is the sealed object's public and private parts and the ciphertext; the
//! private part is encrypted by the parent, so only this TPM can load it.
//!
//! The secret goes in through `tpm2_create`'s stdin and comes back on `tpm2_unseal`'s
//! stdout; only non-secret TPM contexts and the wrapped parts touch a private temp folder.
//! Transient objects are flushed after each step, so a TPM without a resource manager
//! (swtpm in tests) does not fill its three object slots.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::KeyInit;
use zeroize::Zeroizing;

use crate::StoreError;

const MAGIC: &[u8; 4] = b"TBT2";

/// Whether `tpm2_createprimary` can be started.
pub(super) fn tools_installed() -> bool {
    Command::new("tpm2_createprimary")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn unavailable(detail: impl Into<String>) -> StoreError {
    StoreError::KeyProtectionUnavailable {
        kind: "tpm",
        detail: detail.into(),
    }
}

/// Runs one tool with `TPM2TOOLS_TCTI` set, feeding `stdin`; returns its stdout.
fn run(
    tcti: &str,
    tool: &str,
    args: &[&std::ffi::OsStr],
    stdin: Option<&[u8]>,
) -> Result<Zeroizing<Vec<u8>>, String> {
    let mut child = Command::new(tool)
        .args(args)
        .env("TPM2TOOLS_TCTI", tcti)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{tool}: {e} (install tpm2-tools: scripts/bootstrap)"))?;
    if let (Some(data), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(data).map_err(|e| format!("{tool}: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("{tool}: {e}"))?;
    let stdout = Zeroizing::new(output.stdout);
    if output.status.success() {
        Ok(stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().take(3).collect::<Vec<_>>().join(" | ");
        Err(format!("{tool} failed ({}): {last}", output.status))
    }
}

/// Flushes transient objects, unless a resource manager (`/dev/tpmrm0`, tpm2-abrmd) does it
/// when each tool disconnects.
fn flush(tcti: &str) {
    if has_resource_manager(tcti) {
        return;
    }
    let _ = run(tcti, "tpm2_flushcontext", &["-t".as_ref()], None);
}

fn has_resource_manager(tcti: &str) -> bool {
    tcti.starts_with("device:/dev/tpmrm") || tcti.starts_with("tabrmd")
}

/// Creates the primary key in a private temp folder; returns the folder.
fn primary(tcti: &str) -> Result<tempfile::TempDir, StoreError> {
    let work = tempfile::Builder::new()
        .prefix("tongban-tpm-")
        .tempdir()
        .map_err(|e| unavailable(format!("temp folder: {e}")))?;
    flush(tcti);
    let ctx = work.path().join("primary.ctx");
    let result = run(
        tcti,
        "tpm2_createprimary",
        &[
            "-Q".as_ref(),
            "-C".as_ref(),
            "o".as_ref(),
            "-G".as_ref(),
            "ecc".as_ref(),
            "-c".as_ref(),
            ctx.as_os_str(),
        ],
        None,
    );
    flush(tcti);
    result.map_err(unavailable)?;
    Ok(work)
}

fn part(work: &Path, name: &str) -> std::path::PathBuf {
    work.join(name)
}

/// Seals `secret` (named `name`) to the TPM at `tcti`; returns the blob to store.
pub(super) fn seal(tcti: &str, name: &str, secret: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut data_key = Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut data_key[..]).map_err(|e| unavailable(e.to_string()))?;
    let cipher = XChaCha20Poly1305::new_from_slice(&data_key[..])
        .map_err(|_| unavailable("bad data key length"))?;
    let ciphertext = super::credential::encrypt(&cipher, name, secret)
        .ok_or_else(|| unavailable("encryption failed"))?;
    let work = primary(tcti)?;
    let (ctx, public, private) = (
        part(work.path(), "primary.ctx"),
        part(work.path(), "sealed.pub"),
        part(work.path(), "sealed.priv"),
    );
    let result = run(
        tcti,
        "tpm2_create",
        &[
            "-Q".as_ref(),
            "-C".as_ref(),
            ctx.as_os_str(),
            "-i".as_ref(),
            "-".as_ref(),
            "-u".as_ref(),
            public.as_os_str(),
            "-r".as_ref(),
            private.as_os_str(),
        ],
        Some(&data_key[..]),
    );
    flush(tcti);
    result.map_err(unavailable)?;
    let read =
        |p: &Path| std::fs::read(p).map_err(|e| unavailable(format!("{}: {e}", p.display())));
    let (public, private) = (read(&public)?, read(&private)?);
    let mut blob = MAGIC.to_vec();
    for bytes in [&public, &private, &ciphertext] {
        let len = u32::try_from(bytes.len()).map_err(|_| unavailable("TPM blob too large"))?;
        blob.extend_from_slice(&len.to_be_bytes());
        blob.extend_from_slice(bytes);
    }
    Ok(blob)
}

/// Splits a stored blob into its public part, private part and ciphertext.
fn parts(blob: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let mut rest = blob.strip_prefix(MAGIC.as_slice())?;
    let mut take = || -> Option<&[u8]> {
        let (len, tail) = rest.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
        let (bytes, tail) = (tail.get(..len)?, tail.get(len..)?);
        rest = tail;
        Some(bytes)
    };
    let public = take()?;
    let private = take()?;
    let ciphertext = take()?;
    rest.is_empty().then_some((public, private, ciphertext))
}

/// Unseals a blob made by [`seal`] with the TPM at `tcti`; `file` is for the error message.
pub(super) fn unseal(
    tcti: &str,
    name: &str,
    file: &Path,
    blob: &[u8],
) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    let failed = |detail: String| StoreError::KeyUnsealFailed {
        key_file: file.to_path_buf(),
        detail,
    };
    let (public, private, ciphertext) =
        parts(blob).ok_or_else(|| failed("not a TPM blob".into()))?;
    let work = primary(tcti)?;
    let (ctx, pub_path, priv_path, sealed_ctx) = (
        part(work.path(), "primary.ctx"),
        part(work.path(), "sealed.pub"),
        part(work.path(), "sealed.priv"),
        part(work.path(), "sealed.ctx"),
    );
    let write = |p: &Path, b: &[u8]| {
        std::fs::write(p, b).map_err(|e| unavailable(format!("{}: {e}", p.display())))
    };
    write(&pub_path, public)?;
    write(&priv_path, private)?;
    let loaded = run(
        tcti,
        "tpm2_load",
        &[
            "-Q".as_ref(),
            "-C".as_ref(),
            ctx.as_os_str(),
            "-u".as_ref(),
            pub_path.as_os_str(),
            "-r".as_ref(),
            priv_path.as_os_str(),
            "-c".as_ref(),
            sealed_ctx.as_os_str(),
        ],
        None,
    );
    flush(tcti);
    // A blob this TPM cannot load was sealed by another TPM (or this one was cleared).
    loaded.map_err(failed)?;
    let secret = run(
        tcti,
        "tpm2_unseal",
        &["-c".as_ref(), sealed_ctx.as_os_str()],
        None,
    );
    flush(tcti);
    let data_key = secret.map_err(failed)?;
    let cipher = XChaCha20Poly1305::new_from_slice(&data_key)
        .map_err(|_| failed("the sealed data key has the wrong length".into()))?;
    super::credential::decrypt(&cipher, name, ciphertext).map_err(|e| failed(e.into()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn blob_parts_round_trip_and_refuse_garbage() {
        let mut blob = MAGIC.to_vec();
        for part in [&b"pub"[..], &b"private"[..], &b"ct"[..]] {
            blob.extend_from_slice(&u32::try_from(part.len()).unwrap().to_be_bytes());
            blob.extend_from_slice(part);
        }
        assert_eq!(
            parts(&blob),
            Some((&b"pub"[..], &b"private"[..], &b"ct"[..]))
        );
        assert_eq!(parts(&blob[..blob.len() - 1]), None);
        assert_eq!(parts(b"TBT2\xff\xff\xff\xff"), None);
        assert_eq!(parts(b"plain text"), None);
    }

    #[test]
    fn only_a_tpm_without_resource_manager_is_flushed_by_hand() {
        assert!(has_resource_manager("device:/dev/tpmrm0"));
        assert!(has_resource_manager("tabrmd:bus_type=system"));
        assert!(!has_resource_manager("device:/dev/tpm0"));
        assert!(!has_resource_manager("swtpm:host=127.0.0.1,port=2321"));
    }
}
