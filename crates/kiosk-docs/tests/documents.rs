//! Renders every document, rasterises it with poppler's `pdftoppm`, and checks it against
//! reviewed reference images, extracts its text with `pdftotext`, and decodes its QR code.
//!
//! Needs `poppler-utils`. To review a layout change, run with `KIOSK_DOCS_UPDATE_REFERENCE=1`,
//! look at the PNGs in `tests/reference/`, and commit them.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "test helpers: a failure is a test failure"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use kiosk_docs::{
    CountRow, DayReportPage, DocumentFont, FontSource, Paper, Receipt, ReceiptState, RenderedPdf,
    RiskLetter, render_day_report, render_receipt, render_risk_letter,
};

/// Mean absolute grey-level difference (0-255) accepted against a reference image.
/// Anti-aliasing differences between poppler versions stay far below it; a moved line of
/// text or a missing box does not.
const MAX_MEAN_DIFF: f64 = 1.5;

fn font() -> &'static DocumentFont {
    static FONT: OnceLock<DocumentFont> = OnceLock::new();
    FONT.get_or_init(|| {
        DocumentFont::load_source(&FontSource::system()).expect("fonts-noto-cjk is installed")
    })
}

fn letter() -> RiskLetter {
    RiskLetter {
        template_version: Some("2026.1".into()),
        ..RiskLetter::sample()
    }
}

fn receipt() -> Receipt {
    Receipt {
        profile: "tianjin".into(),
        template_version: Some("2026.2".into()),
        kiosk_name: "1 号自助登记终端".into(),
        hall_name: "天津市政务服务中心 科技服务专区".into(),
        hall_phone: "022-12345678".into(),
        issued_at: "2026-11-23 09:41".into(),
        application_no: "TJ-20261123-000042".into(),
        receipt_code: Some("KG695-HRKAD".into()),
        applicant_name_masked: "张*国".into(),
        id_number_masked: "110***********271X".into(),
        kind_label_zh: "法人用户注册".into(),
        kind_label_en: "Legal entity registration".into(),
        attachments: vec![
            "营业执照（扫描件 1 页）".into(),
            "风险承诺书（签字盖章，1 页）".into(),
            "开户许可证（扫描件 1 页）".into(),
        ],
        state: ReceiptState::Queued,
        status_hint: Some("本机离线，恢复联网后自动报送".into()),
    }
}

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn write_pdf(dir: &Path, name: &str, pdf: &RenderedPdf) -> PathBuf {
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, &pdf.bytes).expect("write pdf");
    path
}

fn run(program: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} must be installed (apt-get install poppler-utils): {e}")
        });
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Grey image: width, height, pixels.
struct Grey {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

fn rasterise(pdf: &Path, dpi: u32) -> Grey {
    let out = pdf.with_extension("");
    let out_str = out.to_string_lossy().into_owned();
    run(
        "pdftoppm",
        &[
            "-r",
            &dpi.to_string(),
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            &pdf.to_string_lossy(),
            &out_str,
        ],
    );
    read_png(&out.with_extension("png"))
}

fn read_png(path: &Path) -> Grey {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|px| px[0])
        .collect();
    Grey {
        width: info.width as usize,
        height: info.height as usize,
        pixels,
    }
}

fn write_grey_png(path: &Path, image: &Grey) {
    let file = std::fs::File::create(path).expect("create png");
    let mut encoder = png::Encoder::new(
        std::io::BufWriter::new(file),
        image.width as u32,
        image.height as u32,
    );
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().expect("png header");
    writer.write_image_data(&image.pixels).expect("png data");
}

/// Compares page 1 of `pdf` with `tests/reference/<name>.png` at 100 dpi.
fn assert_matches_reference(pdf: &Path, name: &str) {
    let actual = rasterise(pdf, 100);
    let reference = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(format!("{name}.png"));
    if std::env::var_os("KIOSK_DOCS_UPDATE_REFERENCE").is_some() {
        write_grey_png(&reference, &actual);
        return;
    }
    assert!(
        reference.exists(),
        "missing reference {}: run with KIOSK_DOCS_UPDATE_REFERENCE=1, review, commit",
        reference.display()
    );
    let expected = read_png(&reference);
    assert_eq!(
        (actual.width, actual.height),
        (expected.width, expected.height),
        "{name}: page size changed"
    );
    let total: u64 = actual
        .pixels
        .iter()
        .zip(&expected.pixels)
        .map(|(a, b)| u64::from(a.abs_diff(*b)))
        .sum();
    let mean = total as f64 / actual.pixels.len() as f64;
    assert!(
        mean < MAX_MEAN_DIFF,
        "{name}: mean pixel difference {mean:.3} ≥ {MAX_MEAN_DIFF}; if the change is intended, update and review the reference"
    );
}

/// Text of the PDF with all white space removed (wrapped values join up again).
fn extracted_text(pdf: &Path) -> String {
    let out = run("pdftotext", &["-enc", "UTF-8", &pdf.to_string_lossy(), "-"]);
    String::from_utf8_lossy(&out)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn decode_qr(pdf: &Path) -> Vec<String> {
    let image = rasterise(pdf, 200);
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(image.width, image.height, |x, y| {
            image.pixels[y * image.width + x]
        });
    prepared
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, content)| content))
        .collect()
}

/// Every word pdftotext finds lies inside the page.
fn assert_text_inside_pages(pdf: &Path) {
    let out = String::from_utf8_lossy(&run("pdftotext", &["-bbox", &pdf.to_string_lossy(), "-"]))
        .into_owned();
    let mut page = (0.0_f64, 0.0_f64);
    let attr = |line: &str, key: &str| -> f64 {
        let start = line
            .find(&format!("{key}=\""))
            .map(|i| i + key.len() + 2)
            .unwrap_or(0);
        line[start..]
            .split('"')
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let mut words = 0;
    for line in out.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page = (attr(line, "width"), attr(line, "height"));
        } else if line.starts_with("<word ") {
            words += 1;
            let (x0, y0, x1, y1) = (
                attr(line, "xMin"),
                attr(line, "yMin"),
                attr(line, "xMax"),
                attr(line, "yMax"),
            );
            assert!(
                x0 >= 0.0 && y0 >= 0.0 && x1 <= page.0 + 0.5 && y1 <= page.1 + 0.5,
                "word outside the page {page:?}: {line}"
            );
        }
    }
    assert!(words > 0, "pdftotext found no words");
}

#[test]
fn risk_letter_matches_reference_has_text_and_qr() {
    let dir = scratch();
    let pdf = render_risk_letter(&letter(), font()).expect("renders");
    let path = write_pdf(dir.path(), "risk-letter", &pdf);
    assert_matches_reference(&path, "risk-letter");
    let text = extracted_text(&path);
    for needle in [
        "风险承诺书",
        "天津市滨海新区智能制造研究院有限公司",
        "91120116MA05K8XX3L",
        "TJ-20261123-000042",
        "张建国",
        "法定代表人（签字）",
        "单位（盖章）",
    ] {
        assert!(
            text.contains(needle),
            "letter text lacks {needle:?}: {text}"
        );
    }
    assert_eq!(
        decode_qr(&path),
        ["TONGBAN:TJ-20261123-000042"],
        "QR code decodes to the application number"
    );
    assert_text_inside_pages(&path);
}

#[test]
fn receipts_match_references_have_text_and_qr() {
    for (paper, name) in [
        (Paper::A4, "receipt-a4"),
        (Paper::Thermal80, "receipt-80mm"),
    ] {
        let dir = scratch();
        let pdf = render_receipt(&receipt(), paper, font()).expect("renders");
        let path = write_pdf(dir.path(), name, &pdf);
        assert_matches_reference(&path, name);
        let text = extracted_text(&path);
        for needle in [
            "受理回执",
            "TJ-20261123-000042",
            "110***********271X",
            "张*国",
            "营业执照",
            "022-12345678",
        ] {
            assert!(
                text.contains(needle),
                "{name} text lacks {needle:?}: {text}"
            );
        }
        assert!(!text.contains("110101"), "{name}: no unmasked ID digits");
        assert_eq!(
            decode_qr(&path),
            ["TONGBAN:TJ-20261123-000042"],
            "{name}: QR decodes"
        );
        assert_text_inside_pages(&path);
    }
}

#[test]
fn hostile_letter_stays_on_the_page_and_keeps_its_text() {
    let dir = scratch();
    let mut hostile = letter();
    let name: String = "𠮷䶮超长单位名称<b>&amp;</b>\u{200F}Ünïcödé Corp. "
        .repeat(10)
        .chars()
        .take(200)
        .collect();
    hostile.unit_name = name.clone();
    hostile.legal_representative = "䶮".repeat(200);
    hostile.contact_name = "\u{202e}evil RTL override\u{202c} 李".into();
    hostile.platform_account = "x".repeat(200);
    let pdf = render_risk_letter(&hostile, font()).expect("renders");
    assert_eq!(pdf.pages, 1, "still one page");
    let path = write_pdf(dir.path(), "hostile", &pdf);
    assert_text_inside_pages(&path);
    let text = extracted_text(&path);
    let expected: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200F}')
        .collect();
    assert!(
        text.contains(&expected),
        "the whole 200-character unit name is on the page"
    );
    assert!(
        text.contains("𠮷") && text.contains("䶮"),
        "rare characters are real text, not tofu"
    );
    assert_eq!(
        decode_qr(&path),
        ["TONGBAN:TJ-20261123-000042"],
        "QR survives hostile input"
    );
}

#[test]
fn every_profile_renders_both_documents() {
    for profile in kiosk_docs::templates::profiles() {
        let mut l = letter();
        l.profile = profile.clone();
        l.template_version = None;
        let pdf = render_risk_letter(&l, font()).unwrap_or_else(|e| panic!("{profile}: {e}"));
        assert_eq!(pdf.pages, 1, "{profile} letter: one page");
        let mut r = receipt();
        r.profile = profile.clone();
        r.template_version = None;
        r.state = ReceiptState::Received;
        render_receipt(&r, Paper::Thermal80, font()).unwrap_or_else(|e| panic!("{profile}: {e}"));
    }
}

fn day_report() -> DayReportPage {
    let row = |label: &str, count| CountRow {
        label: label.into(),
        count,
    };
    DayReportPage {
        kiosk_name: "1 号自助登记终端".into(),
        hall_name: "天津市政务服务中心 科技服务专区".into(),
        date: "2026-11-23".into(),
        generated_at: "2026-11-23 18:02".into(),
        total: 14,
        by_kind: vec![
            row("法人用户注册", 6),
            row("个人用户注册", 5),
            row("历史账号绑定", 2),
            row("密码找回申诉", 1),
        ],
        by_state: vec![row("平台已接收", 9), row("待上传", 4), row("需补正", 1)],
        by_operator: vec![
            row("clerk-wang", 8),
            row("clerk-li", 4),
            row("自助办理 visitor", 2),
        ],
        unsent: 5,
        oldest_unsent: Some("2026-11-22 16:40".into()),
        attachments: 31,
        attachment_bytes: 48_500_000,
    }
}

#[test]
fn day_report_matches_reference_and_has_its_figures() {
    let dir = scratch();
    let pdf = render_day_report(&day_report(), font()).expect("renders");
    assert_eq!(pdf.pages, 1, "one page");
    let path = write_pdf(dir.path(), "day-report", &pdf);
    assert_matches_reference(&path, "day-report");
    let text = extracted_text(&path);
    for needle in [
        "终端日报",
        "2026-11-23",
        "法人用户注册",
        "clerk-wang",
        "2026-11-2216:40",
        "46.3MB",
    ] {
        assert!(text.contains(needle), "report lacks {needle:?}: {text}");
    }
    assert_text_inside_pages(&path);
}
