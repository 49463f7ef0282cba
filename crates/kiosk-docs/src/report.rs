//! The end-of-day report (终端日报): what the kiosk took in on one day, for the supervisor
//! to check and sign before the applications leave the building. A4, same font and layout
//! primitives as the letters; it carries counts and staff user names, never personal data.

use serde::{Deserialize, Serialize};

use crate::canvas::{Flow, PaperSpec, leading, to_pdf};
use crate::font::DocumentFont;
use crate::text::{Substitution, fit, printable};
use crate::{DocsError, RenderedPdf};

/// One line of a count table: what is counted and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountRow {
    /// What is counted, as printed (e.g. `法人用户注册`, `待上传`, `clerk1`).
    pub label: String,
    /// How many.
    pub count: u64,
}

/// What the end-of-day report shows. Plain data: `kiosk-api` fills it from the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DayReportPage {
    /// Name of this kiosk.
    pub kiosk_name: String,
    /// Name of the service hall.
    pub hall_name: String,
    /// The day reported on, e.g. `2026-11-23`.
    pub date: String,
    /// When the report was made, e.g. `2026-11-23 18:02`.
    pub generated_at: String,
    /// Applications taken in that day.
    pub total: u64,
    /// Applications per kind.
    pub by_kind: Vec<CountRow>,
    /// Applications per current state.
    pub by_state: Vec<CountRow>,
    /// Applications per operator (staff user name, or the visitor self-service).
    pub by_operator: Vec<CountRow>,
    /// Applications on this kiosk not yet received by the platform (any day).
    pub unsent: u64,
    /// The oldest of them, as printed (e.g. `2026-11-20 09:12`), if any.
    pub oldest_unsent: Option<String>,
    /// Attachments handed in that day.
    pub attachments: u64,
    /// Their total size in bytes.
    pub attachment_bytes: u64,
}

const A4: PaperSpec = PaperSpec {
    width: 210.0,
    height: Some(297.0),
    margin_x: 22.0,
    margin_top: 18.0,
    margin_bottom: 18.0,
};

const TITLE: &str = "终端日报";
const SUBTITLE: &str = "End-of-day report";
const BODY: f32 = 10.5;
const SMALL: f32 = 8.5;

/// Renders the report on A4 (long operator or kind lists continue on more pages).
pub fn render_day_report(
    report: &DayReportPage,
    font: &DocumentFont,
) -> Result<RenderedPdf, DocsError> {
    let mut subs: Vec<Substitution> = Vec::new();
    let mut clean = |field: &str, value: &str| printable(font, field, value, &mut subs);
    let hall = clean("hallName", &report.hall_name);
    let kiosk = clean("kioskName", &report.kiosk_name);
    let date = clean("date", &report.date);
    let generated = clean("generatedAt", &report.generated_at);
    let oldest = report
        .oldest_unsent
        .as_deref()
        .map(|o| clean("oldestUnsent", o));
    let mut rows = |field: &str, list: &[CountRow]| -> Vec<(String, String)> {
        list.iter()
            .map(|r| (clean(field, &r.label), r.count.to_string()))
            .collect()
    };
    let by_kind = rows("byKind", &report.by_kind);
    let by_state = rows("byState", &report.by_state);
    let by_operator = rows("byOperator", &report.by_operator);

    let mut flow = Flow::new(font, A4);
    let x = A4.margin_x;
    let width = A4.content_width();
    flow.centered(20.0, 1.4, TITLE);
    flow.centered(SMALL, 1.4, SUBTITLE);
    flow.space(2.0);
    flow.centered(BODY, 1.45, &format!("{hall}　{kiosk}"));
    flow.centered(BODY, 1.45, &format!("日期 Date：{date}"));
    flow.space(3.0);

    let summary = vec![
        ("当日受理 Applications".to_owned(), report.total.to_string()),
        (
            "提交材料 Attachments".to_owned(),
            format!(
                "{} 份 / {}",
                report.attachments,
                size_text(report.attachment_bytes)
            ),
        ),
        (
            "未报送（全部） Not yet sent".to_owned(),
            report.unsent.to_string(),
        ),
        (
            "最早未报送 Oldest unsent".to_owned(),
            oldest.unwrap_or_else(|| "—".to_owned()),
        ),
    ];
    table(&mut flow, "概况 Summary", &summary);
    table(&mut flow, "按事项 By kind", &by_kind);
    table(&mut flow, "按状态 By state", &by_state);
    table(&mut flow, "按经办人 By operator", &by_operator);

    flow.space(8.0);
    flow.reserve(leading(BODY, 1.5) * 2.0 + 4.0);
    let lead = leading(BODY, 1.5);
    let y = flow.y;
    flow.page().text(
        x,
        y + lead * 0.78,
        BODY,
        "值班主管签字 Supervisor：＿＿＿＿＿＿＿＿",
    );
    let when = "核对日期 Checked on：＿＿＿＿＿＿";
    let when_x = x + width - font.width_mm(when, BODY);
    flow.page().text(when_x, y + lead * 0.78, BODY, when);
    flow.y += lead * 2.0;
    flow.paragraph(
        x,
        width,
        SMALL,
        1.4,
        &format!("生成时间 Generated：{generated}　本报表只含统计数字，不含申请人个人信息。"),
    );

    let pages = flow.finish();
    let count = pages.len();
    let bytes = to_pdf(TITLE, font, A4.width, pages)?;
    Ok(RenderedPdf {
        bytes,
        pages: count,
        substitutions: subs,
    })
}

/// A headed two-column table: label on the left, figure right-aligned on the right.
fn table(flow: &mut Flow<'_>, heading: &str, rows: &[(String, String)]) {
    let x = flow.paper.margin_x;
    let width = flow.paper.content_width();
    let value_w = 48.0;
    let pad = 2.0;
    let head_lead = leading(BODY + 1.0, 1.5);
    flow.reserve(head_lead + 8.0);
    let y = flow.y;
    flow.page()
        .text(x, y + head_lead * 0.78, BODY + 1.0, heading);
    flow.y += head_lead;
    let empty = [("（无）None".to_owned(), "0".to_owned())];
    let rows = if rows.is_empty() { &empty[..] } else { rows };
    for (label, value) in rows {
        let label_fit = fit(flow.font, label, BODY, 7.0, width - value_w - 2.0 * pad, 2);
        let value_fit = fit(flow.font, value, BODY, 7.0, value_w - 2.0 * pad, 1);
        let lead = leading(label_fit.size_pt, 1.35);
        let height = (label_fit.lines.len() as f32 * lead).max(leading(BODY, 1.35)) + 2.0 * pad;
        flow.reserve(height);
        let top = flow.y;
        let font = flow.font;
        let page = flow.page();
        page.frame(x, top, width - value_w, height, false);
        page.frame(x + width - value_w, top, value_w, height, false);
        let mut line_y = top + pad;
        for line in &label_fit.lines {
            page.text(x + pad, line_y + lead * 0.78, label_fit.size_pt, line);
            line_y += lead;
        }
        for line in &value_fit.lines {
            let w = font.width_mm(line, value_fit.size_pt);
            let value_lead = leading(value_fit.size_pt, 1.35);
            let baseline = top + (height - value_lead) / 2.0 + value_lead * 0.78;
            page.text(x + width - pad - w, baseline, value_fit.size_pt, line);
        }
        flow.y = top + height;
    }
    flow.space(4.0);
}

/// `1536` → `1.5 KB`, `3 145 728` → `3.0 MB`.
fn size_text(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / KB / KB)
    } else {
        format!("{:.2} GB", b / KB / KB / KB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::tests::shipped;

    fn sample() -> DayReportPage {
        DayReportPage {
            kiosk_name: "1 号自助登记终端".into(),
            hall_name: "天津市政务服务中心".into(),
            date: "2026-11-23".into(),
            generated_at: "2026-11-23 18:02".into(),
            total: 3,
            by_kind: vec![CountRow {
                label: "法人用户注册".into(),
                count: 3,
            }],
            by_state: vec![CountRow {
                label: "待上传".into(),
                count: 3,
            }],
            by_operator: vec![CountRow {
                label: "clerk1".into(),
                count: 3,
            }],
            unsent: 3,
            oldest_unsent: Some("2026-11-23 09:12".into()),
            attachments: 7,
            attachment_bytes: 3 * 1024 * 1024,
        }
    }

    #[test]
    fn ordinary_report_is_one_small_page() {
        let pdf = render_day_report(&sample(), shipped()).expect("renders");
        assert_eq!(pdf.pages, 1, "one page");
        assert!(pdf.bytes.len() < 150 * 1024, "{} bytes", pdf.bytes.len());
    }

    #[test]
    fn empty_day_and_hundreds_of_operators_both_render() {
        let mut empty = sample();
        empty.total = 0;
        empty.by_kind.clear();
        empty.by_state.clear();
        empty.by_operator.clear();
        empty.oldest_unsent = None;
        let pdf = render_day_report(&empty, shipped()).expect("empty day renders");
        assert_eq!(pdf.pages, 1, "empty day: one page");
        let mut busy = sample();
        busy.by_operator = (0..300)
            .map(|i| CountRow {
                label: format!("operator-{i} {}", "很".repeat(i % 90)),
                count: 1,
            })
            .collect();
        let pdf = render_day_report(&busy, shipped()).expect("busy day renders");
        assert!(pdf.pages > 1, "long lists continue: {} pages", pdf.pages);
    }

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(1536), "1.5 KB");
        assert_eq!(size_text(3 * 1024 * 1024), "3.0 MB");
    }
}
