//! Page 1 of a PDF as a small PNG, rendered by poppler's `pdftoppm` (Debian `poppler-utils`)
//! in a child process that cannot hurt the kiosk:
//!
//! - limits set by util-linux's `prlimit` before `pdftoppm` starts: address space
//!   ([`PreviewConfig::max_address_space`]), CPU seconds, open files, no core dumps;
//! - a wall-clock deadline ([`PreviewConfig::timeout`]): the child is killed when it passes;
//! - the PDF goes in on stdin and the PNG comes out on stdout (nothing of the visitor's is
//!   written to disk), read through a cap ([`PreviewConfig::max_output_bytes`]);
//! - an empty environment (only `PATH`), stderr discarded. poppler opens no network
//!   connections; the kiosk's lockdown denies the session network apart from the platform.
//!
//! `pdfinfo` runs the same way for the page count. A preview that fails is not a refusal:
//! the caller stores the file and shows an icon.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kiosk_core::problem::UserFacing;

/// How previews are made and bounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewConfig {
    /// `pdftoppm`.
    pub pdftoppm: PathBuf,
    /// `pdfinfo`.
    pub pdfinfo: PathBuf,
    /// util-linux `prlimit`, which sets the limits and runs the tool.
    pub prlimit: PathBuf,
    /// Wall-clock limit per tool run.
    pub timeout: Duration,
    /// Address-space limit of the tool (RLIMIT_AS), in bytes.
    pub max_address_space: u64,
    /// CPU-time limit of the tool (RLIMIT_CPU), in seconds.
    pub max_cpu_seconds: u32,
    /// Most bytes read from the tool's stdout.
    pub max_output_bytes: u64,
    /// Longest side of the rendered page, in pixels.
    pub side: u32,
}

impl Default for PreviewConfig {
    /// Debian's tools in `/usr/bin`; 5 s, 512 MiB of address space, 5 CPU seconds, 4 MB
    /// of output, 240 px (the image thumbnails' size).
    fn default() -> Self {
        Self {
            pdftoppm: PathBuf::from("/usr/bin/pdftoppm"),
            pdfinfo: PathBuf::from("/usr/bin/pdfinfo"),
            prlimit: PathBuf::from("/usr/bin/prlimit"),
            timeout: Duration::from_secs(5),
            max_address_space: 512 * 1024 * 1024,
            max_cpu_seconds: 5,
            max_output_bytes: 4 * 1_000_000,
            side: crate::thumbnail::THUMBNAIL_SIDE,
        }
    }
}

/// Why no preview was made. Never a reason to refuse the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreviewError {
    /// `pdftoppm`, `pdfinfo` or `prlimit` is not installed.
    #[error("{tool} is not installed")]
    ToolMissing {
        /// The missing program.
        tool: String,
    },
    /// The tool ran past the deadline and was killed.
    #[error("the preview took longer than {seconds} s")]
    Timeout {
        /// The deadline in seconds.
        seconds: u64,
    },
    /// The tool failed, hit a limit or wrote nothing usable.
    #[error("the preview failed: {detail}")]
    Failed {
        /// What happened (exit status, size), no content.
        detail: String,
    },
}

impl UserFacing for PreviewError {
    fn code(&self) -> &'static str {
        match self {
            Self::ToolMissing { .. } => "PREVIEW_TOOL_MISSING",
            Self::Timeout { .. } => "PREVIEW_TIMEOUT",
            Self::Failed { .. } => "PREVIEW_FAILED",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::ToolMissing { .. } => {
                "文件已收到，但本机缺少预览组件（poppler-utils），无法显示首页预览。请联系工作人员安装。"
                    .to_owned()
            }
            Self::Timeout { .. } | Self::Failed { .. } => {
                "文件已收到，但无法生成首页预览。请确认文件能在电脑上正常打开。".to_owned()
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::ToolMissing { .. } => {
                "The file was received, but this kiosk lacks the preview component (poppler-utils), so no first-page preview is shown. Ask staff to install it.".to_owned()
            }
            Self::Timeout { .. } | Self::Failed { .. } => {
                "The file was received, but no first-page preview could be made. Check that the file opens normally on a computer.".to_owned()
            }
        }
    }
}

/// Page 1 of a PDF and the page count.
#[derive(Clone, PartialEq, Eq)]
pub struct PdfPreview {
    /// PNG of page 1, at most [`PreviewConfig::side`] pixels on its longest side.
    pub png: Vec<u8>,
    /// Number of pages, when `pdfinfo` could tell.
    pub pages: Option<u32>,
}

impl std::fmt::Debug for PdfPreview {
    /// Shows the PNG's size, not the page (a document is personal data).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfPreview")
            .field("png_bytes", &self.png.len())
            .field("pages", &self.pages)
            .finish()
    }
}

/// Runs `program args` under `prlimit` with `input` on stdin; returns stdout (at most
/// `config.max_output_bytes`) when it exits successfully within `config.timeout`.
fn run_bounded(
    config: &PreviewConfig,
    program: &std::path::Path,
    args: &[String],
    input: &[u8],
) -> Result<Vec<u8>, PreviewError> {
    for tool in [&config.prlimit, &program.to_path_buf()] {
        if !tool.is_file() {
            return Err(PreviewError::ToolMissing {
                tool: tool.display().to_string(),
            });
        }
    }
    let mut child = Command::new(&config.prlimit)
        .arg(format!("--as={}", config.max_address_space))
        .arg(format!("--cpu={}", config.max_cpu_seconds))
        .arg("--nofile=64")
        .arg("--core=0")
        .arg("--")
        .arg(program)
        .args(args)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| PreviewError::Failed {
            detail: format!("could not start: {}", e.kind()),
        })?;
    let stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let limit = config.max_output_bytes;
    let deadline = Instant::now() + config.timeout;
    std::thread::scope(|scope| {
        // A child that stops reading early makes the write fail: that is its answer.
        scope.spawn(move || {
            if let Some(mut stdin) = stdin {
                let _ = stdin.write_all(input);
            }
        });
        let reader = scope.spawn(move || {
            let mut out = Vec::new();
            if let Some(stdout) = stdout {
                let _ = stdout.take(limit + 1).read_to_end(&mut out);
            }
            out
        });
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(PreviewError::Timeout {
                        seconds: config.timeout.as_secs(),
                    });
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(PreviewError::Failed {
                        detail: format!("wait: {}", e.kind()),
                    });
                }
            }
        };
        let out = reader.join().unwrap_or_default();
        let status = status?;
        if !status.success() {
            return Err(PreviewError::Failed {
                detail: format!("{} exited with {status}", program.display()),
            });
        }
        if out.len() as u64 > limit {
            return Err(PreviewError::Failed {
                detail: format!("more than {limit} bytes of output"),
            });
        }
        Ok(out)
    })
}

/// The page count from `pdfinfo`'s output (`Pages:           3`).
fn pages_from_info(info: &[u8]) -> Option<u32> {
    String::from_utf8_lossy(info)
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
}

/// Renders page 1 of `pdf` and counts its pages (see the module for the bounds). Only call
/// it on a file [`super::pdf::check`] accepted.
pub fn first_page(pdf: &[u8], config: &PreviewConfig) -> Result<PdfPreview, PreviewError> {
    let side = config.side.max(1).to_string();
    let args: Vec<String> = [
        "-q",
        "-f",
        "1",
        "-l",
        "1",
        "-scale-to",
        side.as_str(),
        "-png",
        "-singlefile",
        "-",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let png = run_bounded(config, &config.pdftoppm, &args, pdf)?;
    if !png.starts_with(b"\x89PNG") {
        return Err(PreviewError::Failed {
            detail: "no PNG came out".to_owned(),
        });
    }
    let pages = run_bounded(config, &config.pdfinfo, &["-".to_owned()], pdf)
        .ok()
        .and_then(|info| pages_from_info(&info));
    Ok(PdfPreview { png, pages })
}

/// [`first_page`] as a JPEG `data:` URL like the image thumbnails (decoded again with the
/// pipeline's limits, so a misbehaving tool cannot hand the webview anything else).
pub fn data_url(pdf: &[u8], config: &PreviewConfig) -> Result<(String, Option<u32>), PreviewError> {
    let preview = first_page(pdf, config)?;
    let url = crate::thumbnail::data_url(&preview.png, config.side.max(1)).map_err(|e| {
        PreviewError::Failed {
            detail: format!("thumbnail: {}", e.code()),
        }
    })?;
    Ok((url, preview.pages))
}

impl kiosk_core::Catalogued for PreviewError {
    fn samples() -> Vec<Self> {
        vec![
            Self::ToolMissing {
                tool: "libreoffice".into(),
            },
            Self::Timeout { seconds: 20 },
            Self::Failed {
                detail: "<原因> / <reason>".into(),
            },
        ]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use kiosk_testkit::documents;

    use super::*;

    #[test]
    fn page_one_renders_as_a_small_png_with_the_page_count() {
        let preview = first_page(&documents::pdf(), &PreviewConfig::default())
            .expect("poppler-utils is installed by scripts/bootstrap");
        let image = image::load_from_memory(&preview.png).unwrap();
        assert_eq!(
            image.height(),
            240,
            "A4 portrait: the height is the long side"
        );
        assert!(image.width() < 240);
        assert_eq!(preview.pages, Some(1));
        let (url, pages) = data_url(&documents::pdf(), &PreviewConfig::default()).unwrap();
        assert!(url.starts_with("data:image/jpeg;base64,"));
        assert_eq!(pages, Some(1));
        assert!(!format!("{preview:?}").contains("PNG"), "no bytes in Debug");
    }

    #[test]
    fn a_missing_tool_is_named_not_a_crash() {
        let config = PreviewConfig {
            pdftoppm: PathBuf::from("/nonexistent/pdftoppm"),
            ..PreviewConfig::default()
        };
        let error = first_page(&documents::pdf(), &config).unwrap_err();
        assert_eq!(error.code(), "PREVIEW_TOOL_MISSING");
        assert!(error.zh().contains("poppler-utils"));
    }

    #[test]
    fn garbage_fails_cleanly() {
        let error = first_page(b"%PDF-1.4\ngarbage", &PreviewConfig::default()).unwrap_err();
        assert_eq!(error.code(), "PREVIEW_FAILED", "{error:?}");
    }

    #[test]
    fn a_slow_tool_is_killed_at_the_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let slow = dir.path().join("pdftoppm");
        std::fs::write(&slow, "#!/bin/sh\nexec sleep 30\n").unwrap();
        let mut perms = std::fs::metadata(&slow).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&slow, perms).unwrap();
        let config = PreviewConfig {
            pdftoppm: slow,
            timeout: Duration::from_millis(300),
            ..PreviewConfig::default()
        };
        let started = Instant::now();
        let error = first_page(&documents::pdf(), &config).unwrap_err();
        assert_eq!(error.code(), "PREVIEW_TIMEOUT");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn the_memory_limit_applies_to_the_tool() {
        let config = PreviewConfig {
            max_address_space: 4 * 1024 * 1024,
            ..PreviewConfig::default()
        };
        let error = first_page(&documents::pdf(), &config).unwrap_err();
        assert_eq!(
            error.code(),
            "PREVIEW_FAILED",
            "4 MiB is too little to even start"
        );
    }

    #[test]
    fn page_counts_are_read_from_pdfinfo_output() {
        assert_eq!(
            pages_from_info(b"Title: x\nPages:           12\n"),
            Some(12)
        );
        assert_eq!(pages_from_info(b"Pages: lots"), None);
        assert_eq!(pages_from_info(b""), None);
    }
}
