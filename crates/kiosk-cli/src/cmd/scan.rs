//! `kioskctl scan`: normalise an image file for a slot, check an attachment file (image,
//! PDF, Word) as the kiosk screen would, list capture sources.

use kiosk_api::cli_error::CliError;
use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::capture::{self, UploadOptions, WatermarkRequest};
use kiosk_api::{Problem, clock};

use crate::output;

/// Arguments of `kioskctl scan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ScanCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ScanCommand {
    /// Normalise an image (JPEG/PNG/WebP/TIFF) into a slot's JPEG: upright, resized, within
    /// the byte limit, without metadata; optionally cropped and watermarked.
    Normalize(NormalizeArgs),
    /// Check an attachment file for a profile's slot as the kiosk screen does: type by
    /// content, name against content, PDF/Word checks (truncated, encrypted, zip bombs),
    /// image quality; prints what would be stored. Exit status 1 with a code when refused.
    Check(CheckArgs),
    /// List the cameras (V4L2), scanners (SANE) and ID-card readers found.
    Sources(SourcesArgs),
}

/// Arguments of `kioskctl scan normalize`.
#[derive(Debug, clap::Args)]
struct NormalizeArgs {
    /// Input image file.
    #[arg(long = "in", value_name = "FILE")]
    input: PathBuf,
    /// Output JPEG file.
    #[arg(long = "out", value_name = "FILE")]
    output: PathBuf,
    /// Slot: id-front, id-back, business-licence, bank-permit, risk-letter.
    #[arg(long, default_value = "business-licence")]
    slot: String,
    /// Lower the slot's byte limit to N bytes.
    #[arg(long, value_name = "N")]
    max_bytes: Option<u64>,
    /// Crop to the document's edges and straighten it.
    #[arg(long)]
    crop: bool,
    /// Stamp "仅供<PLATFORM>注册使用 <date>" across the image.
    #[arg(long, value_name = "PLATFORM")]
    watermark: Option<String>,
    /// Date in the watermark (default: today, China Standard Time).
    #[arg(long, value_name = "YYYY-MM-DD", requires = "watermark")]
    date: Option<String>,
    /// Watermark font file (`path` or `path#face`); default: $KIOSK_WATERMARK_FONT, the
    /// shipped font, then Debian's Noto Sans CJK.
    #[arg(long, value_name = "FILE")]
    font: Option<PathBuf>,
    /// Write the output even when a quality finding says to take the picture again.
    #[arg(long)]
    force: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Arguments of `kioskctl scan check`.
#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The profile's attachment slot, e.g. business-licence, risk-commitment, id-front.
    #[arg(long)]
    slot: String,
    /// Platform profile whose slot it is (zhengzhou, tianjin, shandong, most); default:
    /// every built-in profile that has the slot.
    #[arg(long)]
    profile: Option<String>,
    /// Application kind whose slot it is (e.g. legal-entity); default: every kind.
    #[arg(long, requires = "profile")]
    kind: Option<String>,
    /// Judge the file as if it were called NAME (default: the file's own name).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Do not render a PDF's first page.
    #[arg(long)]
    no_preview: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// The file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

/// Arguments of `kioskctl scan sources`.
#[derive(Debug, clap::Args)]
struct SourcesArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `kioskctl scan ...`. Needs no kiosk database, so `--data-dir` is accepted but unused.
pub fn run(_data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    match &args.command {
        ScanCommand::Normalize(args) => normalize(args),
        ScanCommand::Check(args) => check(args),
        ScanCommand::Sources(args) => sources(args),
    }
}

fn normalize(args: &NormalizeArgs) -> Result<ExitCode, Problem> {
    let slot = capture::with_max_bytes(capture::slot_named(&args.slot)?, args.max_bytes);
    let bytes = capture::read_image_file(&args.input)?;
    let watermark = args.watermark.as_ref().map(|platform| WatermarkRequest {
        platform: platform.clone(),
        date: args
            .date
            .clone()
            .unwrap_or_else(|| capture::watermark_date(clock::now_ms())),
    });
    let font = match &watermark {
        Some(_) => {
            let exe_dir = std::env::current_exe()
                .ok()
                .and_then(|p| p.parent().map(PathBuf::from));
            let candidates = capture::font_candidates(
                args.font.as_deref(),
                std::env::var(capture::FONT_ENV).ok(),
                exe_dir.as_deref(),
            );
            Some(capture::load_watermark_font(&candidates)?)
        }
        None => None,
    };
    let options = UploadOptions {
        crop_document: args.crop,
        watermark,
    };
    let result = capture::normalize_upload(&bytes, &slot, &options, font.as_ref())?;
    let write = !result.blocking || args.force;
    if write {
        std::fs::write(&args.output, &result.jpeg)
            .map_err(|e| Problem::from(CliError::CaptureOutputUnwritable(e.to_string())))?;
    }
    if args.json {
        output::print_json(&result)?;
    } else {
        println!(
            "{} → {}: {}×{} JPEG, {} 字节 / bytes, 质量 / quality {}{}",
            args.input.display(),
            args.output.display(),
            result.width,
            result.height,
            result.bytes,
            result.quality,
            if result.cropped {
                format!(
                    ", 已裁切纠偏 / cropped, deskew {:.1}°",
                    result.deskew_degrees
                )
            } else {
                String::new()
            }
        );
        for advice in &result.advice {
            output::print_problem(advice);
        }
        if !write {
            eprintln!(
                "未写入输出（请重新拍摄，或用 --force 强制写入）/ output not written (take it again, or use --force)"
            );
        }
    }
    Ok(if write {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn check(args: &CheckArgs) -> Result<ExitCode, Problem> {
    let target = capture::UploadTarget {
        slot: args.slot.clone(),
        profile: args.profile.clone(),
        kind: args.kind.clone(),
    };
    let bytes = capture::read_attachment_file(&args.file)?;
    let name = args.name.clone().unwrap_or_else(|| {
        args.file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let preview = if args.no_preview {
        capture::Preview::Skip
    } else {
        capture::Preview::default()
    };
    let checked = capture::check_attachment(&target, &name, &bytes, &preview)?;
    if args.json {
        output::print_json(&checked)?;
        return Ok(ExitCode::SUCCESS);
    }
    let stored = capture::stored_file_name_as(&name, &args.slot, &checked.extension);
    println!(
        "{} → {stored}: 接受 / accepted, {}, {} 字节 / bytes, sha256 {}",
        args.file.display(),
        checked.media_type,
        checked.size,
        checked.sha256
    );
    if checked.width > 0 {
        println!("  {}×{} JPEG", checked.width, checked.height);
    }
    if let Some(pages) = checked.pages {
        println!("  {pages} 页 / pages");
    }
    if !checked.thumbnail.is_empty() {
        println!(
            "  首页预览 / first-page preview: {} bytes",
            checked.thumbnail.len()
        );
    }
    if let Some(problem) = &checked.preview_problem {
        output::print_problem(problem);
    }
    for warning in &checked.warnings {
        output::print_problem(warning);
    }
    Ok(ExitCode::SUCCESS)
}

fn sources(args: &SourcesArgs) -> Result<ExitCode, Problem> {
    let report = capture::sources(&capture::Devices::from_env());
    if args.json {
        output::print_json(&report)?;
    } else {
        if report.sources.is_empty() {
            println!("未发现摄像头、扫描仪或读卡器 / no cameras, scanners or readers found");
        }
        for source in &report.sources {
            println!(
                "{:<28} {:<16} {}",
                source.id,
                kind_name(source.kind),
                source.label
            );
        }
        for problem in &report.problems {
            output::print_problem(problem);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn kind_name(kind: kiosk_api::capture::SourceKind) -> &'static str {
    match kind {
        kiosk_api::capture::SourceKind::Scanner => "扫描仪/scanner",
        kiosk_api::capture::SourceKind::Folder => "文件夹/folder",
        kiosk_api::capture::SourceKind::IdCardReader => "读卡器/id-reader",
        kiosk_api::capture::SourceKind::Camera => "摄像头/camera",
    }
}
