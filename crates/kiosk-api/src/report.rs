//! The end-of-day report: what this kiosk took in on one day (China time) by kind, state
//! and operator, what is still unsent, and how many attachments came with it; as data for
//! the screen and as an A4 PDF for the supervisor to sign. Counts only: no personal data.

use std::collections::BTreeMap;
use std::path::Path;

use kiosk_core::application::ApplicationKind;
use kiosk_core::{Date, Problem};
use kiosk_docs::{CountRow, DayReportPage};
use serde::Serialize;
use ts_rs::TS;

use crate::Kiosk;
use crate::documents::{self, WrittenDocument};

mod error;

pub use error::ReportError;

/// China Standard Time (UTC+8, no daylight saving), in milliseconds.
const DAY_MS: i64 = china_clock::DAY_MS;

/// One line of a count: a stable key, its label as shown, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DayCount {
    /// Stable key: the kind or state name (`legal-entity`, `submitted`) or the user name.
    pub key: String,
    /// Chinese label (the key itself for operators).
    pub label: String,
    /// How many applications.
    #[ts(type = "number")]
    pub count: u64,
}

/// The end-of-day report of one kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DayReport {
    /// The day, `YYYY-MM-DD`, China time.
    pub date: String,
    /// Name of this kiosk (setting).
    pub kiosk_name: String,
    /// Name of the hall (setting).
    pub hall_name: String,
    /// Applications taken in that day (drafts excluded).
    #[ts(type = "number")]
    pub total: u64,
    /// Per application kind.
    pub by_kind: Vec<DayCount>,
    /// Per current lifecycle state.
    pub by_state: Vec<DayCount>,
    /// Per operator (staff user name, `visitor` for self-service).
    pub by_operator: Vec<DayCount>,
    /// Applications of any day still waiting to be sent to the platform.
    #[ts(type = "number")]
    pub unsent: u64,
    /// Created time of the oldest of them, Unix ms.
    #[ts(optional)]
    #[ts(type = "number")]
    pub oldest_unsent_at: Option<i64>,
    /// Attachments handed in that day.
    #[ts(type = "number")]
    pub attachments: u64,
    /// Their total size in bytes.
    #[ts(type = "number")]
    pub attachment_bytes: u64,
}

/// Parses `YYYY-MM-DD`; `None` means today in China at `now`.
pub fn parse_day(text: Option<&str>, now: i64) -> Result<Date, Problem> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => crate::submit::china_date(now),
        Some(text) => {
            Date::parse(text).ok_or_else(|| ReportError::DateInvalid(text.to_owned()).into())
        }
    }
}

/// The report of `date` (China time); `now` dates the unsent figures.
pub fn day(kiosk: &Kiosk, date: Date, now: i64) -> Result<DayReport, Problem> {
    let from = china_clock::china::day_start_ms(date.unix_days());
    let rows = kiosk.store().day_rows(from, from + DAY_MS)?;
    let stats = kiosk.store().stats(now)?;
    let hall = documents::hall_info(kiosk)?;
    let mut by_kind: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_state: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_operator: BTreeMap<String, u64> = BTreeMap::new();
    let (mut attachments, mut attachment_bytes) = (0, 0);
    for row in &rows {
        *by_kind.entry(row.kind.clone()).or_default() += 1;
        *by_state.entry(row.state.clone()).or_default() += 1;
        *by_operator.entry(row.operator.clone()).or_default() += 1;
        attachments += row.attachments;
        attachment_bytes += row.attachment_bytes;
    }
    let unsent = ["submitted", "uploading"]
        .iter()
        .map(|s| stats.by_state.get(*s).copied().unwrap_or(0))
        .sum();
    Ok(DayReport {
        date: date.to_string(),
        kiosk_name: hall.kiosk_name,
        hall_name: hall.hall_name,
        total: rows.len() as u64,
        by_kind: counts(by_kind, kind_label),
        by_state: counts(by_state, state_label),
        by_operator: counts(by_operator, operator_label),
        unsent,
        oldest_unsent_at: stats.oldest_waiting_at,
        attachments,
        attachment_bytes,
    })
}

/// Renders the report of `date` into the print folder (deleted once printed).
pub fn day_pdf(kiosk: &Kiosk, date: Date, now: i64) -> Result<WrittenDocument, Problem> {
    let report = day(kiosk, date, now)?;
    let out = documents::new_print_file(kiosk, "day-report", now)?;
    write_pdf(&report, now, &out)
}

/// Renders `report` into `out`.
pub fn write_pdf(report: &DayReport, now: i64, out: &Path) -> Result<WrittenDocument, Problem> {
    let page = DayReportPage {
        kiosk_name: report.kiosk_name.clone(),
        hall_name: report.hall_name.clone(),
        date: report.date.clone(),
        generated_at: china_clock::timestamp_text(now),
        total: report.total,
        by_kind: rows(&report.by_kind),
        by_state: rows(&report.by_state),
        by_operator: rows(&report.by_operator),
        unsent: report.unsent,
        oldest_unsent: report.oldest_unsent_at.map(china_clock::timestamp_text),
        attachments: report.attachments,
        attachment_bytes: report.attachment_bytes,
    };
    let pdf = kiosk_docs::render_day_report(&page, documents::font()?)?;
    documents::write(out, "", pdf)
}

fn rows(counts: &[DayCount]) -> Vec<CountRow> {
    counts
        .iter()
        .map(|c| CountRow {
            label: c.label.clone(),
            count: c.count,
        })
        .collect()
}

/// Counts, largest first, then by key.
fn counts(map: BTreeMap<String, u64>, label: fn(&str) -> String) -> Vec<DayCount> {
    let mut list: Vec<DayCount> = map
        .into_iter()
        .map(|(key, count)| DayCount {
            label: label(&key),
            key,
            count,
        })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    list
}

fn kind_label(key: &str) -> String {
    ApplicationKind::parse(key).map_or_else(|| key.to_owned(), |k| k.label_zh().to_owned())
}

fn state_label(key: &str) -> String {
    crate::queue::parse_state(key).map_or_else(|_| key.to_owned(), |s| s.label_zh().to_owned())
}

fn operator_label(key: &str) -> String {
    match key {
        "" => "（未记录）".to_owned(),
        "visitor" => "自助办理 visitor".to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::submit::{Submission, submit};
    use crate::test_support::{NOW, fixture_with_files};

    fn submit_one(kiosk: &Kiosk, name: &str, actor: &str, at: i64) -> String {
        let profile = name.split('-').next().unwrap();
        let (json, files) = fixture_with_files(name);
        submit(
            kiosk,
            Submission {
                profile,
                application: serde_json::from_str(&json).unwrap(),
                attachments: files,
                actor,
                draft_id: None,
            },
            at,
        )
        .unwrap()
        .id
    }

    #[test]
    fn day_counts_by_kind_state_operator_and_leaves_other_days_out() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        submit_one(&kiosk, "tianjin-legal-entity", "clerk1", NOW);
        submit_one(&kiosk, "tianjin-legal-entity", "clerk1", NOW + 1000);
        submit_one(&kiosk, "tianjin-natural-person", "visitor", NOW + 2000);
        submit_one(&kiosk, "tianjin-natural-person", "clerk2", NOW - DAY_MS);
        let today = crate::submit::china_date(NOW).unwrap();
        let report = day(&kiosk, today, NOW + 3000).unwrap();
        assert_eq!(
            report.total, 3,
            "yesterday's application is left out: {report:?}"
        );
        assert_eq!(report.by_kind[0].key, "legal-entity");
        assert_eq!(report.by_kind[0].count, 2);
        assert_eq!(
            report.by_kind[0].label, "法人（单位）用户注册",
            "{report:?}"
        );
        assert_eq!(
            report.by_state,
            [DayCount {
                key: "submitted".into(),
                label: "待上传".into(),
                count: 3
            }]
        );
        let operators: Vec<(&str, u64)> = report
            .by_operator
            .iter()
            .map(|c| (c.key.as_str(), c.count))
            .collect();
        assert_eq!(operators, [("clerk1", 2), ("visitor", 1)]);
        assert_eq!(report.unsent, 4, "unsent counts every day");
        assert_eq!(report.oldest_unsent_at, Some(NOW - DAY_MS));
        assert!(report.attachments >= 6, "{report:?}");
        assert!(report.attachment_bytes > 0);
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains("赵磊"), "no personal data: {json}");

        let doc = day_pdf(&kiosk, today, NOW + 3000).unwrap();
        assert_eq!(doc.pages, 1);
        let text = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8", &doc.path, "-"])
            .output()
            .expect("pdftotext is installed")
            .stdout;
        let text = String::from_utf8_lossy(&text);
        assert!(
            text.contains("终端日报") && text.contains("clerk1"),
            "{text}"
        );
    }

    #[test]
    fn bad_date_is_a_problem_on_the_date_field() {
        let problem = parse_day(Some("23/11/2026"), NOW).unwrap_err();
        assert_eq!(problem.code, "REPORT_DATE_INVALID");
        assert_eq!(
            parse_day(None, NOW).unwrap(),
            crate::submit::china_date(NOW).unwrap()
        );
    }
}
