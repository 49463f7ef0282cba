//! The package tools the helper runs (absolute paths, a clean environment).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Refusal;

/// Where `dpkg`, `dpkg-query` and `dpkg-deb` are.
#[derive(Debug, Clone)]
pub struct Tools {
    dpkg: PathBuf,
    dpkg_query: PathBuf,
    dpkg_deb: PathBuf,
}

/// A package's control fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// `Package`.
    pub name: String,
    /// `Version`.
    pub version: String,
    /// `Architecture`.
    pub architecture: String,
}

impl Tools {
    /// The system's tools in `/usr/bin`. Debug builds let tests replace `dpkg` and
    /// `dpkg-query` with the ones in `TONGBAN_UPDATE_HELPER_TEST_TOOLS`.
    pub fn system() -> Self {
        let tools = Self {
            dpkg: "/usr/bin/dpkg".into(),
            dpkg_query: "/usr/bin/dpkg-query".into(),
            dpkg_deb: "/usr/bin/dpkg-deb".into(),
        };
        #[cfg(debug_assertions)]
        if let Some(dir) = std::env::var_os("TONGBAN_UPDATE_HELPER_TEST_TOOLS") {
            let dir = PathBuf::from(dir);
            return Self {
                dpkg: dir.join("dpkg"),
                dpkg_query: dir.join("dpkg-query"),
                ..tools
            };
        }
        tools
    }

    fn run(
        &self,
        program: &Path,
        args: &[&std::ffi::OsStr],
    ) -> Result<std::process::Output, Refusal> {
        Command::new(program)
            .args(args)
            .env_clear()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .env("LC_ALL", "C")
            .output()
            .map_err(|e| Refusal::Broken(format!("{}: {e}", program.display())))
    }

    fn stdout(&self, program: &Path, args: &[&std::ffi::OsStr]) -> Result<String, Refusal> {
        let output = self.run(program, args)?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        } else {
            Err(Refusal::Broken(format!(
                "{} failed: {}",
                program.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            )))
        }
    }

    /// The package's name, version and architecture (`dpkg-deb --field`).
    pub fn package_fields(&self, deb: &Path) -> Result<Fields, Refusal> {
        let field = |name: &str| -> Result<String, Refusal> {
            let output = self.run(
                &self.dpkg_deb,
                &["--field".as_ref(), deb.as_os_str(), name.as_ref()],
            )?;
            let value = String::from_utf8_lossy(&output.stdout).trim().to_owned();
            if output.status.success() && !value.is_empty() {
                Ok(value)
            } else {
                Err(Refusal::NotAPackage(format!(
                    "no {name}: {}",
                    String::from_utf8_lossy(&output.stderr).trim()
                )))
            }
        };
        Ok(Fields {
            name: field("Package")?,
            version: field("Version")?,
            architecture: field("Architecture")?,
        })
    }

    /// This machine's architecture (`dpkg --print-architecture`).
    pub fn architecture(&self) -> Result<String, Refusal> {
        self.stdout(&self.dpkg, &["--print-architecture".as_ref()])
    }

    /// The installed version of `tongban`.
    pub fn installed_version(&self) -> Result<String, Refusal> {
        let version = self.stdout(
            &self.dpkg_query,
            &[
                "-W".as_ref(),
                "-f=${Version}".as_ref(),
                crate::PACKAGE.as_ref(),
            ],
        )?;
        if version.is_empty() {
            return Err(Refusal::Broken("tongban is not installed".into()));
        }
        Ok(version)
    }

    /// Whether `candidate` is newer than `installed` (`dpkg --compare-versions`).
    pub fn is_newer(&self, candidate: &str, installed: &str) -> Result<bool, Refusal> {
        let output = self.run(
            &self.dpkg,
            &[
                "--compare-versions".as_ref(),
                candidate.as_ref(),
                "gt".as_ref(),
                installed.as_ref(),
            ],
        )?;
        match output.status.code() {
            Some(0) => Ok(true),
            Some(1) => Ok(false),
            _ => Err(Refusal::NotAPackage(format!(
                "version {candidate} cannot be compared"
            ))),
        }
    }

    /// Installs the package (`dpkg -i`).
    pub fn dpkg_install(&self, deb: &Path) -> Result<(), Refusal> {
        let output = self.run(&self.dpkg, &["-i".as_ref(), deb.as_os_str()])?;
        if output.status.success() {
            Ok(())
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            Err(Refusal::InstallFailed(
                stderr.lines().rev().take(3).collect::<Vec<_>>().join(" | "),
            ))
        }
    }
}
