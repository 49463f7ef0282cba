//! Maps the domain onto `kiosk-docs`' plain inputs (risk letter, receipt), masking personal data
//! on the way, and reads the hall shown on them from the settings.

use super::DocumentsError;
use super::{HallInfo, ReceiptState};
use crate::{Kiosk, SETTING_HALL_NAME, SETTING_HALL_PHONE, SETTING_KIOSK_NAME};
use kiosk_core::application::{Application, ApplicationForm, ApplicationKind, MaskedSummary};
use kiosk_core::lifecycle::LifecycleState;
use kiosk_core::privacy::mask_mobile;
use kiosk_core::{Problem, Profile};
use kiosk_docs::{Receipt, RiskLetter};

/// Fills the risk letter of a legal-entity application. `application_no` is what the text
/// and QR code carry (the draft id); `today` is the printing date as printed.
pub fn risk_letter_input(
    app: &Application,
    application_no: &str,
    today: &str,
) -> Result<RiskLetter, Problem> {
    let ApplicationForm::LegalEntity(form) = &app.form else {
        return Err(DocumentsError::RiskLetterNotApplicable.into());
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
        LifecycleState::Draft => Err(DocumentsError::ReceiptNotSubmitted.into()),
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
pub(super) fn kind_label_en(kind: ApplicationKind) -> &'static str {
    match kind {
        ApplicationKind::NaturalPerson => "Personal account registration",
        ApplicationKind::LegalEntity => "Legal entity registration",
        ApplicationKind::Expert => "Review expert registration",
        ApplicationKind::LegacyBinding => "Legacy account binding",
        ApplicationKind::RealName => "Real-name verification",
        ApplicationKind::PasswordResetAppeal => "Password reset by appeal",
    }
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
