//! Command-line arguments of the app.

use std::path::PathBuf;

/// What the app accepts on its command line.
#[derive(Debug, Default)]
pub struct Args {
    /// `--data-dir DIR`; falls back to `KIOSK_DATA_DIR`, then the user's data directory.
    pub data_dir: Option<PathBuf>,
    /// `--kiosk`: lock the window down even in a debug build (release builds always are).
    pub kiosk: bool,
    /// `--version`: print the version and exit (no window).
    pub version: bool,
    /// `--check`: open the data directory, print the health report as JSON and exit (no
    /// window); exit 1 when the database does not answer. Used by the package test.
    pub check: bool,
    /// `--mock-camera` (development builds only): WebKit's simulated camera instead of real
    /// devices, for the end-to-end tests. A release build refuses the flag.
    pub mock_camera: bool,
}

/// The usage line.
pub const USAGE: &str = "usage: tongban [--data-dir DIR] [--kiosk] [--check] [--version] [--mock-camera (development builds)]\n       tongban ctl COMMAND …   (the command line, same as kioskctl)";

impl Args {
    /// Parses `std::env::args_os()`, printing usage and exiting with 2 on bad arguments.
    pub fn parse_or_exit() -> Self {
        match Self::parse(std::env::args_os().skip(1)) {
            Ok(args) => args,
            Err(message) => {
                eprintln!("{message}");
                eprintln!("{USAGE}");
                std::process::exit(2);
            }
        }
    }

    fn parse(mut raw: impl Iterator<Item = std::ffi::OsString>) -> Result<Self, String> {
        let mut args = Self::default();
        while let Some(arg) = raw.next() {
            match arg.to_str() {
                Some("--data-dir") => {
                    let dir = raw
                        .next()
                        .ok_or("--data-dir needs a directory / 缺少目录")?;
                    args.data_dir = Some(PathBuf::from(dir));
                }
                Some("--kiosk") => args.kiosk = true,
                Some("--version" | "-V") => args.version = true,
                Some("--check") => args.check = true,
                Some("--mock-camera") if cfg!(debug_assertions) => args.mock_camera = true,
                Some("--mock-camera") => {
                    return Err(
                        "--mock-camera is for development builds only / 模拟摄像头仅用于开发版本"
                            .into(),
                    );
                }
                Some(other) if other.starts_with("--data-dir=") => {
                    args.data_dir = Some(PathBuf::from(&other["--data-dir=".len()..]));
                }
                _ => {
                    return Err(format!(
                        "unknown argument / 未知参数: {}",
                        arg.to_string_lossy()
                    ));
                }
            }
        }
        Ok(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(list: &[&str]) -> Result<Args, String> {
        Args::parse(list.iter().map(Into::into))
    }

    #[test]
    fn data_dir_in_both_spellings() {
        assert_eq!(
            parse(&["--data-dir", "/x"]).unwrap().data_dir,
            Some("/x".into())
        );
        assert_eq!(
            parse(&["--data-dir=/y"]).unwrap().data_dir,
            Some("/y".into())
        );
        assert_eq!(parse(&[]).unwrap().data_dir, None);
    }

    #[test]
    fn flags_for_kiosk_mode_version_and_headless_check() {
        let args = parse(&["--kiosk", "--check", "--data-dir", "/d"]).unwrap();
        assert!(args.kiosk && args.check && !args.version, "{args:?}");
        assert!(parse(&["--version"]).unwrap().version);
        assert!(!parse(&[]).unwrap().kiosk, "no lockdown flag by default");
    }

    #[test]
    fn the_simulated_camera_is_a_development_switch_never_a_default() {
        assert!(!parse(&[]).unwrap().mock_camera, "real cameras by default");
        let parsed = parse(&["--mock-camera"]);
        if cfg!(debug_assertions) {
            assert!(
                parsed.unwrap().mock_camera,
                "development builds take the switch"
            );
        } else {
            assert!(parsed.is_err(), "release builds refuse it");
        }
    }

    #[test]
    fn unknown_or_incomplete_arguments_are_refused() {
        assert!(parse(&["--data-dir"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }
}
