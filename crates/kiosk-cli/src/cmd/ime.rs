//! `kioskctl ime pinyin <letters>` and `kioskctl ime handwriting --strokes FILE`: the on-screen
//! keyboard's Chinese input without a window, through the same kiosk-api functions the app
//! calls. Needs no kiosk database.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::Problem;
use kiosk_api::ime::{self, Ime};

use crate::output;

/// Arguments of `kioskctl ime`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ImeCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ImeCommand {
    /// The ranked candidates for typed pinyin (`zhangsan`, `xi'an`, `bjs`).
    Pinyin(PinyinArgs),
    /// The characters read in handwritten strokes (JSON: {"width", "height", "strokes":
    /// [[[x, y], ...], ...]}, or an object holding that under "ink").
    Handwriting(HandwritingArgs),
}

/// Arguments of `kioskctl ime pinyin`.
#[derive(Debug, clap::Args)]
struct PinyinArgs {
    /// The letters as typed (a-z, apostrophes between syllables).
    input: String,
    /// Page to show, from 1.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    page: u32,
    /// Candidates per page (1-20).
    #[arg(long, default_value_t = ime::DEFAULT_PAGE_SIZE)]
    page_size: u32,
    /// Print JSON (the app's `PinyinPage`, pages counted from 0) instead of text.
    #[arg(long)]
    json: bool,
}

/// Arguments of `kioskctl ime handwriting`.
#[derive(Debug, clap::Args)]
struct HandwritingArgs {
    /// The strokes as a JSON file.
    #[arg(long, value_name = "FILE.json")]
    strokes: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `kioskctl ime ...`.
pub fn run(args: &Args) -> Result<ExitCode, Problem> {
    let ime = Ime::from_env();
    match &args.command {
        ImeCommand::Pinyin(args) => pinyin(&ime, args),
        ImeCommand::Handwriting(args) => handwriting(&ime, args),
    }
}

fn pinyin(ime: &Ime, args: &PinyinArgs) -> Result<ExitCode, Problem> {
    let page = ime::pinyin(ime, &args.input, args.page - 1, Some(args.page_size))?;
    if args.json {
        output::print_json(&page)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", page.composition.join(" "));
    let first = page.page * page.page_size;
    for (at, candidate) in page.candidates.iter().enumerate() {
        let rest = &page.input[(candidate.consumed as usize).min(page.input.len())..];
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!("  (+ {})", rest.trim_start_matches('\''))
        };
        println!(
            "{:>3}. {}  {}{rest}",
            first as usize + at + 1,
            candidate.text,
            candidate.pinyin
        );
    }
    let pages = page.total.div_ceil(page.page_size).max(1);
    println!(
        "page {}/{pages}, {} candidates / 第 {} 页，共 {} 个候选",
        page.page + 1,
        page.total,
        page.page + 1,
        page.total
    );
    Ok(ExitCode::SUCCESS)
}

fn handwriting(ime: &Ime, args: &HandwritingArgs) -> Result<ExitCode, Problem> {
    let ink = ime::ink_from_file(&args.strokes)?;
    let read = ime::handwriting(ime, &ink)?;
    if args.json {
        output::print_json(&read)?;
        return Ok(ExitCode::SUCCESS);
    }
    if read.is_empty() {
        println!("nothing drawn / 没有笔迹");
    }
    for (at, character) in read.iter().enumerate() {
        println!("{:>3}. {}  {:.2}", at + 1, character.text, character.score);
    }
    Ok(ExitCode::SUCCESS)
}
