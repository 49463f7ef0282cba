//! The acceptance receipt (受理回执): what was handed in, its number as text and QR code,
//! its state and how to follow up. Prints on A4 or on 80 mm thermal roll paper.

use serde::{Deserialize, Serialize};

use crate::canvas::{Flow, PaperSpec, leading, to_pdf};
use crate::font::DocumentFont;
use crate::qr::Qr;
use crate::templates::{self, fill};
use crate::text::{Substitution, fit, printable, wrap};
use crate::{DocsError, RenderedPdf};

/// Paper the receipt is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// A4 sheet (210 × 297 mm).
    #[default]
    A4,
    /// 80 mm thermal roll: 72 mm printable, height grows with the content.
    #[serde(rename = "80mm")]
    Thermal80,
}

impl std::str::FromStr for Paper {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Ok(Self::A4),
            "80mm" | "80" | "thermal" => Ok(Self::Thermal80),
            other => Err(format!("unknown paper {other:?}: use a4 or 80mm")),
        }
    }
}

/// Where the application stands when the receipt is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReceiptState {
    /// Registered on this kiosk; it will be sent when the kiosk is online.
    Queued,
    /// The platform has received it.
    Received,
}

/// What the receipt shows. Personal data arrives already masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    /// Platform profile whose template is used.
    pub profile: String,
    /// Template version; `None` takes the latest.
    #[serde(default)]
    pub template_version: Option<String>,
    /// Name of this kiosk.
    pub kiosk_name: String,
    /// Name of the service hall.
    pub hall_name: String,
    /// Phone number of the hall's help desk.
    pub hall_phone: String,
    /// Date and time of acceptance as it should appear (e.g. `2026-11-23 09:41`).
    pub issued_at: String,
    /// Application number, printed and encoded in the QR code.
    pub application_no: String,
    /// The short receipt code (`KG695-HRKAD`) visitors type at any kiosk to look it up.
    #[serde(default)]
    pub receipt_code: Option<String>,
    /// Applicant's name, masked (e.g. `张*国`).
    pub applicant_name_masked: String,
    /// Applicant's ID number, masked (e.g. `110***********271X`).
    pub id_number_masked: String,
    /// What was applied for, in Chinese.
    pub kind_label_zh: String,
    /// What was applied for, in English.
    pub kind_label_en: String,
    /// Materials handed in, one entry each (e.g. `营业执照（扫描件 2 页）`).
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Current state.
    pub state: ReceiptState,
    /// Optional extra line about the state (e.g. `排队第 3 位`).
    #[serde(default)]
    pub status_hint: Option<String>,
}

const A4: PaperSpec = PaperSpec {
    width: 210.0,
    height: Some(297.0),
    margin_x: 25.0,
    margin_top: 20.0,
    margin_bottom: 20.0,
};

const ROLL: PaperSpec = PaperSpec {
    width: 80.0,
    height: None,
    margin_x: 4.0,
    margin_top: 4.0,
    margin_bottom: 10.0,
};

/// Sizes that differ between the sheet and the roll.
struct Style {
    paper: PaperSpec,
    title: f32,
    body: f32,
    small: f32,
    label_w: f32,
    qr: f32,
}

impl Style {
    fn of(paper: Paper) -> Self {
        match paper {
            Paper::A4 => Self {
                paper: A4,
                title: 20.0,
                body: 11.0,
                small: 9.0,
                label_w: 30.0,
                qr: 36.0,
            },
            Paper::Thermal80 => Self {
                paper: ROLL,
                title: 15.0,
                body: 9.0,
                small: 7.5,
                label_w: 16.0,
                qr: 30.0,
            },
        }
    }
}

/// Renders the receipt on `paper`.
pub fn render_receipt(
    receipt: &Receipt,
    paper: Paper,
    font: &DocumentFont,
) -> Result<RenderedPdf, DocsError> {
    let t = templates::receipt(&receipt.profile, receipt.template_version.as_deref())?;
    let qr = Qr::encode(&crate::qr_payload(&receipt.application_no))?;
    let mut subs: Vec<Substitution> = Vec::new();
    let mut clean = |field: &str, value: &str| printable(font, field, value, &mut subs);
    let hall = clean("hallName", &receipt.hall_name);
    let kiosk = clean("kioskName", &receipt.kiosk_name);
    let phone = clean("hallPhone", &receipt.hall_phone);
    let issued = clean("issuedAt", &receipt.issued_at);
    let number = clean("applicationNo", &receipt.application_no);
    let code = receipt
        .receipt_code
        .as_deref()
        .map(|c| clean("receiptCode", c));
    let applicant = clean("applicantNameMasked", &receipt.applicant_name_masked);
    let id_number = clean("idNumberMasked", &receipt.id_number_masked);
    let kind_zh = clean("kindLabelZh", &receipt.kind_label_zh);
    let kind_en = clean("kindLabelEn", &receipt.kind_label_en);
    let attachments: Vec<String> = receipt
        .attachments
        .iter()
        .map(|a| clean("attachments", a))
        .collect();
    let hint = receipt
        .status_hint
        .as_deref()
        .map(|h| clean("statusHint", h));

    let values = [
        ("platform_name", t.platform_name.as_str()),
        ("hall_phone", phone.as_str()),
        ("application_no", number.as_str()),
    ];
    let style = Style::of(paper);
    let mut flow = Flow::new(font, style.paper);
    let x = style.paper.margin_x;
    let width = style.paper.content_width();

    flow.centered(style.title, 1.4, &t.title);
    flow.centered(style.small, 1.4, &t.subtitle);
    flow.centered(style.body, 1.4, &hall);
    flow.space(2.0);
    flow.reserve(1.0);
    let y = flow.y;
    flow.page().rule(x, y, x + width, y);
    flow.space(2.0);

    let state = match receipt.state {
        ReceiptState::Queued => fill(&t.state.queued, &values),
        ReceiptState::Received => fill(&t.state.received, &values),
    };
    let kind = if kind_en.is_empty() {
        kind_zh
    } else {
        format!("{kind_zh}（{kind_en}）")
    };
    let attachment_lines: Vec<String> = if attachments.is_empty() {
        vec![t.labels.no_attachments.clone()]
    } else {
        attachments.iter().map(|a| format!("· {a}")).collect()
    };
    let mut state_lines = vec![state];
    state_lines.extend(hint);
    let mut rows: Vec<(&str, Vec<String>)> = vec![
        (&t.labels.kiosk, vec![kiosk]),
        (&t.labels.issued_at, vec![issued]),
        (&t.labels.application_no, vec![number.clone()]),
    ];
    let code_row = t.labels.receipt_code.as_deref().zip(code.clone());
    if let Some((label, code)) = &code_row {
        rows.push((label, vec![code.clone()]));
    }
    rows.extend::<[(&str, Vec<String>); 5]>([
        (t.labels.applicant.as_str(), vec![applicant]),
        (t.labels.id_number.as_str(), vec![id_number]),
        (t.labels.kind.as_str(), vec![kind]),
        (t.labels.attachments.as_str(), attachment_lines),
        (t.labels.state.as_str(), state_lines),
    ]);
    for (label, values) in rows {
        if label == t.labels.application_no {
            identifier(&mut flow, &style, label, &number);
        } else {
            labelled(&mut flow, &style, label, &values);
        }
    }

    flow.space(2.0);
    flow.reserve(style.qr + leading(style.body, 1.4));
    let top = flow.y;
    let left = x + (width - style.qr) / 2.0;
    qr.draw(flow.page(), left, top, style.qr);
    flow.y = top + style.qr;
    // Under the QR code: what a visitor types at a kiosk — the receipt code where the template
    // has one, else the application number.
    let under_qr = code_row.map_or(number.clone(), |(_, code)| code);
    flow.centered(style.title, 1.4, &under_qr);
    flow.space(1.5);
    flow.reserve(1.0);
    let y = flow.y;
    flow.page().rule(x, y, x + width, y);
    flow.space(1.5);
    for help in [&t.help.status, &t.help.phone, &t.help.extra, &t.help.keep] {
        flow.paragraph(x, width, style.small, 1.45, &fill(help, &values));
    }

    let pages = flow.finish();
    let count = pages.len();
    let bytes = to_pdf(&t.title, font, style.paper.width, pages)?;
    Ok(RenderedPdf {
        bytes,
        pages: count,
        substitutions: subs,
    })
}

/// A label on the left and one or more wrapped values on the right.
fn labelled(flow: &mut Flow<'_>, style: &Style, label: &str, values: &[String]) {
    let value_w = style.paper.content_width() - style.label_w;
    let mut lines: Vec<String> = Vec::new();
    for value in values {
        lines.extend(wrap(flow.font, value, style.body, value_w));
    }
    labelled_lines(flow, style, label, &lines, style.body);
}

/// A label and an identifier kept on one line (smaller type on narrow paper, down to the
/// small size): a number broken at its hyphens is easy to misread or mistype.
fn identifier(flow: &mut Flow<'_>, style: &Style, label: &str, value: &str) {
    let value_w = style.paper.content_width() - style.label_w;
    let fitted = fit(flow.font, value, style.body, style.small, value_w, 1);
    labelled_lines(flow, style, label, &fitted.lines, fitted.size_pt);
}

/// Draws `label` (wrapped in the label column) beside already wrapped `lines` of `value_pt`.
fn labelled_lines(
    flow: &mut Flow<'_>,
    style: &Style,
    label: &str,
    lines: &[String],
    value_pt: f32,
) {
    let x = style.paper.margin_x;
    let value_x = x + style.label_w;
    let size = style.body;
    let lead = leading(size, 1.45);
    let label_lines = wrap(flow.font, label, size * 0.9, style.label_w - 1.5);
    let rows = lines.len().max(label_lines.len());
    for row in 0..rows {
        flow.reserve(lead);
        let baseline = flow.y + lead * 0.78;
        if let Some(l) = label_lines.get(row) {
            flow.page().text(x, baseline, size * 0.9, l);
        }
        if let Some(v) = lines.get(row) {
            flow.page().text(value_x, baseline, value_pt, v);
        }
        flow.y += lead;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::tests::shipped;

    fn sample() -> Receipt {
        Receipt {
            profile: "tianjin".into(),
            template_version: None,
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
            ],
            state: ReceiptState::Queued,
            status_hint: None,
        }
    }

    #[test]
    fn receipt_renders_on_both_papers() {
        for paper in [Paper::A4, Paper::Thermal80] {
            let pdf = render_receipt(&sample(), paper, shipped()).expect("renders");
            assert_eq!(pdf.pages, 1, "{paper:?}: one page");
            assert!(
                pdf.bytes.len() < 150 * 1024,
                "{paper:?}: {} bytes",
                pdf.bytes.len()
            );
        }
    }

    #[test]
    fn many_attachments_grow_the_roll_and_break_the_sheet() {
        let mut receipt = sample();
        receipt.attachments = (1..=80)
            .map(|i| format!("附件 {i}：𠮷䶮 <b>markup</b>"))
            .collect();
        let roll = render_receipt(&receipt, Paper::Thermal80, shipped()).expect("roll");
        assert_eq!(roll.pages, 1, "the roll grows instead of breaking");
        let sheet = render_receipt(&receipt, Paper::A4, shipped()).expect("sheet");
        assert!(sheet.pages > 1, "A4 continues on a second sheet");
    }

    #[test]
    fn paper_parses_from_cli_words() {
        assert_eq!("A4".parse::<Paper>(), Ok(Paper::A4));
        assert_eq!("80mm".parse::<Paper>(), Ok(Paper::Thermal80));
        assert!("letter".parse::<Paper>().is_err());
    }
}
