//! Printed documents: the risk commitment letter of a saved legal-entity draft, the
//! acceptance receipt of a queued application, and printing them through CUPS.
//!
//! This module maps the domain onto `kiosk-docs`' plain inputs, masking personal data on
//! the way (the receipt only ever sees the masked summary the queue keeps), and loads the
//! shipped CJK font once per process. The kiosk writes its PDFs to `<data_dir>/print/`:
//! they hold personal data, so [`print_document`] deletes each one once CUPS has it, and
//! [`clear_print_folder`] empties the folder when the app starts.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;

use kiosk_core::application::{Application, ApplicationForm, ApplicationKind, MaskedSummary};
use kiosk_core::lifecycle::LifecycleState;
use kiosk_core::privacy::mask_mobile;
use kiosk_core::{Problem, Profile, UserFacing};
use kiosk_docs::print::{Cups, JobStatus, PrintJob};
use kiosk_docs::{DocumentFont, FontSource, Receipt, RenderedPdf, RiskLetter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use kiosk_docs::{Paper, ReceiptState, qr_payload};

use crate::{Kiosk, SETTING_HALL_NAME, SETTING_HALL_PHONE, SETTING_KIOSK_NAME, SETTING_PRINTER};

/// Environment variable naming a folder whose `fonts/NotoSansCJKsc-Regular.otf` replaces
/// the system font (Debian's fonts-noto-cjk) for documents.
pub const ASSETS_DIR_ENV: &str = "KIOSK_ASSETS_DIR";

/// Folder under the data directory where documents wait to be printed.
pub const PRINT_FOLDER: &str = "print";

/// China Standard Time (UTC+8, no daylight saving), in milliseconds.
const CHINA_OFFSET_MS: i64 = 8 * 60 * 60 * 1000;

/// The hall and kiosk printed on receipts (from the settings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HallInfo {
    /// Name of this kiosk.
    pub kiosk_name: String,
    /// Name of the service hall.
    pub hall_name: String,
    /// Help-desk phone of the hall.
    pub hall_phone: String,
}

/// A document written to disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WrittenDocument {
    /// Where the PDF was written (pass it to `print_document`).
    pub path: String,
    /// Number of pages.
    pub pages: u32,
    /// Size of the PDF in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// The application number printed on it (text and QR code).
    pub application_no: String,
    /// Characters the font cannot draw, printed as their code point: show these to the
    /// clerk, the paper differs from what was typed.
    pub substitutions: Vec<GlyphSubstitution>,
}

/// A character printed as its code point because the font has no glyph for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GlyphSubstitution {
    /// Field that held it (camelCase, e.g. `unitName`).
    pub field: String,
    /// The typed character.
    pub character: String,
    /// What was printed instead, e.g. `〔U+0627〕`.
    pub printed_as: String,
}

/// A CUPS print queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PrinterInfo {
    /// Queue name.
    pub name: String,
    /// Whether it is the system default printer.
    pub is_default: bool,
    /// Whether the queue accepts and prints jobs (false: paper out, jam, stopped).
    pub enabled: bool,
    /// CUPS's state and reason, e.g. `disabled: Media empty`.
    pub state: String,
}

/// A print job handed to CUPS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PrintJobInfo {
    /// CUPS job id, e.g. `kiosk-pdf-12`.
    pub id: String,
    /// Queue it went to.
    pub printer: String,
}

/// Where a print job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PrintJobState {
    /// Waiting or printing.
    Pending,
    /// Printed.
    Completed,
}

/// Parses `a4` or `80mm` (the paper of a receipt).
pub fn parse_paper(text: &str) -> Result<Paper, Problem> {
    Paper::from_str(text).map_err(|_| {
        Problem::new(
            "PAPER_UNKNOWN",
            format!("不支持的纸张“{text}”。请选择 a4 或 80mm。"),
            format!("Unknown paper {text:?}. Choose a4 or 80mm."),
        )
        .at("paper")
    })
}

/// A new application number (UUIDv7), for documents rendered from a file that has none.
pub fn new_application_no() -> String {
    uuid::Uuid::now_v7().to_string()
}

// ----- inputs -----

/// Fills the risk letter of a legal-entity application. `application_no` is what the text
/// and QR code carry (the draft id); `today` is the printing date as printed.
pub fn risk_letter_input(
    app: &Application,
    application_no: &str,
    today: &str,
) -> Result<RiskLetter, Problem> {
    let ApplicationForm::LegalEntity(form) = &app.form else {
        return Err(Problem::new(
            "RISK_LETTER_NOT_APPLICABLE",
            "只有法人（单位）用户注册需要风险承诺书。",
            "Only legal-entity registrations need a risk commitment letter.",
        ));
    };
    let contact_name = form
        .unit
        .contact_name
        .clone()
        .or_else(|| form.primary_agent.as_ref().map(|p| p.name.clone()))
        .unwrap_or_else(|| form.legal_representative.name.clone());
    let contact_mobile = form.unit.contact_mobile.as_deref().or(form
        .primary_agent
        .as_ref()
        .and_then(|p| p.mobile.as_deref()));
    Ok(RiskLetter {
        profile: app.profile.clone(),
        template_version: None,
        unit_name: form.unit.name.clone(),
        uscc: form.unit.uscc.clone(),
        legal_representative: form.legal_representative.name.clone(),
        platform_account: form.account.account_name.clone().unwrap_or_default(),
        contact_name,
        contact_phone_masked: contact_mobile.map(mask_mobile),
        application_no: application_no.to_owned(),
        date: today.to_owned(),
    })
}

/// Fills a receipt from an application's masked summary: the receipt never sees a full
/// name or ID number. `attachments` are the lines listing what was handed in.
pub fn receipt_input(
    summary: &MaskedSummary,
    application_no: &str,
    attachments: Vec<String>,
    hall: &HallInfo,
    issued_at: &str,
    state: ReceiptState,
) -> Receipt {
    let flow = Profile::by_id(&summary.profile)
        .ok()
        .and_then(|p| p.flow(summary.kind));
    let (kind_zh, kind_en) = match flow {
        Some(flow) => (flow.label_zh.clone(), flow.label_en.clone()),
        None => (
            summary.kind.label_zh().to_owned(),
            kind_label_en(summary.kind).to_owned(),
        ),
    };
    let applicant = match (&summary.applicant, &summary.unit_name) {
        (Some(person), Some(unit)) => format!("{person}（{unit}）"),
        (Some(person), None) => person.clone(),
        (None, Some(unit)) => unit.clone(),
        (None, None) => "—".to_owned(),
    };
    Receipt {
        profile: summary.profile.clone(),
        template_version: None,
        kiosk_name: hall.kiosk_name.clone(),
        hall_name: hall.hall_name.clone(),
        hall_phone: hall.hall_phone.clone(),
        issued_at: issued_at.to_owned(),
        application_no: application_no.to_owned(),
        receipt_code: Some(kiosk_core::receipt::display(
            &kiosk_core::receipt::receipt_code(application_no),
        )),
        applicant_name_masked: applicant,
        id_number_masked: summary
            .id_number
            .clone()
            .or_else(|| summary.mobile.clone())
            .unwrap_or_else(|| "—".into()),
        kind_label_zh: kind_zh,
        kind_label_en: kind_en,
        attachments,
        state,
        status_hint: None,
    }
}

/// One line per attachment slot: the profile's label and how many files, e.g.
/// `企业营业执照或事业单位法人证书 ×2`. Unknown slots print their own name.
pub fn attachment_lines<'a>(
    profile: &str,
    kind: ApplicationKind,
    slots: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let flow = Profile::by_id(profile).ok().and_then(|p| p.flow(kind));
    let mut counted: Vec<(String, usize)> = Vec::new();
    for slot in slots {
        match counted.iter_mut().find(|(s, _)| *s == slot) {
            Some((_, n)) => *n += 1,
            None => counted.push((slot.to_owned(), 1)),
        }
    }
    counted
        .into_iter()
        .map(|(slot, n)| {
            let label = flow
                .and_then(|f| f.attachments.iter().find(|a| a.slot == slot))
                .map_or(slot, |a| a.label_zh.clone());
            if n > 1 {
                format!("{label} ×{n}")
            } else {
                label
            }
        })
        .collect()
}

/// The state a receipt prints for an application's lifecycle state.
pub fn receipt_state(state: LifecycleState) -> Result<ReceiptState, Problem> {
    match state {
        LifecycleState::Draft => Err(Problem::new(
            "RECEIPT_NOT_SUBMITTED",
            "这份申请还没有提交，不能打印受理回执。请先提交申请。",
            "This application has not been submitted yet; submit it before printing a receipt.",
        )),
        LifecycleState::Submitted | LifecycleState::Uploading => Ok(ReceiptState::Queued),
        LifecycleState::Accepted
        | LifecycleState::Verified
        | LifecycleState::Rejected
        | LifecycleState::NeedsAction
        | LifecycleState::Purged => Ok(ReceiptState::Received),
    }
}

/// English name of an application kind, printed under the Chinese one when the profile
/// has no flow for it.
fn kind_label_en(kind: ApplicationKind) -> &'static str {
    match kind {
        ApplicationKind::NaturalPerson => "Personal account registration",
        ApplicationKind::LegalEntity => "Legal entity registration",
        ApplicationKind::Expert => "Review expert registration",
        ApplicationKind::LegacyBinding => "Legacy account binding",
        ApplicationKind::RealName => "Real-name verification",
        ApplicationKind::PasswordResetAppeal => "Password reset by appeal",
    }
}

/// The date in China at `now` (Unix ms) as printed: `2026-11-23`.
pub fn china_date_text(now: i64) -> Result<String, Problem> {
    Ok(crate::submit::china_date(now)?.to_string())
}

/// Date and time in China at `now` (Unix ms) as printed: `2026-11-23 09:41`.
pub fn china_timestamp_text(now: i64) -> Result<String, Problem> {
    let minutes = (now + CHINA_OFFSET_MS).rem_euclid(24 * 60 * 60 * 1000) / 60_000;
    Ok(format!(
        "{} {:02}:{:02}",
        china_date_text(now)?,
        minutes / 60,
        minutes % 60
    ))
}

/// The hall and kiosk names from the settings (empty when not set yet).
pub fn hall_info(kiosk: &Kiosk) -> Result<HallInfo, Problem> {
    let setting = |key: &str| -> Result<String, Problem> {
        Ok(kiosk.store().setting(key)?.unwrap_or_default())
    };
    Ok(HallInfo {
        kiosk_name: setting(SETTING_KIOSK_NAME)?,
        hall_name: setting(SETTING_HALL_NAME)?,
        hall_phone: setting(SETTING_HALL_PHONE)?,
    })
}

// ----- documents of the kiosk (written under <data_dir>/print/) -----

/// Renders the risk letter of the saved draft `draft_id` into the print folder. The
/// number on the letter and in its QR code is the draft id, which stays the application's
/// id on submission, so the signed scan finds its application.
pub fn risk_letter_pdf(
    kiosk: &Kiosk,
    draft_id: &str,
    now: i64,
) -> Result<WrittenDocument, Problem> {
    let draft = crate::submit::load_draft(kiosk, draft_id)?;
    let mut application = draft.application;
    if let Some(object) = application.as_object_mut() {
        object
            .entry("profile")
            .or_insert_with(|| serde_json::Value::String(draft.profile.clone()));
    }
    let app: Application = serde_json::from_value(application).map_err(|e| {
        Problem::new(
            "DRAFT_INCOMPLETE",
            "草稿还没有填完，暂时不能生成风险承诺书。请先填写单位信息和法定代表人。",
            format!("The draft is not complete yet ({e}); fill in the unit and legal representative first."),
        )
    })?;
    let number = draft.id.unwrap_or_else(|| draft_id.to_owned());
    let letter = risk_letter_input(&app, &number, &china_date_text(now)?)?;
    let pdf = kiosk_docs::render_risk_letter(&letter, font()?)?;
    let out = new_print_file(kiosk, "risk-letter", now)?;
    write(&out, &number, pdf)
}

/// Renders the receipt of the submitted application `application_id` on `paper` into the
/// print folder: state queued or received, masked applicant, hall and kiosk from settings.
pub fn receipt_pdf(
    kiosk: &Kiosk,
    application_id: &str,
    paper: Paper,
    now: i64,
) -> Result<WrittenDocument, Problem> {
    let detail = kiosk.store().show(application_id)?;
    let state = receipt_state(detail.entry.state)?;
    let summary: MaskedSummary =
        serde_json::from_value(detail.entry.summary.clone()).map_err(|_| {
            Problem::new(
                "RECEIPT_SUMMARY_UNREADABLE",
                "这份申请的摘要无法读取，不能打印回执。请联系管理员。",
                "The application's summary cannot be read, so no receipt can be printed. Call an administrator.",
            )
        })?;
    let attachments = attachment_lines(
        &summary.profile,
        summary.kind,
        detail.attachments.iter().map(|a| a.slot.as_str()),
    );
    let mut receipt = receipt_input(
        &summary,
        &detail.entry.id,
        attachments,
        &hall_info(kiosk)?,
        &china_timestamp_text(now)?,
        state,
    );
    receipt.status_hint = Some(format!("系统状态：{}", detail.entry.state.label_zh()));
    let pdf = kiosk_docs::render_receipt(&receipt, paper, font()?)?;
    let out = new_print_file(kiosk, "receipt", now)?;
    write(&out, &detail.entry.id, pdf)
}

/// The folder where documents wait to be printed.
pub fn print_folder(kiosk: &Kiosk) -> PathBuf {
    kiosk.data_dir().join(PRINT_FOLDER)
}

/// Deletes every document left in the print folder (run at start: a crash or power cut
/// may have left personal data there). Returns how many files were removed.
pub fn clear_print_folder(kiosk: &Kiosk) -> Result<u64, Problem> {
    let dir = print_folder(kiosk);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(folder_problem(&dir, &e)),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() {
            std::fs::remove_file(&path).map_err(|e| folder_problem(&dir, &e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Prints a document of the print folder on `printer`, else the configured printer
/// (setting `print.printer`), else the system default; deletes the file once CUPS has
/// taken it (CUPS keeps its own spooled copy until the job is done).
pub fn print_document(
    kiosk: &Kiosk,
    path: &Path,
    printer: Option<&str>,
) -> Result<PrintJobInfo, Problem> {
    let folder = print_folder(kiosk);
    let inside = match (path.canonicalize(), folder.canonicalize()) {
        (Ok(file), Ok(folder)) => file.starts_with(&folder) && file.is_file(),
        _ => false,
    };
    if !inside {
        return Err(Problem::new(
            "PRINT_FILE_MISSING",
            "要打印的文书不存在或已打印。请重新生成文书。",
            "The document to print does not exist or was already printed. Generate it again.",
        )
        .at("path"));
    }
    let configured = kiosk
        .store()
        .setting(SETTING_PRINTER)?
        .filter(|p| !p.trim().is_empty());
    let printer = printer
        .filter(|p| !p.trim().is_empty())
        .map(str::to_owned)
        .or(configured);
    let job = print_file(path, printer.as_deref())?;
    if let Err(e) = std::fs::remove_file(path) {
        log::warn!("printed document could not be deleted: {e}");
    }
    purge_when_done(&job);
    Ok(job)
}

/// How long a print job may wait (paper out, jam) before its document leaves the spool.
pub const PRINT_JOB_KEPT: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Follows `job` in the background; if it fails or still waits after [`PRINT_JOB_KEPT`], it
/// is cancelled: the visitor prints again from the screen, and the document does not print
/// later for someone else. (CUPS deletes a job's document once the job is done because the
/// package's postinst sets `PreserveJobFiles No`; CUPS's default keeps it for a day.)
fn purge_when_done(job: &PrintJobInfo) {
    let job = PrintJob {
        id: job.id.clone(),
        printer: job.printer.clone(),
    };
    let spawned = std::thread::Builder::new()
        .name("print-purge".into())
        .spawn(move || {
            let cups = Cups::system();
            if let Err(e) = cups.wait(&job, PRINT_JOB_KEPT) {
                log::warn!("print job {} did not finish: {e}", job.id);
                if let Err(e) = cups.purge(&job) {
                    log::warn!("{e}");
                }
            }
        });
    if let Err(e) = spawned {
        log::warn!("print job not followed: {e}");
    }
}

// ----- plain files (kioskctl) -----

/// Renders the risk letter of `app` into `out` with `application_no` on it.
pub fn write_risk_letter(
    app: &Application,
    application_no: &str,
    today: &str,
    out: &Path,
) -> Result<WrittenDocument, Problem> {
    let letter = risk_letter_input(app, application_no, today)?;
    let pdf = kiosk_docs::render_risk_letter(&letter, font()?)?;
    write(out, application_no, pdf)
}

/// Renders the receipt of `app` on `paper` into `out` (masked through its summary).
pub fn write_receipt(
    app: &Application,
    application_no: &str,
    hall: &HallInfo,
    issued_at: &str,
    state: ReceiptState,
    paper: Paper,
    out: &Path,
) -> Result<WrittenDocument, Problem> {
    let summary = app.masked_summary();
    let attachments = attachment_lines(
        &app.profile,
        app.kind(),
        app.form.attachments().iter().map(|a| a.slot.as_str()),
    );
    let receipt = receipt_input(
        &summary,
        application_no,
        attachments,
        hall,
        issued_at,
        state,
    );
    let pdf = kiosk_docs::render_receipt(&receipt, paper, font()?)?;
    write(out, application_no, pdf)
}

/// The CUPS print queues, the default one marked.
pub fn list_printers() -> Result<Vec<PrinterInfo>, Problem> {
    let printers = Cups::system().printers()?;
    Ok(printers
        .into_iter()
        .map(|p| PrinterInfo {
            name: p.name,
            is_default: p.is_default,
            enabled: p.enabled,
            state: p.state,
        })
        .collect())
}

/// Sends the PDF at `path` to `printer`, or to the system default printer.
pub fn print_file(path: &Path, printer: Option<&str>) -> Result<PrintJobInfo, Problem> {
    if !path.is_file() {
        return Err(Problem::new(
            "PRINT_FILE_MISSING",
            format!("找不到要打印的文件 {}。请重新生成文书。", path.display()),
            format!(
                "The file to print, {}, does not exist. Generate the document again.",
                path.display()
            ),
        )
        .at("path"));
    }
    let title = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let job = Cups::system().print(path, printer, &title)?;
    Ok(PrintJobInfo {
        id: job.id,
        printer: job.printer,
    })
}

/// Where a print job stands; a failed job (paper out, stopped queue) is a [`Problem`].
pub fn print_job_state(job: &PrintJobInfo) -> Result<PrintJobState, Problem> {
    let job = PrintJob {
        id: job.id.clone(),
        printer: job.printer.clone(),
    };
    match Cups::system().job_status(&job)? {
        JobStatus::Pending => Ok(PrintJobState::Pending),
        JobStatus::Completed => Ok(PrintJobState::Completed),
        JobStatus::Failed(detail) => Err(kiosk_docs::DocsError::PrintFailed { detail }.problem()),
    }
}

// ----- helpers -----

/// A fresh file name in the print folder (created owner-only).
pub(crate) fn new_print_file(kiosk: &Kiosk, kind: &str, now: i64) -> Result<PathBuf, Problem> {
    let dir = print_folder(kiosk);
    std::fs::create_dir_all(&dir).map_err(|e| folder_problem(&dir, &e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    }
    let unique = uuid::Uuid::now_v7();
    Ok(dir.join(format!("{kind}-{now}-{unique}.pdf")))
}

fn folder_problem(dir: &Path, e: &std::io::Error) -> Problem {
    Problem::new(
        "PRINT_FOLDER_FAILED",
        format!(
            "无法使用打印文件夹 {}（{e}）。请检查磁盘空间和目录权限。",
            dir.display()
        ),
        format!(
            "Cannot use the print folder {} ({e}). Check disk space and folder permissions.",
            dir.display()
        ),
    )
}

pub(crate) fn write(
    out: &Path,
    application_no: &str,
    pdf: RenderedPdf,
) -> Result<WrittenDocument, Problem> {
    std::fs::write(out, &pdf.bytes).map_err(|source| {
        kiosk_docs::DocsError::Write {
            path: out.display().to_string(),
            source,
        }
        .problem()
    })?;
    Ok(WrittenDocument {
        path: out.display().to_string(),
        pages: u32::try_from(pdf.pages).unwrap_or(u32::MAX),
        bytes: pdf.bytes.len() as u64,
        application_no: application_no.to_owned(),
        substitutions: pdf
            .substitutions
            .into_iter()
            .map(|s| GlyphSubstitution {
                field: s.field,
                character: s.character.to_string(),
                printed_as: s.printed_as,
            })
            .collect(),
    })
}

/// The documents' font (Noto Sans CJK SC from Debian's fonts-noto-cjk, a dependency of the
/// package), parsed on first use (a fraction of a second) and kept for the process.
pub(crate) fn font() -> Result<&'static DocumentFont, Problem> {
    static FONT: OnceLock<DocumentFont> = OnceLock::new();
    if let Some(font) = FONT.get() {
        return Ok(font);
    }
    let font = DocumentFont::load_source(&FontSource::locate(&font_asset_dirs()))?;
    Ok(FONT.get_or_init(|| font))
}

/// Asset folders whose `fonts/` may hold an override of the system font:
/// `$KIOSK_ASSETS_DIR`, then `assets` next to the executable.
fn font_asset_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os(ASSETS_DIR_ENV).filter(|v| !v.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("assets"));
    }
    dirs
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::submit::{DraftData, Submission, save_draft, submit};
    use crate::test_support::{NOW, fixture, fixture_with_files};

    fn app(name: &str) -> Application {
        Application::from_json(&fixture(name)).unwrap_or_else(|p| panic!("{name}: {p}"))
    }

    fn kiosk() -> (tempfile::TempDir, Kiosk) {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        (dir, kiosk)
    }

    fn hall() -> HallInfo {
        HallInfo {
            kiosk_name: "1 号终端".into(),
            hall_name: "测试大厅".into(),
            hall_phone: "022-1234".into(),
        }
    }

    fn pdftotext(path: &str) -> String {
        let out = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8", path, "-"])
            .output()
            .expect("pdftotext (poppler-utils) is installed");
        String::from_utf8_lossy(&out.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    }

    #[test]
    fn legal_entity_fills_the_letter_with_a_masked_phone() {
        let letter =
            risk_letter_input(&app("tianjin-legal-entity"), "APP-1", "2026-11-23").unwrap();
        assert_eq!(letter.unit_name, "天津示例新材料有限公司");
        assert_eq!(letter.uscc, "91120116MA07R4CN6Y");
        assert_eq!(letter.platform_account, "tjshili2021");
        assert_eq!(letter.contact_name, "陈静");
        assert_eq!(
            letter.contact_phone_masked.as_deref(),
            Some("139****0004"),
            "phone masked"
        );
    }

    #[test]
    fn natural_person_has_no_risk_letter() {
        let problem =
            risk_letter_input(&app("tianjin-natural-person"), "APP-1", "2026-11-23").unwrap_err();
        assert_eq!(problem.code, "RISK_LETTER_NOT_APPLICABLE");
    }

    #[test]
    fn timestamps_are_china_time() {
        // 2026-11-23 01:41 UTC is 09:41 in China.
        let now = 1_795_398_060_000;
        assert_eq!(china_timestamp_text(now).unwrap(), "2026-11-23 09:41");
        assert_eq!(china_date_text(now).unwrap(), "2026-11-23");
    }

    #[test]
    fn receipt_carries_only_masked_personal_data_and_slot_labels() {
        let app = app("tianjin-legal-entity");
        let attachments = attachment_lines(
            &app.profile,
            app.kind(),
            app.form.attachments().iter().map(|a| a.slot.as_str()),
        );
        let receipt = receipt_input(
            &app.masked_summary(),
            "APP-1",
            attachments,
            &hall(),
            "2026-11-23 09:41",
            ReceiptState::Queued,
        );
        let json = serde_json::to_string(&receipt).unwrap();
        assert!(!json.contains("赵磊"), "no full name: {json}");
        assert!(receipt.id_number_masked.contains('*'), "{json}");
        assert!(
            receipt.attachments.iter().all(|a| !a.contains('-')),
            "slots print their profile labels: {:?}",
            receipt.attachments
        );
    }

    #[test]
    fn repeated_slots_are_counted_on_one_line() {
        let lines = attachment_lines(
            "tianjin",
            ApplicationKind::LegalEntity,
            ["business-licence", "business-licence", "mystery-slot"],
        );
        assert_eq!(
            lines,
            ["企业营业执照或事业单位法人证书 ×2", "mystery-slot"],
            "{lines:?}"
        );
    }

    #[test]
    fn lifecycle_states_map_to_queued_or_received() {
        assert_eq!(
            receipt_state(LifecycleState::Submitted).unwrap(),
            ReceiptState::Queued
        );
        assert_eq!(
            receipt_state(LifecycleState::Uploading).unwrap(),
            ReceiptState::Queued
        );
        assert_eq!(
            receipt_state(LifecycleState::Accepted).unwrap(),
            ReceiptState::Received
        );
        assert_eq!(
            receipt_state(LifecycleState::Draft).unwrap_err().code,
            "RECEIPT_NOT_SUBMITTED"
        );
    }

    #[test]
    fn draft_letter_carries_the_draft_id_and_queued_receipt_the_hall() {
        let (_dir, kiosk) = kiosk();
        let application: serde_json::Value =
            serde_json::from_str(&fixture("tianjin-legal-entity")).unwrap();
        let draft_id = save_draft(
            &kiosk,
            DraftData {
                id: None,
                profile: "tianjin".into(),
                kind: "legal-entity".into(),
                application,
            },
            NOW,
        )
        .unwrap();
        let letter = risk_letter_pdf(&kiosk, &draft_id, NOW).unwrap();
        assert_eq!(letter.application_no, draft_id);
        assert!(
            letter
                .path
                .starts_with(&print_folder(&kiosk).display().to_string()),
            "{letter:?}"
        );
        let text = pdftotext(&letter.path);
        assert!(text.contains(&draft_id), "the draft id is printed: {text}");
        assert!(text.contains("天津示例新材料有限公司"), "{text}");

        for (key, value) in [
            (SETTING_HALL_NAME, "滨海新区政务服务中心"),
            (SETTING_HALL_PHONE, "022-66668888"),
            (SETTING_KIOSK_NAME, "3号终端"),
        ] {
            kiosk.store().set_setting(key, value).unwrap();
        }
        let (json, files) = fixture_with_files("tianjin-legal-entity");
        let submitted = submit(
            &kiosk,
            Submission {
                profile: "tianjin",
                application_json: &json,
                attachments: files,
                actor: "visitor",
                replaces_draft: None,
            },
            NOW,
        )
        .unwrap();
        let receipt = receipt_pdf(&kiosk, &submitted.id, Paper::Thermal80, NOW).unwrap();
        let text = pdftotext(&receipt.path);
        // The long number wraps on roll paper; the code visitors type is printed whole.
        let head = submitted.id.split('-').next().unwrap_or_default();
        for needle in [
            "滨海新区政务服务中心",
            "022-66668888",
            "3号终端",
            head,
            submitted.receipt_code.as_str(),
            "联网后自动报送",
        ] {
            assert!(text.contains(needle), "receipt lacks {needle:?}: {text}");
        }
        assert!(!text.contains("120101198209155739"), "no raw ID: {text}");

        assert_eq!(clear_print_folder(&kiosk).unwrap(), 2, "both PDFs removed");
        assert!(!Path::new(&letter.path).exists());
    }

    #[test]
    fn scanned_letter_is_matched_back_to_its_draft_by_the_capture_qr_reader() {
        let (dir, kiosk) = kiosk();
        let application: serde_json::Value =
            serde_json::from_str(&fixture("zhengzhou-legal-entity")).unwrap();
        let draft_id = save_draft(
            &kiosk,
            DraftData {
                id: None,
                profile: "zhengzhou".into(),
                kind: "legal-entity".into(),
                application,
            },
            NOW,
        )
        .unwrap();
        let letter = risk_letter_pdf(&kiosk, &draft_id, NOW).unwrap();
        // A 200 dpi "scan" of the printed page, as the flatbed produces it.
        let prefix = dir.path().join("scan");
        let status = std::process::Command::new("pdftoppm")
            .args(["-r", "200", "-png", "-singlefile", &letter.path])
            .arg(&prefix)
            .status()
            .expect("pdftoppm (poppler-utils) is installed");
        assert!(status.success(), "pdftoppm failed");
        let scan = std::fs::read(prefix.with_extension("png")).unwrap();
        let number = crate::capture::application_number_from_scan(&scan).unwrap();
        assert_eq!(
            number.as_deref(),
            Some(draft_id.as_str()),
            "kiosk-capture reads the draft id back from the letter's QR code"
        );
    }

    #[test]
    fn only_files_of_the_print_folder_can_be_printed() {
        let (dir, kiosk) = kiosk();
        let outside = dir.path().join("secret.pdf");
        std::fs::write(&outside, b"%PDF-1.7").unwrap();
        let problem = print_document(&kiosk, &outside, None).unwrap_err();
        assert_eq!(problem.code, "PRINT_FILE_MISSING");
        assert!(
            outside.exists(),
            "a file outside the folder is never deleted"
        );
    }

    #[test]
    fn unknown_paper_is_a_problem_on_the_paper_field() {
        assert_eq!(parse_paper("80mm").unwrap(), Paper::Thermal80);
        let problem = parse_paper("letter").unwrap_err();
        assert_eq!(problem.code, "PAPER_UNKNOWN");
        assert_eq!(problem.field.as_deref(), Some("paper"));
    }
}
