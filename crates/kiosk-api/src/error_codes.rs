//! The error-code catalogue: every stable code the kiosk can show, with its Chinese and English
//! message, grouped by area, rendered as `docs/error-codes.md`.
//!
//! Each area's error enum implements [`kiosk_core::Catalogued`] (one sample per variant); this
//! module lists the enums. The test `error_codes_doc_is_current` writes the document
//! (`cargo test -p kiosk-api error_codes`) and `scripts/test` fails when the committed copy
//! is stale. Another test scans the workspace's sources for the codes that `fn code` bodies
//! and `user_facing_errors!` declarations return, so a code without a sample fails too, and
//! a third fails on any problem built from a code literal spelled inline outside an error module
//! (kiosk crates, kioskctl and the shell alike). kioskctl's and the shell's own codes live in
//! [`crate::cli_error`] and [`crate::shell_error`], since this crate cannot import them.

use kiosk_core::{CatalogueEntry, Catalogued, catalogue_of};

/// One area of the catalogue: a heading, where its codes reach people, and its rows.
#[derive(Debug, Clone)]
pub struct Area {
    /// Heading, e.g. `kiosk-core: resident ID numbers`.
    pub title: &'static str,
    /// Where the codes surface (IPC command answers, kioskctl, HTTP).
    pub surfaces: &'static str,
    /// One row per sample.
    pub entries: Vec<CatalogueEntry>,
}

fn area<E: Catalogued>(title: &'static str, surfaces: &'static str) -> Area {
    Area {
        title,
        surfaces,
        entries: catalogue_of::<E>(),
    }
}

/// Where most use-case errors surface: the IPC answer of the app and kioskctl's exit message.
const IPC_CLI: &str = "IPC (app), CLI (kioskctl)";

/// Every area of the catalogue, in document order.
pub fn catalogue() -> Vec<Area> {
    use kiosk_core::rules;
    vec![
        // kiosk-core: field and form rules (validation answers of the app and kioskctl validate).
        area::<rules::resident_id::ResidentIdError>("kiosk-core: resident ID numbers", IPC_CLI),
        area::<rules::uscc::UsccError>("kiosk-core: unified social credit codes", IPC_CLI),
        area::<rules::person::PersonError>("kiosk-core: names and people", IPC_CLI),
        area::<rules::passport::PassportError>("kiosk-core: passports", IPC_CLI),
        area::<rules::permits::PermitError>("kiosk-core: travel permits", IPC_CLI),
        area::<rules::validity::ValidityError>("kiosk-core: validity periods", IPC_CLI),
        area::<rules::contact::ContactError>("kiosk-core: contact details", IPC_CLI),
        area::<rules::account::AccountError>("kiosk-core: accounts and passwords", IPC_CLI),
        area::<rules::bank::BankError>("kiosk-core: bank accounts", IPC_CLI),
        area::<rules::input::InputError>("kiosk-core: text input", IPC_CLI),
        area::<kiosk_core::validate::ApplicationError>("kiosk-core: applications", IPC_CLI),
        area::<kiosk_core::application::ApplicationJsonError>(
            "kiosk-core: application files",
            IPC_CLI,
        ),
        area::<kiosk_core::id_card::IdCardError>("kiosk-core: ID-card reads", IPC_CLI),
        area::<kiosk_core::wizard::StepError>("kiosk-core: wizard steps", IPC_CLI),
        area::<kiosk_core::sms::SmsRuleError>("kiosk-core: SMS codes", IPC_CLI),
        area::<kiosk_core::profile::ProfileError>("kiosk-core: platform profiles", IPC_CLI),
        area::<kiosk_core::lifecycle::LifecycleError>("kiosk-core: application lifecycle", IPC_CLI),
        area::<kiosk_core::review::ReviewError>("kiosk-core: review decisions", IPC_CLI),
        // I/O crates.
        area::<kiosk_store::StoreError>("kiosk-store: encrypted database and keys", IPC_CLI),
        area::<kiosk_sync::SyncError>("kiosk-sync: platform sync and trust", IPC_CLI),
        area::<kiosk_capture::CaptureError>("kiosk-capture: images", IPC_CLI),
        area::<kiosk_capture::document_file::DocumentError>(
            "kiosk-capture: PDF and Word attachments",
            IPC_CLI,
        ),
        area::<kiosk_capture::document_file::preview::PreviewError>(
            "kiosk-capture: attachment previews",
            IPC_CLI,
        ),
        area::<kiosk_capture::id_reader::IdReaderError>("kiosk-capture: ID-card readers", IPC_CLI),
        area::<kiosk_capture::id_reader::PhotoError>("kiosk-capture: ID-card photos", IPC_CLI),
        area::<kiosk_docs::DocsError>("kiosk-docs: PDFs and printing", IPC_CLI),
        area::<kiosk_ime::ImeError>("kiosk-ime: pinyin and handwriting input", "IPC (app)"),
        area::<kiosk_voice::VoiceError>("kiosk-voice: voice guidance", IPC_CLI),
        area::<kiosk_core::settings::SettingError>("kiosk-core: settings", IPC_CLI),
        // kiosk-api: use cases.
        area::<crate::submit::SubmitError>("kiosk-api: submission and drafts", IPC_CLI),
        area::<crate::sync::SyncApiError>("kiosk-api: sync and enrolment", IPC_CLI),
        area::<crate::caller::CallerError>("kiosk-api: who may do what", IPC_CLI),
        area::<crate::capture::CaptureApiError>("kiosk-api: capture", IPC_CLI),
        area::<crate::documents::DocumentsError>("kiosk-api: documents and printing", IPC_CLI),
        area::<crate::update::UpdateError>("kiosk-api: updates", IPC_CLI),
        area::<crate::master::MasterError>("kiosk-api: master data", IPC_CLI),
        area::<crate::status::StatusError>("kiosk-api: status lookup", "IPC (app)"),
        area::<crate::online::real_name::RealNameError>(
            "kiosk-api: online real-name check",
            "IPC (app)",
        ),
        area::<crate::online::registered::RegisteredError>(
            "kiosk-api: online registration check",
            "IPC (app)",
        ),
        area::<crate::online::sms::SmsError>("kiosk-api: online SMS codes", "IPC (app)"),
        area::<crate::export::ExportError>("kiosk-api: offline export", IPC_CLI),
        area::<crate::review::ReviewApiError>("kiosk-api: supervisor review", IPC_CLI),
        area::<crate::queue::QueueError>("kiosk-api: the queue", IPC_CLI),
        area::<crate::validate::ValidateError>("kiosk-api: checks and forms", IPC_CLI),
        area::<crate::voice::VoiceGuideError>("kiosk-api: voice guidance", IPC_CLI),
        area::<crate::ime::ImeApiError>("kiosk-api: handwriting strokes files", IPC_CLI),
        area::<crate::staff::StaffApiError>("kiosk-api: staff accounts", IPC_CLI),
        area::<crate::scheduler::SchedulerError>("kiosk-api: housekeeping jobs", IPC_CLI),
        area::<crate::report::ReportError>("kiosk-api: day reports", IPC_CLI),
        area::<crate::support::SupportError>("kiosk-api: support bundles", IPC_CLI),
        area::<crate::logging::LogError>("kiosk-api: the log", IPC_CLI),
        area::<crate::config::ConfigError>("kiosk-api: the data directory", IPC_CLI),
        area::<crate::limits::LimitError>("kiosk-api: operating limits", IPC_CLI),
        // The front doors' own errors.
        area::<crate::cli_error::CliError>(
            "kioskctl: arguments, files and output",
            "CLI (kioskctl)",
        ),
        area::<crate::shell_error::ShellError>(
            "app shell: tasks, state and update key",
            "IPC (app)",
        ),
    ]
}

/// The catalogue as Markdown (the content of `docs/error-codes.md`).
pub fn markdown() -> String {
    let areas = catalogue();
    let codes: std::collections::BTreeSet<&str> = areas
        .iter()
        .flat_map(|a| a.entries.iter().map(|e| e.code))
        .collect();
    let mut out = String::new();
    out.push_str("# Error codes\n\n");
    out.push_str(
        "<!-- Generated by `cargo test -p kiosk-api error_codes` from the error enums \
         (crates/kiosk-api/src/error_codes.rs); do not edit by hand. -->\n\n",
    );
    out.push_str(&format!(
        "Every stable code the kiosk shows ({} codes), grouped by area. The UI and tests match on \
         the code; people read the message, which says what to do next. Details in angle brackets \
         (`<路径>`, `<path>`, `<reason>`) are filled in with the real value. Surfaces: *IPC* = the \
         answer of a Tauri command to the screen, *CLI* = kioskctl's error output (exit code 1). \
         The platform's HTTP codes (`platformd`) are documented in docs/protocol.md.\n",
        codes.len()
    ));
    for a in &areas {
        out.push_str(&format!(
            "\n## {}\n\nSurfaces: {}.\n\n",
            a.title, a.surfaces
        ));
        let advice = a.entries.iter().any(|e| e.advice.is_some());
        if advice {
            out.push_str("| Code | 中文 | English | What to do |\n|---|---|---|---|\n");
        } else {
            out.push_str("| Code | 中文 | English |\n|---|---|---|\n");
        }
        for e in &a.entries {
            let mut row = format!("| `{}` | {} | {} |", e.code, cell(&e.zh), cell(&e.en));
            if advice {
                let what = e
                    .advice
                    .map(|(zh, en)| format!("{} / {}", cell(zh), cell(en)))
                    .unwrap_or_default();
                row.push_str(&format!(" {what} |"));
            }
            out.push_str(&row);
            out.push('\n');
        }
    }
    out
}

/// A message as one table cell: pipes escaped, line breaks as `<br>`.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    use super::*;

    fn workspace() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// Writes `docs/error-codes.md` (committed; `scripts/test` checks it is current).
    #[test]
    fn error_codes_doc_is_current() {
        let path = workspace().join("docs/error-codes.md");
        let text = markdown();
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old != text {
            std::fs::write(&path, &text).unwrap();
        }
        assert!(text.contains("| `RESIDENT_ID_CHECK_CHAR` |"), "{text}");
    }

    /// Every sample has a code in UPPER_SNAKE and both messages.
    #[test]
    fn error_codes_samples_are_complete() {
        for a in catalogue() {
            assert!(!a.entries.is_empty(), "{} has no samples", a.title);
            for e in &a.entries {
                assert!(
                    !e.code.is_empty()
                        && e.code
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                    "{}: bad code {:?}",
                    a.title,
                    e.code
                );
                assert!(
                    !e.zh.trim().is_empty() && !e.en.trim().is_empty(),
                    "{}",
                    e.code
                );
            }
        }
    }

    /// A code means one thing: when two areas use the same code, it is one of the known
    /// shared meanings listed here.
    #[test]
    fn error_codes_shared_codes_are_known() {
        let mut areas_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let all = catalogue();
        for a in &all {
            for e in &a.entries {
                areas_of.entry(e.code).or_default().insert(a.title);
            }
        }
        let shared: BTreeMap<_, _> = areas_of
            .into_iter()
            .filter(|(_, areas)| areas.len() > 1)
            .collect();
        let codes: Vec<_> = shared.keys().copied().collect();
        assert_eq!(codes, SHARED, "codes used in several areas: {shared:?}");
    }

    /// Codes deliberately used by two areas with the same meaning.
    /// `ATTACHMENT_TYPE`: a file whose content the slot does not take (checked on upload and
    /// again on submission); `CAPTURE_FILE_TOO_LARGE`: a file over the input limit (images and
    /// documents alike); `FIELD_REQUIRED`: a required field left empty (per step and on the
    /// whole application).
    /// `APPLICATION_PROFILE_MISMATCH`, `ATTACHMENT_EMPTY`, `ATTACHMENT_TOO_LARGE`: checked by
    /// the application rules and again by the submit room against the files handed in;
    /// `SETTING_INVALID`: a setting value refused (the settings registry and the review
    /// policies alike); `APPLICATION_JSON_INVALID`: an application file that is not JSON
    /// (read by the core and by kioskctl); `CAPTURE_FILE_ACCESS`: an image file that cannot be
    /// read or written (by the capture crate and by kioskctl).
    const SHARED: &[&str] = &[
        "APPLICATION_JSON_INVALID",
        "APPLICATION_PROFILE_MISMATCH",
        "ATTACHMENT_EMPTY",
        "ATTACHMENT_TOO_LARGE",
        "ATTACHMENT_TYPE",
        "CAPTURE_FILE_ACCESS",
        "CAPTURE_FILE_TOO_LARGE",
        "FIELD_REQUIRED",
        "SETTING_INVALID",
    ];

    /// Every code the sources return from `fn code` or declare in `user_facing_errors!` is in
    /// the catalogue: a new variant without a sample fails here.
    #[test]
    fn error_codes_cover_every_declared_code() {
        let listed: BTreeSet<&str> = catalogue()
            .iter()
            .flat_map(|a| a.entries.iter().map(|e| e.code))
            .collect();
        let mut declared = BTreeSet::new();
        for dir in SOURCES {
            scan(&workspace().join(dir), &mut declared);
        }
        let missing: Vec<_> = declared
            .iter()
            .filter(|c| !listed.contains(c.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "codes without a sample in the catalogue: {missing:?}"
        );
        assert!(declared.len() > 100, "scan found only {}", declared.len());
    }

    /// The sources whose codes reach people: every kiosk crate, kioskctl and the app shell
    /// (`platformd` answers with its own `ApiError`, documented in docs/protocol.md).
    const SOURCES: &[&str] = &[
        "crates/kiosk-core/src",
        "crates/kiosk-store/src",
        "crates/kiosk-sync/src",
        "crates/kiosk-capture/src",
        "crates/kiosk-docs/src",
        "crates/kiosk-ime/src",
        "crates/kiosk-voice/src",
        "crates/kiosk-api/src",
        "crates/kiosk-cli/src",
        "src-tauri/src",
    ];

    /// Files that still build a problem from an inline code while their area is converted;
    /// each must still hold one, so the entry is removed when it is done. Empty: none left.
    const INLINE_PENDING: &[&str] = &[];

    /// No code is spelled inline as `Problem::new("CODE", …)` outside error modules
    /// (`error.rs`, `*_error.rs`): every code comes from a catalogued enum, so the catalogue
    /// is complete by construction.
    #[test]
    fn error_codes_no_inline_problem_literals() {
        let mut found = BTreeMap::new();
        for dir in SOURCES {
            inline_literals(&workspace().join(dir), &mut found);
        }
        let pending: BTreeSet<String> = INLINE_PENDING.iter().map(|p| (*p).to_owned()).collect();
        let unexpected: Vec<_> = found
            .iter()
            .filter(|(path, _)| !pending.contains(*path))
            .collect();
        assert!(
            unexpected.is_empty(),
            "inline Problem::new(\"CODE\", …) outside error modules; declare the code in the \
             area's error enum instead: {unexpected:?}"
        );
        let done: Vec<_> = pending.iter().filter(|p| !found.contains_key(*p)).collect();
        assert!(
            done.is_empty(),
            "no inline code left in {done:?}: remove it from INLINE_PENDING"
        );
    }

    /// Non-test files (not error modules) with `Problem::new("CODE"`, relative to the
    /// workspace, with the codes they spell.
    fn inline_literals(dir: &Path, found: &mut BTreeMap<String, Vec<String>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if path.is_dir() {
                if name != "tests" {
                    inline_literals(&path, found);
                }
                continue;
            }
            if !name.ends_with(".rs") || name == "error.rs" || name.ends_with("_error.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text.split("\n#[cfg(test)]").next().unwrap_or_default();
            let mut codes = Vec::new();
            for (at, _) in text.match_indices("Problem::new(") {
                let rest = text[at + "Problem::new(".len()..].trim_start();
                if let Some(code) = rest.strip_prefix('"').and_then(|r| r.split('"').next())
                    && code.starts_with(|c: char| c.is_ascii_uppercase())
                {
                    codes.push(code.to_owned());
                }
            }
            if !codes.is_empty() {
                let relative = path
                    .strip_prefix(workspace())
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                found.insert(relative, codes);
            }
        }
    }

    fn scan(dir: &Path, codes: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                scan(&path, codes);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let text = text.split("\n#[cfg(test)]").next().unwrap_or_default();
                declared_codes(text, codes);
            }
        }
    }

    /// Code literals returned by `fn code(&self) -> &'static str` bodies, and the
    /// `Variant = "CODE" {` lines of `user_facing_errors!`.
    fn declared_codes(text: &str, codes: &mut BTreeSet<String>) {
        let mut rest = text;
        while let Some(at) = rest.find("fn code(&self) -> &'static str {") {
            let body = &rest[at..];
            let end = body[1..].find("\n    fn ").map_or(body.len(), |e| e + 1);
            literals(&body[..end], codes);
            rest = &body[end..];
        }
        for line in text.lines() {
            if let Some((_, after)) = line.split_once(" = \"")
                && line.trim_end().ends_with('{')
                && line
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_uppercase())
            {
                literals(&format!("\"{after}"), codes);
            }
        }
    }

    fn literals(text: &str, codes: &mut BTreeSet<String>) {
        for part in text.split('"').skip(1).step_by(2) {
            if part.len() > 2
                && part.contains('_')
                && part
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                codes.insert(part.to_owned());
            }
        }
    }
}
