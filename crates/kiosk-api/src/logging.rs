//! The kiosk's log: the `log` facade written to `<data_dir>/logs/<stem>.log`, rotated by size.
//!
//! The app logs to `tongban.log`, `kioskctl` to `kioskctl.log`. When the current file would
//! grow past [`LogConfig::max_bytes`] it becomes `<stem>.log.1` (older files shift up) and only
//! [`LogConfig::keep`] rotated files stay. Code never logs personal data; as a second line of
//! defence every line is passed through [`redact`], which blanks anything shaped like a
//! resident ID number or a mainland mobile number.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kiosk_core::Problem;
use log::{LevelFilter, Log, Metadata, Record};

mod error;

pub use error::LogError;

/// Name of the log folder inside the data directory.
pub const LOG_FOLDER: &str = "logs";
/// Default size at which a log file is rotated (1 MiB).
pub const DEFAULT_MAX_BYTES: u64 = 1024 * 1024;
/// Default number of rotated files kept besides the current one.
pub const DEFAULT_KEEP: usize = 5;
/// What replaces an ID number or a phone number found in a log line.
pub const REDACTED: &str = "[redacted]";

/// The log folder of a data directory.
pub fn logs_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(LOG_FOLDER)
}

/// Where and how much to log.
#[derive(Debug, Clone)]
pub struct LogConfig {
    /// Folder of the log files.
    pub dir: PathBuf,
    /// File name without `.log`: `tongban` or `kioskctl`.
    pub stem: String,
    /// Size at which the current file is rotated.
    pub max_bytes: u64,
    /// Rotated files kept.
    pub keep: usize,
    /// Most verbose level written to the file.
    pub file_level: LevelFilter,
    /// Most verbose level also echoed on stderr (`Off` for none).
    pub stderr_level: LevelFilter,
}

impl LogConfig {
    /// The defaults for program `stem` in `data_dir`; the file level comes from `RUST_LOG`
    /// when it is a plain level name (`debug`, `info`, ...), else `info`.
    pub fn in_data_dir(data_dir: &Path, stem: &str, stderr_level: LevelFilter) -> Self {
        let file_level = std::env::var("RUST_LOG")
            .ok()
            .and_then(|v| v.trim().parse::<LevelFilter>().ok())
            .unwrap_or(LevelFilter::Info);
        Self {
            dir: logs_dir(data_dir),
            stem: stem.to_owned(),
            max_bytes: DEFAULT_MAX_BYTES,
            keep: DEFAULT_KEEP,
            file_level,
            stderr_level,
        }
    }

    fn current(&self) -> PathBuf {
        self.dir.join(format!("{}.log", self.stem))
    }

    fn rotated(&self, n: usize) -> PathBuf {
        self.dir.join(format!("{}.log.{n}", self.stem))
    }
}

fn log_problem(dir: &Path, error: &std::io::Error) -> Problem {
    LogError::DirUnwritable {
        dir: dir.to_path_buf(),
        reason: error.to_string(),
    }
    .into()
}

/// A size-rotated log file.
#[derive(Debug)]
pub struct RotatingFile {
    config: LogConfig,
    open: Mutex<(File, u64)>,
}

impl RotatingFile {
    /// Opens (appending) the current log file, creating the folder.
    pub fn open(config: LogConfig) -> Result<Self, Problem> {
        std::fs::create_dir_all(&config.dir).map_err(|e| log_problem(&config.dir, &e))?;
        let file = Self::append(&config.current()).map_err(|e| log_problem(&config.dir, &e))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(Self {
            config,
            open: Mutex::new((file, size)),
        })
    }

    fn append(path: &Path) -> std::io::Result<File> {
        OpenOptions::new().create(true).append(true).open(path)
    }

    /// Appends one line (a newline is added), rotating first when it would not fit.
    pub fn write_line(&self, line: &str) -> std::io::Result<()> {
        let Ok(mut open) = self.open.lock() else {
            return Err(std::io::Error::other("log lock poisoned"));
        };
        let len = u64::try_from(line.len())
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        if open.1 > 0 && open.1.saturating_add(len) > self.config.max_bytes {
            self.rotate()?;
            *open = (Self::append(&self.config.current())?, 0);
        }
        open.0.write_all(line.as_bytes())?;
        open.0.write_all(b"\n")?;
        open.1 = open.1.saturating_add(len);
        Ok(())
    }

    /// `<stem>.log` → `.log.1` → ... → `.log.<keep>`; the oldest beyond `keep` is deleted.
    fn rotate(&self) -> std::io::Result<()> {
        let keep = self.config.keep;
        if keep == 0 {
            return std::fs::remove_file(self.config.current());
        }
        let _ = std::fs::remove_file(self.config.rotated(keep));
        for n in (1..keep).rev() {
            let from = self.config.rotated(n);
            if from.exists() {
                std::fs::rename(&from, self.config.rotated(n + 1))?;
            }
        }
        std::fs::rename(self.config.current(), self.config.rotated(1))
    }
}

/// The global logger: file plus optional stderr echo.
#[derive(Debug)]
struct KioskLogger {
    file: RotatingFile,
    file_level: LevelFilter,
    stderr_level: LevelFilter,
}

impl Log for KioskLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= self.file_level || metadata.level() <= self.stderr_level
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let line = redact(&format!(
            "{} {:<5} {}: {}",
            utc_timestamp(std::time::SystemTime::now()),
            record.level(),
            record.target(),
            record.args()
        ));
        if record.level() <= self.file_level {
            let _ = self.file.write_line(&line);
        }
        if record.level() <= self.stderr_level {
            eprintln!("{line}");
        }
    }

    fn flush(&self) {
        if let Ok(mut open) = self.file.open.lock() {
            let _ = open.0.flush();
        }
    }
}

/// Installs a logger that writes redacted lines to stderr only, at `level`: for a program that
/// has no data directory to log into. A second call keeps the first logger.
pub fn init_stderr(level: LevelFilter) {
    /// Lines go to stderr only, redacted like the file's.
    #[derive(Debug)]
    struct StderrLogger(LevelFilter);
    impl Log for StderrLogger {
        fn enabled(&self, metadata: &Metadata<'_>) -> bool {
            metadata.level() <= self.0
        }
        fn log(&self, record: &Record<'_>) {
            if self.enabled(record.metadata()) {
                eprintln!(
                    "{}",
                    redact(&format!(
                        "{} {:<5} {}: {}",
                        utc_timestamp(std::time::SystemTime::now()),
                        record.level(),
                        record.target(),
                        record.args()
                    ))
                );
            }
        }
        fn flush(&self) {}
    }
    if log::set_boxed_logger(Box::new(StderrLogger(level))).is_ok() {
        log::set_max_level(level);
    }
}

/// Installs the rotating file logger as the `log` facade's logger. A second call in the same
/// process keeps the first logger and succeeds.
pub fn init(config: LogConfig) -> Result<(), Problem> {
    let max = config.file_level.max(config.stderr_level);
    let logger = KioskLogger {
        file_level: config.file_level,
        stderr_level: config.stderr_level,
        file: RotatingFile::open(config)?,
    };
    if log::set_boxed_logger(Box::new(logger)).is_ok() {
        log::set_max_level(max);
    }
    Ok(())
}

/// Blanks runs of digits shaped like a resident ID number (17 digits and a digit or `X`, or a
/// first-generation 15-digit one) or a mainland mobile number (11 digits starting with 1).
/// Longer or shorter runs (timestamps, sizes) are kept.
pub fn redact(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < bytes.len() {
        let starts_run = bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit());
        if starts_run {
            let mut end = i;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
            let digits = end - i;
            let id_with_x = digits == 17 && end < bytes.len() && matches!(bytes[end], b'X' | b'x');
            let followed_by_alnum =
                |at: usize| at < bytes.len() && bytes[at].is_ascii_alphanumeric();
            if id_with_x && !followed_by_alnum(end + 1) {
                out.push_str(REDACTED);
                i = end + 1;
                continue;
            }
            let phone = digits == 11 && bytes[i] == b'1';
            // 15 digits: a first-generation ID number, still on some old records.
            if (digits == 18 || digits == 15 || phone) && !followed_by_alnum(end) {
                out.push_str(REDACTED);
                i = end;
                continue;
            }
            out.push_str(&line[i..end]);
            i = end;
            continue;
        }
        // Copy one UTF-8 character.
        let width = line[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&line[i..i + width]);
        i += width;
    }
    out
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for a system time (UTC).
pub fn utc_timestamp(at: std::time::SystemTime) -> String {
    let ms = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    china_clock::china::utc_log_stamp(ms)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn config(dir: &Path, max_bytes: u64, keep: usize) -> LogConfig {
        LogConfig {
            dir: dir.to_path_buf(),
            stem: "test".into(),
            max_bytes,
            keep,
            file_level: LevelFilter::Info,
            stderr_level: LevelFilter::Off,
        }
    }

    #[test]
    fn files_rotate_at_the_size_limit_and_only_keep_are_left() {
        let dir = tempfile::tempdir().unwrap();
        let log = RotatingFile::open(config(dir.path(), 100, 2)).unwrap();
        for n in 0..40 {
            log.write_line(&format!("line {n:03} padding padding"))
                .unwrap();
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["test.log", "test.log.1", "test.log.2"], "keep 2");
        for name in &names {
            let size = std::fs::metadata(dir.path().join(name)).unwrap().len();
            assert!(size <= 100, "{name} is {size} bytes, over the limit");
        }
        let newest = std::fs::read_to_string(dir.path().join("test.log")).unwrap();
        assert!(
            newest.contains("line 039"),
            "the last line is in the current file"
        );
        let older = std::fs::read_to_string(dir.path().join("test.log.1")).unwrap();
        assert!(
            !older.contains("line 039"),
            "rotated files hold older lines"
        );
    }

    #[test]
    fn reopening_appends_to_the_current_file() {
        let dir = tempfile::tempdir().unwrap();
        RotatingFile::open(config(dir.path(), 1000, 2))
            .unwrap()
            .write_line("first")
            .unwrap();
        RotatingFile::open(config(dir.path(), 1000, 2))
            .unwrap()
            .write_line("second")
            .unwrap();
        let text = std::fs::read_to_string(dir.path().join("test.log")).unwrap();
        assert_eq!(text, "first\nsecond\n");
    }

    #[test]
    fn id_numbers_and_mobile_numbers_are_blanked_but_timestamps_kept() {
        let line = "id 12010119820915573X and 120101198209155739, old id 120101820915573, phone 13920200003; ts 1763900000000 n=42";
        let redacted = redact(line);
        assert!(!redacted.contains("1201011982091557"), "{redacted}");
        assert!(!redacted.contains("13920200003"), "{redacted}");
        assert!(
            redacted.contains("1763900000000"),
            "13-digit timestamp kept: {redacted}"
        );
        assert!(redacted.contains("n=42"), "{redacted}");
        assert!(!redacted.contains("120101820915573"), "{redacted}");
        assert_eq!(redacted.matches(REDACTED).count(), 4, "{redacted}");
        assert_eq!(
            redact("通办 ok 中文"),
            "通办 ok 中文",
            "non-ASCII text untouched"
        );
    }

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_709_251_199_250);
        assert_eq!(utc_timestamp(at), "2024-02-29T23:59:59.250Z");
        assert_eq!(
            utc_timestamp(std::time::UNIX_EPOCH),
            "1970-01-01T00:00:00.000Z"
        );
    }
}
