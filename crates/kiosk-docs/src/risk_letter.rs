//! The risk commitment letter (风险承诺书): A4, filled in for the unit, with signature and
//! seal boxes and the application number as text and QR code on every page, so that the
//! signed scan finds its application by itself.

use serde::{Deserialize, Serialize};

use crate::canvas::{Flow, PaperSpec, leading, to_pdf};
use crate::font::DocumentFont;
use crate::qr::Qr;
use crate::templates::{self, RiskLetterTemplate, fill};
use crate::text::{Substitution, fit, printable, wrap};
use crate::{DocsError, RenderedPdf};

/// What the risk letter says about the unit. Plain data: `kiosk-api` fills it from the
/// application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RiskLetter {
    /// Platform profile whose template is used: `zhengzhou`, `tianjin`, `shandong`, `most`.
    pub profile: String,
    /// Template version; `None` takes the latest (record the one used for reprints).
    #[serde(default)]
    pub template_version: Option<String>,
    /// Unit name (单位名称).
    pub unit_name: String,
    /// Unified social credit code (统一社会信用代码).
    pub uscc: String,
    /// Legal representative's name, printed in full: they sign this letter.
    pub legal_representative: String,
    /// Account name on the platform.
    pub platform_account: String,
    /// Contact person's name.
    pub contact_name: String,
    /// Contact phone, already masked by the caller (e.g. `138****5678`).
    #[serde(default)]
    pub contact_phone_masked: Option<String>,
    /// Application number, printed and encoded in the QR code.
    pub application_no: String,
    /// Printing date as it should appear, e.g. `2026-11-23` (the caller owns the clock).
    pub date: String,
}

impl RiskLetter {
    /// A made-up unit's letter on Tianjin's latest template, for examples, benches and tests
    /// (the contact's phone already masked, as the kiosk hands it over).
    pub fn sample() -> RiskLetter {
        RiskLetter {
            profile: "tianjin".into(),
            template_version: None,
            unit_name: "天津市滨海新区智能制造研究院有限公司".into(),
            uscc: "91120116MA05K8XX3L".into(),
            legal_representative: "张建国".into(),
            platform_account: "tjznzz_2026".into(),
            contact_name: "李敏".into(),
            contact_phone_masked: Some("138****5678".into()),
            application_no: "TJ-20261123-000042".into(),
            date: "2026-11-23".into(),
        }
    }
}

const A4: PaperSpec = PaperSpec {
    width: 210.0,
    height: Some(297.0),
    margin_x: 20.0,
    margin_top: 16.0,
    margin_bottom: 44.0,
};

/// Body scales tried in turn until the letter fits on one page.
const SCALES: [f32; 4] = [1.0, 0.92, 0.84, 0.76];

/// Renders the letter as an A4 PDF (one page for any realistic input; very long input
/// continues on further pages, each with the footer and QR code).
pub fn render_risk_letter(
    letter: &RiskLetter,
    font: &DocumentFont,
) -> Result<RenderedPdf, DocsError> {
    let template = templates::risk_letter(&letter.profile, letter.template_version.as_deref())?;
    let qr = Qr::encode(&crate::qr_payload(&letter.application_no))?;
    let mut substitutions = Vec::new();
    let text = Cleaned::new(letter, font, &mut substitutions);
    let mut laid = None;
    for scale in SCALES {
        let flow = lay_out(&template, &text, font, scale);
        let single = flow.page_count() == 1;
        laid = Some(flow);
        if single {
            break;
        }
    }
    let Some(flow) = laid else {
        return Err(DocsError::FontInvalid);
    };
    let mut pages = flow.finish();
    let count = pages.len();
    for (index, (page, _)) in pages.iter_mut().enumerate() {
        draw_footer(
            page,
            font,
            &template,
            &text,
            &letter.profile,
            &qr,
            index,
            count,
        );
    }
    let bytes = to_pdf(&template.title, font, A4.width, pages)?;
    Ok(RenderedPdf {
        bytes,
        pages: count,
        substitutions,
    })
}

/// The letter's values, cleaned for printing.
struct Cleaned {
    unit_name: String,
    uscc: String,
    legal_representative: String,
    platform_account: String,
    contact_name: String,
    contact_phone: Option<String>,
    application_no: String,
    date: String,
}

impl Cleaned {
    fn new(letter: &RiskLetter, font: &DocumentFont, subs: &mut Vec<Substitution>) -> Self {
        let mut clean = |field: &str, value: &str| printable(font, field, value, subs);
        Self {
            unit_name: clean("unitName", &letter.unit_name),
            uscc: clean("uscc", &letter.uscc),
            legal_representative: clean("legalRepresentative", &letter.legal_representative),
            platform_account: clean("platformAccount", &letter.platform_account),
            contact_name: clean("contactName", &letter.contact_name),
            contact_phone: letter
                .contact_phone_masked
                .as_deref()
                .map(|p| clean("contactPhoneMasked", p)),
            application_no: clean("applicationNo", &letter.application_no),
            date: clean("date", &letter.date),
        }
    }
}

fn lay_out<'f>(
    t: &RiskLetterTemplate,
    v: &Cleaned,
    font: &'f DocumentFont,
    scale: f32,
) -> Flow<'f> {
    let mut flow = Flow::new(font, A4);
    let x = A4.margin_x;
    let width = A4.content_width();

    flow.centered(20.0, 1.5, &t.title);
    flow.space(4.0 * scale);

    let label_w = 42.0;
    let mut rows: Vec<(&str, &str)> = vec![
        (&t.fields.unit_name, &v.unit_name),
        (&t.fields.uscc, &v.uscc),
        (&t.fields.legal_representative, &v.legal_representative),
        (&t.fields.platform_account, &v.platform_account),
        (&t.fields.contact, &v.contact_name),
    ];
    if let Some(phone) = &v.contact_phone {
        rows.push((&t.fields.contact_phone, phone));
    }
    for (label, value) in rows {
        table_row(&mut flow, label, value, label_w, 11.0 * scale);
    }
    flow.space(6.0 * scale);

    let body = 11.5 * scale;
    let spacing = 1.55;
    let values = [
        ("authority", t.authority.as_str()),
        ("platform_name", t.platform_name.as_str()),
        ("unit_name", v.unit_name.as_str()),
        ("uscc", v.uscc.as_str()),
        ("legal_representative", v.legal_representative.as_str()),
        ("platform_account", v.platform_account.as_str()),
    ];
    flow.paragraph(x, width, body, spacing, &fill(&t.salutation, &values));
    flow.paragraph(
        x,
        width,
        body,
        spacing,
        &format!("\u{3000}\u{3000}{}", fill(&t.intro, &values)),
    );
    for (index, commitment) in t.commitments.iter().enumerate() {
        let number = format!("{}、", chinese_numeral(index + 1));
        let indent = font.width_mm("\u{3000}\u{3000}", body);
        let number_w = font.width_mm(&number, body);
        let lines = wrap(
            font,
            &fill(commitment, &values),
            body,
            width - indent - number_w,
        );
        let lead = leading(body, spacing);
        for (i, line) in lines.iter().enumerate() {
            flow.reserve(lead);
            let baseline = flow.y + lead * 0.78;
            if i == 0 {
                flow.page().text(x + indent, baseline, body, &number);
            }
            flow.page()
                .text(x + indent + number_w, baseline, body, line);
            flow.y += lead;
        }
    }
    flow.paragraph(
        x,
        width,
        body,
        spacing,
        &format!("\u{3000}\u{3000}{}", fill(&t.closing, &values)),
    );
    flow.space(6.0 * scale);

    signature_block(&mut flow, t, scale);
    flow
}

/// One row of the unit table: label cell and value cell with frames. A value too long for
/// the page continues in a row on the next page.
fn table_row(flow: &mut Flow<'_>, label: &str, value: &str, label_w: f32, size: f32) {
    let x = flow.paper.margin_x;
    let width = flow.paper.content_width();
    let pad = 2.2;
    let label_fit = fit(flow.font, label, size, 7.0, label_w - 2.0 * pad, 2);
    let value_fit = fit(flow.font, value, size, 7.0, width - label_w - 2.0 * pad, 3);
    let label_lead = leading(label_fit.size_pt, 1.35);
    let value_lead = leading(value_fit.size_pt, 1.35);
    let mut rest: &[String] = &value_fit.lines;
    let mut first = true;
    while first || !rest.is_empty() {
        let label_h = if first {
            label_fit.lines.len() as f32 * label_lead
        } else {
            0.0
        };
        let wanted = (rest.len() as f32 * value_lead).max(label_h) + 2.0 * pad;
        flow.reserve(wanted.max(9.0).min(flow.page_capacity()));
        let fits = (((flow.room() - 2.0 * pad) / value_lead).floor().max(1.0)) as usize;
        let (now, later) = rest.split_at(fits.min(rest.len()));
        let height = (now.len() as f32 * value_lead)
            .max(label_h)
            .max(9.0 - 2.0 * pad)
            + 2.0 * pad;
        let top = flow.y;
        let page = flow.page();
        page.frame(x, top, label_w, height, false);
        page.frame(x + label_w, top, width - label_w, height, false);
        if first {
            let block = label_fit.lines.len() as f32 * label_lead;
            let mut y = top + (height - block) / 2.0;
            for line in &label_fit.lines {
                page.text(x + pad, y + label_lead * 0.78, label_fit.size_pt, line);
                y += label_lead;
            }
        }
        let block = now.len() as f32 * value_lead;
        let mut y = top + (height - block) / 2.0;
        for line in now {
            page.text(
                x + label_w + pad,
                y + value_lead * 0.78,
                value_fit.size_pt,
                line,
            );
            y += value_lead;
        }
        flow.y = top + height;
        rest = later;
        first = false;
    }
}

/// Signature box, seal box and the date line, kept together on one page.
fn signature_block(flow: &mut Flow<'_>, t: &RiskLetterTemplate, scale: f32) {
    let size = 11.0 * scale;
    let box_h = 48.0;
    let seal_w = 50.0;
    let gap = 8.0;
    flow.reserve(box_h + 14.0);
    let x = flow.paper.margin_x;
    let width = flow.paper.content_width();
    let top = flow.y;
    let sign_w = width - seal_w - gap;
    let caption_lead = leading(size, 1.4);
    let font = flow.font;
    let sign_caption = fit(
        font,
        &t.sign.legal_representative,
        size,
        7.0,
        sign_w - 4.0,
        2,
    );
    let seal_caption = fit(font, &t.sign.seal, size, 7.0, seal_w - 4.0, 2);
    let page = flow.page();
    page.frame(x, top, sign_w, box_h, true);
    page.frame(x + sign_w + gap, top, seal_w, box_h, true);
    for (caption, left) in [
        (&sign_caption, x + 2.0),
        (&seal_caption, x + sign_w + gap + 2.0),
    ] {
        let mut y = top + 2.0;
        for line in &caption.lines {
            page.text(left, y + caption_lead * 0.78, caption.size_pt, line);
            y += caption_lead;
        }
    }
    let date = fit(font, &t.sign.date, size, 7.0, width, 1);
    let date_w = font.width_mm(date.lines.first().map_or("", String::as_str), date.size_pt);
    let baseline = top + box_h + 9.0;
    for line in &date.lines {
        page.text(x + width - date_w, baseline, date.size_pt, line);
    }
    flow.y = top + box_h + 14.0;
}

/// Footer of every page: application number, printing date, template, QR code, page number.
#[allow(clippy::too_many_arguments)]
fn draw_footer(
    page: &mut crate::canvas::Page,
    font: &DocumentFont,
    t: &RiskLetterTemplate,
    v: &Cleaned,
    profile: &str,
    qr: &Qr,
    index: usize,
    count: usize,
) {
    let top = 297.0 - A4.margin_bottom + 4.0;
    let x = A4.margin_x;
    let width = A4.content_width();
    let qr_size = 30.0;
    page.rule(x, top, x + width, top);
    qr.draw(page, x + width - qr_size + 2.0, top + 2.0, qr_size);
    let text_w = width - qr_size - 4.0;
    let mut y = top + 4.0;
    let number = fit(
        font,
        &format!("{}：{}", t.footer.application_no, v.application_no),
        12.0,
        7.0,
        text_w,
        2,
    );
    let lead = leading(number.size_pt, 1.35);
    for line in &number.lines {
        page.text(x, y + lead * 0.78, number.size_pt, line);
        y += lead;
    }
    let small = 8.0;
    let small_lead = leading(small, 1.4);
    let mut info = vec![format!(
        "{}：{}　模板：{}/{}",
        t.sign.printed_on, v.date, profile, t.version
    )];
    info.extend(wrap(font, &t.footer.qr_hint, small, text_w));
    if count > 1 {
        info.push(format!("第 {} 页 / 共 {} 页", index + 1, count));
    }
    for line in info.iter().flat_map(|l| wrap(font, l, small, text_w)) {
        page.text(x, y + small_lead * 0.78, small, &line);
        y += small_lead;
    }
}

/// 1 → 一, 10 → 十, 12 → 十二 (enough for numbered commitments).
fn chinese_numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::tests::shipped;

    #[test]
    fn ordinary_letter_is_one_small_page() {
        let pdf = render_risk_letter(&RiskLetter::sample(), shipped()).expect("renders");
        assert_eq!(pdf.pages, 1, "fits on one page");
        assert!(pdf.bytes.starts_with(b"%PDF-"), "is a PDF");
        assert!(
            pdf.bytes.len() < 150 * 1024,
            "subset font keeps it small: {} bytes",
            pdf.bytes.len()
        );
        assert!(pdf.substitutions.is_empty(), "{:?}", pdf.substitutions);
    }

    #[test]
    fn hostile_values_render_without_panic_and_report_missing_glyphs() {
        let long = "超长单位名称𠮷䶮<script>alert(1)</script>\u{200F}RTL مرحبا ".repeat(8);
        let mut letter = RiskLetter::sample();
        letter.unit_name = long.chars().take(200).collect();
        letter.legal_representative = "𠮷".repeat(200);
        letter.platform_account = "A".repeat(200);
        letter.contact_name = "{unit_name}{uscc}".into();
        let pdf = render_risk_letter(&letter, shipped()).expect("renders");
        assert_eq!(
            pdf.pages, 1,
            "200-character fields still fit on one page by shrinking"
        );
        assert!(
            pdf.substitutions.iter().any(|s| s.character == 'م'),
            "Arabic reported: {:?}",
            pdf.substitutions
        );
        assert!(
            pdf.substitutions.iter().all(|s| s.character != '𠮷'),
            "𠮷 is in the font"
        );
    }

    #[test]
    fn absurdly_long_input_continues_on_more_pages() {
        let mut letter = RiskLetter::sample();
        letter.unit_name = "很".repeat(6000);
        let pdf = render_risk_letter(&letter, shipped()).expect("renders");
        assert!(pdf.pages > 1, "{} pages", pdf.pages);
    }

    #[test]
    fn unknown_profile_is_a_template_error() {
        let mut letter = RiskLetter::sample();
        letter.profile = "atlantis".into();
        let err = render_risk_letter(&letter, shipped()).unwrap_err();
        assert!(matches!(err, DocsError::TemplateMissing { .. }), "{err:?}");
    }

    #[test]
    fn chinese_numerals() {
        let got: Vec<String> = [1, 5, 10, 11, 20, 23]
            .into_iter()
            .map(chinese_numeral)
            .collect();
        assert_eq!(got, ["一", "五", "十", "十一", "二十", "二十三"]);
    }
}
