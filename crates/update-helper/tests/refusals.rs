//! The helper binary itself refuses a tampered, an unsigned, a foreign-key, an older, a
//! same-version, a foreign-architecture and a non-tongban package, and installs a good one.
//! Real `.deb` files are built with `dpkg-deb`; `dpkg` and `dpkg-query` are replaced (debug
//! builds only) by scripts that report an installed version and record `dpkg -i` instead of
//! installing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;

const HELPER: &str = env!("CARGO_BIN_EXE_tongban-update-helper");
const INSTALLED: &str = "0.3.0";

fn b64(text: String) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

struct Key(minisign::KeyPair);

impl Key {
    fn new() -> Self {
        Self(minisign::KeyPair::generate_unencrypted_keypair().unwrap())
    }
    fn tauri_pubkey(&self) -> String {
        b64(self.0.pk.to_box().unwrap().into_string())
    }
    /// The `.sig` the Tauri CLI writes (base64 of the minisign signature).
    fn sign(&self, bytes: &[u8], version: &str) -> String {
        let trusted =
            format!("timestamp:1763856000\tfile:tongban_{version}_amd64.deb\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.0.pk),
            &self.0.sk,
            Cursor::new(bytes),
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        b64(signature.to_string())
    }
}

struct Bench {
    dir: tempfile::TempDir,
    key: Key,
}

fn write_exec(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

impl Bench {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let tools = dir.path().join("tools");
        std::fs::create_dir_all(&tools).unwrap();
        let record = dir.path().join("installed.deb");
        write_exec(
            &tools.join("dpkg"),
            &format!(
                "#!/bin/sh\ncase \"$1\" in\n  --print-architecture) echo amd64 ;;\n  --compare-versions) exec /usr/bin/dpkg \"$@\" ;;\n  -i) cp \"$2\" '{}' ;;\n  *) exit 9 ;;\nesac\n",
                record.display()
            ),
        );
        write_exec(
            &tools.join("dpkg-query"),
            &format!("#!/bin/sh\nprintf '%s' '{INSTALLED}'\n"),
        );
        Self {
            dir,
            key: Key::new(),
        }
    }

    /// A real package built with dpkg-deb.
    fn deb(&self, name: &str, version: &str, arch: &str) -> PathBuf {
        let root = self.dir.path().join(format!("pkg-{name}-{version}-{arch}"));
        std::fs::create_dir_all(root.join("DEBIAN")).unwrap();
        std::fs::create_dir_all(root.join("usr/share/doc/tongban-test")).unwrap();
        std::fs::write(
            root.join("DEBIAN/control"),
            format!(
                "Package: {name}\nVersion: {version}\nArchitecture: {arch}\nMaintainer: Test <t@example.invalid>\nDescription: test package\n"
            ),
        )
        .unwrap();
        std::fs::write(root.join("usr/share/doc/tongban-test/README"), version).unwrap();
        let out = self.dir.path().join(format!("{name}_{version}_{arch}.deb"));
        let status = Command::new("dpkg-deb")
            .args(["--root-owner-group", "-Zgzip", "--build"])
            .arg(&root)
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("dpkg-deb (Debian package dpkg) is needed");
        assert!(status.success());
        out
    }

    fn sig(&self, deb: &Path, text: &str) -> PathBuf {
        let path = deb.with_extension("deb.sig");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn signed(&self, deb: &Path, version: &str) -> PathBuf {
        let bytes = std::fs::read(deb).unwrap();
        self.sig(deb, &self.key.sign(&bytes, version))
    }

    fn run(&self, deb: &Path, sig: &Path) -> (i32, serde_json::Value) {
        let _ = std::fs::remove_file(self.record());
        let output = Command::new(HELPER)
            .arg(deb)
            .arg(sig)
            .env("TONGBAN_UPDATE_HELPER_TEST_PUBKEY", self.key.tauri_pubkey())
            .env(
                "TONGBAN_UPDATE_HELPER_TEST_TOOLS",
                self.dir.path().join("tools"),
            )
            .output()
            .unwrap();
        let json = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
        (output.status.code().unwrap(), json)
    }

    fn record(&self) -> PathBuf {
        self.dir.path().join("installed.deb")
    }

    fn assert_refused(&self, deb: &Path, sig: &Path, code: &str) {
        let (status, json) = self.run(deb, sig);
        assert_eq!(json["code"], code, "{json}");
        assert_eq!(status, 2, "{json}");
        assert!(
            !json["zh"].as_str().unwrap().is_empty() && !json["en"].as_str().unwrap().is_empty()
        );
        assert!(
            !self.record().exists(),
            "dpkg -i ran for a refused package ({code})"
        );
    }
}

#[test]
fn a_signed_newer_package_for_this_machine_is_installed() {
    let bench = Bench::new();
    let deb = bench.deb("tongban", "0.4.0", "amd64");
    let sig = bench.signed(&deb, "0.4.0");
    let (status, json) = bench.run(&deb, &sig);
    assert_eq!(status, 0, "{json}");
    assert_eq!(json["installed"], "0.4.0");
    assert_eq!(json["previous"], INSTALLED);
    assert_eq!(
        std::fs::read(bench.record()).unwrap(),
        std::fs::read(&deb).unwrap()
    );
}

#[test]
fn a_tampered_package_is_refused() {
    let bench = Bench::new();
    let deb = bench.deb("tongban", "0.4.0", "amd64");
    let sig = bench.signed(&deb, "0.4.0");
    let mut bytes = std::fs::read(&deb).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&deb, bytes).unwrap();
    bench.assert_refused(&deb, &sig, "UPDATE_SIGNATURE_INVALID");
}

#[test]
fn an_unsigned_package_is_refused() {
    let bench = Bench::new();
    let deb = bench.deb("tongban", "0.4.0", "amd64");
    bench.assert_refused(
        &deb,
        &deb.with_extension("nothing"),
        "UPDATE_SIGNATURE_MISSING",
    );
    let empty = bench.sig(&deb, "\n");
    bench.assert_refused(&deb, &empty, "UPDATE_SIGNATURE_MISSING");
}

#[test]
fn a_package_signed_with_another_key_is_refused() {
    let bench = Bench::new();
    let deb = bench.deb("tongban", "0.4.0", "amd64");
    let intruder = Key::new();
    let sig = bench.sig(&deb, &intruder.sign(&std::fs::read(&deb).unwrap(), "0.4.0"));
    bench.assert_refused(&deb, &sig, "UPDATE_SIGNATURE_INVALID");
}

#[test]
fn an_older_or_same_version_is_refused() {
    let bench = Bench::new();
    for version in ["0.2.9", INSTALLED] {
        let deb = bench.deb("tongban", version, "amd64");
        let sig = bench.signed(&deb, version);
        bench.assert_refused(&deb, &sig, "UPDATE_NOT_NEWER");
    }
}

#[test]
fn a_foreign_architecture_is_refused() {
    let bench = Bench::new();
    let deb = bench.deb("tongban", "0.4.0", "arm64");
    let sig = bench.signed(&deb, "0.4.0");
    bench.assert_refused(&deb, &sig, "UPDATE_WRONG_ARCHITECTURE");
}

#[test]
fn another_package_or_a_signature_for_another_version_is_refused() {
    let bench = Bench::new();
    let deb = bench.deb("bash", "99.0", "amd64");
    let sig = bench.signed(&deb, "99.0");
    bench.assert_refused(&deb, &sig, "UPDATE_NOT_TONGBAN");
    let deb = bench.deb("tongban", "0.4.0", "amd64");
    let sig = bench.signed(&deb, "0.5.0");
    bench.assert_refused(&deb, &sig, "UPDATE_SIGNED_VERSION_MISMATCH");
}

#[test]
fn wrong_arguments_are_refused() {
    let output = Command::new(HELPER).arg("only-one").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stdout).contains("UPDATE_HELPER_USAGE"));
}
