//! `kioskctl scan`: normalise an image file for a slot, list capture sources.

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
        std::fs::write(&args.output, &result.jpeg).map_err(|e| {
            Problem::new(
                "CAPTURE_FILE_ACCESS",
                format!("无法写入输出文件：{e}"),
                format!("Could not write the output file: {e}"),
            )
        })?;
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
