//! The kiosk's settings as one typed, validated record, and the rules of its operating mode.
//!
//! Reading is open to every screen (nothing here is personal or secret: the self-service
//! screens need the idle timeout and the language). Changing them is for an administrator
//! at the screen, or for `kioskctl` run by someone with access to the data directory; every
//! change is stored together with one audit row naming the keys that changed.

use kiosk_core::review::ReviewPolicy;
use kiosk_core::{KioskMode, Problem, Profile};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::caller::{self, Action, Caller};
use crate::limits::LimitSettings;
use crate::review::{self, ProfileReviewPolicy};
use crate::{
    Kiosk, SETTING_DEFAULT_PROFILE, SETTING_HALL_NAME, SETTING_HALL_PHONE, SETTING_IDLE_TIMEOUT_S,
    SETTING_KIOSK_MODE, SETTING_KIOSK_NAME, SETTING_LANGUAGE, SETTING_PRINTER, SETTING_SCANNER,
};

/// Self-service idle timeout when none is set (issue 8: 120 s).
pub const DEFAULT_IDLE_TIMEOUT_S: u32 = 120;
/// Shortest idle timeout accepted: the countdown alone takes [`COUNTDOWN_S`].
pub const MIN_IDLE_TIMEOUT_S: u32 = 30;
/// Longest idle timeout accepted (30 minutes: a visitor's data must not linger).
pub const MAX_IDLE_TIMEOUT_S: u32 = 1800;
/// How long the visible countdown runs before a self-service session is wiped.
pub const COUNTDOWN_S: u32 = 20;
/// Elderly mode (长辈版): the idle time is this many times the kiosk's, at most
/// [`MAX_IDLE_TIMEOUT_S`] and at least [`ELDERLY_MIN_IDLE_S`].
pub const ELDERLY_IDLE_FACTOR: u32 = 3;
/// Elderly mode: the shortest idle time before the "more time?" prompt ends a session.
pub const ELDERLY_MIN_IDLE_S: u32 = 300;
/// Elderly mode: seconds the "more time?" prompt is shown before the wipe.
pub const ELDERLY_COUNTDOWN_S: u32 = 60;
/// A session is never wiped while a field has focus and was edited this recently (seconds).
pub const EDIT_GRACE_S: u32 = 60;
/// Longest name or device accepted.
const MAX_TEXT_CHARS: usize = 80;

/// The language the screens start in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum UiLanguage {
    /// Simplified Chinese (the default).
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl UiLanguage {
    /// Parses `zh-CN` or `en`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "zh-CN" => Some(Self::ZhCn),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }
}

/// Everything an administrator sets at the kiosk (retention has its own use case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KioskSettings {
    /// The kiosk's display name (header, heartbeat).
    pub kiosk_name: String,
    /// The service hall's name (printed on receipts; empty until set).
    pub hall_name: String,
    /// The hall's help-desk phone (printed on receipts; empty until set).
    pub hall_phone: String,
    /// Counter or self-service.
    pub mode: KioskMode,
    /// Self-service: seconds without a touch before the session is wiped.
    pub idle_timeout_s: u32,
    /// Platform profile preselected for visitors, if any.
    pub default_profile: Option<String>,
    /// Language the screens start in.
    pub language: UiLanguage,
    /// CUPS queue for documents (`None`: the system default).
    pub printer: Option<String>,
    /// SANE device for scanning (`None`: the first found).
    pub scanner: Option<String>,
    /// Folder offered first for offline exports (`None`: removable media only).
    pub export_dir: Option<String>,
    /// Operating-limit thresholds (`limits.*`).
    pub limits: LimitSettings,
    /// Supervisor review policy per platform profile (`review.policy.<profile>`). Saving
    /// changes only the profiles listed.
    pub review_policies: Vec<ProfileReviewPolicy>,
}

/// What the screens must do in the mode the kiosk is in right now. Computed here so the web
/// view follows these rules instead of re-implementing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ModeRules {
    /// The mode set by the administrator.
    pub configured: KioskMode,
    /// The mode the screens follow now: a self-service kiosk acts as a counter while a staff
    /// member is signed in.
    pub effective: KioskMode,
    /// Only visitor flows are offered (no queue, no settings).
    pub visitor_flows_only: bool,
    /// Flows need a signed-in staff member (counter mode).
    pub flows_need_staff: bool,
    /// An idle visitor session is wiped.
    pub wipe_when_idle: bool,
    /// Seconds without activity before the wipe.
    pub idle_timeout_s: u32,
    /// Seconds of visible countdown at the end of the idle time.
    pub countdown_s: u32,
    /// Large touch targets and type.
    pub touch_first: bool,
    /// Elderly mode (长辈版, the visitor's switch): seconds without activity before the wipe.
    pub elderly_idle_timeout_s: u32,
    /// Elderly mode: seconds the "more time?" prompt is shown before the wipe.
    pub elderly_countdown_s: u32,
    /// No wipe while a field has focus and was edited within this many seconds; the idle
    /// time starts again instead.
    pub edit_grace_s: u32,
}

fn invalid(field: &str, zh: String, en: String) -> Problem {
    Problem::new("SETTING_INVALID", zh, en).at(field)
}

/// The rules of `configured` mode while a staff member is (or is not) signed in.
pub fn mode_rules(configured: KioskMode, idle_timeout_s: u32, staff_signed_in: bool) -> ModeRules {
    let effective = if configured == KioskMode::SelfService && !staff_signed_in {
        KioskMode::SelfService
    } else {
        KioskMode::Counter
    };
    let self_service = effective == KioskMode::SelfService;
    ModeRules {
        configured,
        effective,
        visitor_flows_only: self_service,
        flows_need_staff: !self_service,
        wipe_when_idle: self_service,
        idle_timeout_s,
        countdown_s: COUNTDOWN_S,
        touch_first: self_service,
        elderly_idle_timeout_s: idle_timeout_s
            .saturating_mul(ELDERLY_IDLE_FACTOR)
            .clamp(ELDERLY_MIN_IDLE_S, MAX_IDLE_TIMEOUT_S),
        elderly_countdown_s: ELDERLY_COUNTDOWN_S,
        edit_grace_s: EDIT_GRACE_S,
    }
}

/// The mode rules of this kiosk now.
pub fn rules(kiosk: &Kiosk, staff_signed_in: bool) -> Result<ModeRules, Problem> {
    let s = get(kiosk)?;
    Ok(mode_rules(s.mode, s.idle_timeout_s, staff_signed_in))
}

fn optional(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

/// The current settings, with defaults for what was never set. A stored value that no
/// longer parses (written by hand) falls back to its default rather than failing the kiosk.
pub fn get(kiosk: &Kiosk) -> Result<KioskSettings, Problem> {
    let store = kiosk.store();
    let read = |key: &str| -> Result<Option<String>, Problem> { Ok(store.setting(key)?) };
    Ok(KioskSettings {
        kiosk_name: optional(read(SETTING_KIOSK_NAME)?)
            .unwrap_or_else(|| crate::health::DEFAULT_KIOSK_NAME.to_owned()),
        hall_name: read(SETTING_HALL_NAME)?.unwrap_or_default(),
        hall_phone: read(SETTING_HALL_PHONE)?.unwrap_or_default(),
        mode: read(SETTING_KIOSK_MODE)?
            .as_deref()
            .and_then(KioskMode::parse)
            .unwrap_or_default(),
        idle_timeout_s: read(SETTING_IDLE_TIMEOUT_S)?
            .and_then(|v| v.trim().parse().ok())
            .filter(|v| (MIN_IDLE_TIMEOUT_S..=MAX_IDLE_TIMEOUT_S).contains(v))
            .unwrap_or(DEFAULT_IDLE_TIMEOUT_S),
        default_profile: optional(read(SETTING_DEFAULT_PROFILE)?)
            .filter(|id| Profile::by_id(id).is_ok()),
        language: read(SETTING_LANGUAGE)?
            .as_deref()
            .and_then(UiLanguage::parse)
            .unwrap_or_default(),
        printer: optional(read(SETTING_PRINTER)?),
        scanner: optional(read(SETTING_SCANNER)?),
        export_dir: optional(read(crate::export::SETTING_EXPORT_DIR)?),
        limits: crate::limits::settings(kiosk)?,
        review_policies: review::policies(kiosk)?,
    })
}

fn check_text(
    field: &str,
    (label_zh, label_en): (&str, &str),
    value: &str,
    required: bool,
) -> Result<(), Problem> {
    let chars = value.chars().count();
    if required && value.trim().is_empty() {
        return Err(invalid(
            field,
            format!("请填写{label_zh}。"),
            format!("Enter the {label_en}."),
        ));
    }
    if chars > MAX_TEXT_CHARS {
        return Err(invalid(
            field,
            format!("{label_zh}太长：最多 {MAX_TEXT_CHARS} 个字，请缩短。"),
            format!("The {label_en} is too long: at most {MAX_TEXT_CHARS} characters. Shorten it."),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(invalid(
            field,
            format!("{label_zh}含有控制字符，请重新输入。"),
            format!("The {label_en} contains control characters. Type it again."),
        ));
    }
    Ok(())
}

/// Checks every field; the first problem names its field (camelCase, as on screen).
pub fn validate(s: &KioskSettings) -> Result<(), Problem> {
    check_text("kioskName", ("终端名称", "kiosk name"), &s.kiosk_name, true)?;
    check_text("hallName", ("大厅名称", "hall name"), &s.hall_name, false)?;
    let phone_ok = s
        .hall_phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '+' | '(' | ')'))
        && (s.hall_phone.is_empty()
            || (5..=20).contains(&s.hall_phone.chars().filter(char::is_ascii_digit).count()));
    if !phone_ok {
        return Err(invalid(
            "hallPhone",
            "咨询电话格式不对：请只填数字（可含区号和“-”），例如 0371-12345678。".into(),
            "The help-desk phone is not valid: use digits (area code and \"-\" allowed), e.g. 0371-12345678.".into(),
        ));
    }
    if !(MIN_IDLE_TIMEOUT_S..=MAX_IDLE_TIMEOUT_S).contains(&s.idle_timeout_s) {
        return Err(invalid(
            "idleTimeoutS",
            format!(
                "无操作超时须在 {MIN_IDLE_TIMEOUT_S} 到 {MAX_IDLE_TIMEOUT_S} 秒之间（含最后 {COUNTDOWN_S} 秒倒计时）。"
            ),
            format!(
                "The idle timeout must be between {MIN_IDLE_TIMEOUT_S} and {MAX_IDLE_TIMEOUT_S} seconds (including the last {COUNTDOWN_S} s countdown)."
            ),
        ));
    }
    if let Some(id) = &s.default_profile
        && Profile::by_id(id).is_err()
    {
        let known: Vec<_> = Profile::builtin().iter().map(|p| p.id.as_str()).collect();
        return Err(invalid(
            "defaultProfile",
            format!("没有「{id}」这个平台。可选：{}", known.join("、")),
            format!("There is no platform \"{id}\". Known: {}", known.join(", ")),
        ));
    }
    for (field, label, value) in [
        ("printer", ("打印机", "printer"), &s.printer),
        ("scanner", ("扫描仪", "scanner"), &s.scanner),
    ] {
        if let Some(v) = value {
            check_text(field, label, v, false)?;
        }
    }
    if let Some(dir) = &s.export_dir {
        check_text("exportDir", ("导出文件夹", "export folder"), dir, false)?;
        if !dir.trim().starts_with('/') {
            return Err(invalid(
                "exportDir",
                format!("导出文件夹须是完整路径（以 / 开头），例如 /srv/export，而不是「{dir}」。"),
                format!(
                    "The export folder must be a full path (starting with /), e.g. /srv/export, not \"{dir}\"."
                ),
            ));
        }
    }
    s.limits.validate()?;
    for (n, entry) in s.review_policies.iter().enumerate() {
        review::validate_policy(entry)?;
        if s.review_policies[..n]
            .iter()
            .any(|e| e.profile == entry.profile)
        {
            return Err(invalid(
                &format!("reviewPolicies.{}", entry.profile),
                format!("平台「{}」的审核方式填了两次。", entry.profile),
                format!("The review policy of \"{}\" is given twice.", entry.profile),
            ));
        }
    }
    Ok(())
}

fn stored(s: &KioskSettings) -> Vec<(String, String)> {
    let plain: Vec<(&'static str, String)> = vec![
        (SETTING_KIOSK_NAME, s.kiosk_name.trim().to_owned()),
        (SETTING_HALL_NAME, s.hall_name.trim().to_owned()),
        (SETTING_HALL_PHONE, s.hall_phone.trim().to_owned()),
        (SETTING_KIOSK_MODE, s.mode.as_str().to_owned()),
        (SETTING_IDLE_TIMEOUT_S, s.idle_timeout_s.to_string()),
        (
            SETTING_DEFAULT_PROFILE,
            s.default_profile.clone().unwrap_or_default(),
        ),
        (SETTING_LANGUAGE, s.language.as_str().to_owned()),
        (SETTING_PRINTER, s.printer.clone().unwrap_or_default()),
        (SETTING_SCANNER, s.scanner.clone().unwrap_or_default()),
        (
            crate::export::SETTING_EXPORT_DIR,
            s.export_dir.clone().unwrap_or_default(),
        ),
    ];
    plain
        .into_iter()
        .chain(s.limits.stored())
        .map(|(k, v)| (k.to_owned(), v))
        .chain(s.review_policies.iter().map(|e| {
            (
                format!("{}{}", review::SETTING_REVIEW_POLICY_PREFIX, e.profile),
                e.policy.as_setting(),
            )
        }))
        .collect()
}

/// Validates and stores `new`; only what changed is written, with one audit row
/// (`settings.changed`, the changed keys — values are not personal, but kept out anyway).
/// Returns the settings as now stored.
pub fn set(
    kiosk: &Kiosk,
    caller: &Caller,
    new: KioskSettings,
    now: i64,
) -> Result<KioskSettings, Problem> {
    caller::check(kiosk, caller, Action::ChangeSettings, now)?;
    validate(&new)?;
    let before: std::collections::HashMap<String, String> =
        stored(&get(kiosk)?).into_iter().collect();
    let changes: Vec<(String, String)> = stored(&new)
        .into_iter()
        .filter(|(key, value)| before.get(key) != Some(value))
        .collect();
    if changes.is_empty() {
        return get(kiosk);
    }
    let keys: Vec<&str> = changes.iter().map(|(k, _)| k.as_str()).collect();
    let entry = kiosk_store::AuditEntry {
        at: now,
        actor: caller.actor().to_owned(),
        action: "settings.changed".into(),
        application_id: None,
        detail: format!("keys={}", keys.join(",")),
    };
    kiosk.store().set_settings_audited(changes, entry)?;
    get(kiosk)
}

/// Sets one setting by its key name (`kioskctl settings set KEY VALUE`): the key is the
/// camelCase field name (`idleTimeoutS`) or the stored key (`ui.idle_timeout_s`); an empty
/// value clears an optional setting.
pub fn set_one(
    kiosk: &Kiosk,
    caller: &Caller,
    key: &str,
    value: &str,
    now: i64,
) -> Result<KioskSettings, Problem> {
    if let Some(limit) = caller::session_setting(key) {
        caller::check(kiosk, caller, Action::ChangeSettings, now)?;
        let minutes: i64 = value
            .trim()
            .parse()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                invalid(
                    key,
                    format!("{key} 须是正整数，而不是「{value}」。"),
                    format!("{key} is a positive whole number, not \"{value}\"."),
                )
            })?;
        let entry = kiosk_store::AuditEntry {
            at: now,
            actor: caller.actor().to_owned(),
            action: "settings.changed".into(),
            application_id: None,
            detail: format!("keys={limit}"),
        };
        kiosk
            .store()
            .set_settings_audited(vec![(limit.to_owned(), minutes.to_string())], entry)?;
        return get(kiosk);
    }
    let mut s = get(kiosk)?;
    let opt = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    match key {
        "kioskName" | SETTING_KIOSK_NAME => s.kiosk_name = value.to_owned(),
        "hallName" | SETTING_HALL_NAME => s.hall_name = value.to_owned(),
        "hallPhone" | SETTING_HALL_PHONE => s.hall_phone = value.to_owned(),
        "mode" | SETTING_KIOSK_MODE => {
            s.mode = KioskMode::parse(value).ok_or_else(|| {
                invalid(
                    "mode",
                    format!("没有「{value}」这种模式（可用：counter、self-service）。"),
                    format!("There is no mode \"{value}\" (known: counter, self-service)."),
                )
            })?;
        }
        "idleTimeoutS" | SETTING_IDLE_TIMEOUT_S => {
            s.idle_timeout_s = value.trim().parse().map_err(|_| {
                invalid(
                    "idleTimeoutS",
                    format!("无操作超时须是秒数（整数），例如 120，而不是「{value}」。"),
                    format!(
                        "The idle timeout is a whole number of seconds, e.g. 120, not \"{value}\"."
                    ),
                )
            })?;
        }
        "defaultProfile" | SETTING_DEFAULT_PROFILE => s.default_profile = opt(value),
        "language" | SETTING_LANGUAGE => {
            s.language = UiLanguage::parse(value).ok_or_else(|| {
                invalid(
                    "language",
                    format!("没有「{value}」这种语言（可用：zh-CN、en）。"),
                    format!("There is no language \"{value}\" (known: zh-CN, en)."),
                )
            })?;
        }
        "printer" | SETTING_PRINTER => s.printer = opt(value),
        "scanner" | SETTING_SCANNER => s.scanner = opt(value),
        "exportDir" | crate::export::SETTING_EXPORT_DIR => s.export_dir = opt(value),
        name if name.starts_with("limits.") => {
            let number = value.trim().parse().map_err(|_| {
                invalid(
                    name,
                    format!("{name} 须是整数，而不是「{value}」。"),
                    format!("{name} is a whole number, not \"{value}\"."),
                )
            })?;
            if !s.limits.set_by_name(name, number) {
                return Err(unknown(key));
            }
        }
        name if name.starts_with(review::SETTING_REVIEW_POLICY_PREFIX)
            || name.starts_with("reviewPolicies.") =>
        {
            let profile = name
                .trim_start_matches(review::SETTING_REVIEW_POLICY_PREFIX)
                .trim_start_matches("reviewPolicies.");
            let policy = ReviewPolicy::parse(value).ok_or_else(|| {
                invalid(
                    &format!("reviewPolicies.{profile}"),
                    format!("「{value}」不是审核方式：请用 off、all 或 sample:N（N 为 1 到 99）。"),
                    format!("\"{value}\" is not a review policy: use off, all or sample:N (N from 1 to 99)."),
                )
            })?;
            s.review_policies = vec![ProfileReviewPolicy {
                profile: profile.to_owned(),
                policy,
            }];
        }
        _ => return Err(unknown(key)),
    }
    set(kiosk, caller, s, now)
}

fn unknown(key: &str) -> Problem {
    let names: Vec<&str> = SETTING_NAMES
        .iter()
        .copied()
        .chain(LimitSettings::names())
        .chain(["reviewPolicies.<profile>"])
        .chain(caller::SESSION_SETTINGS)
        .collect();
    Problem::new(
        "SETTING_UNKNOWN",
        format!("没有「{key}」这个设置。可用：{}", names.join("、")),
        format!("There is no setting \"{key}\". Known: {}", names.join(", ")),
    )
}

/// The names `set_one` accepts (camelCase, as in [`KioskSettings`]).
pub const SETTING_NAMES: &[&str] = &[
    "kioskName",
    "hallName",
    "hallPhone",
    "mode",
    "idleTimeoutS",
    "defaultProfile",
    "language",
    "printer",
    "scanner",
    "exportDir",
];

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn kiosk() -> (tempfile::TempDir, Kiosk) {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        (dir, kiosk)
    }

    fn staff(role: &str) -> Caller {
        let role = kiosk_store::Role::parse(role).unwrap();
        Caller::Staff(crate::caller::StaffCaller::signed_in("li", role, 0))
    }

    #[test]
    fn fresh_kiosk_has_the_issue_defaults() {
        let (_dir, kiosk) = kiosk();
        let s = get(&kiosk).unwrap();
        assert_eq!(s.mode, KioskMode::Counter);
        assert_eq!(s.idle_timeout_s, 120, "issue 8: 120 s idle timeout");
        assert_eq!(s.language, UiLanguage::ZhCn);
        assert_eq!(s.kiosk_name, crate::health::DEFAULT_KIOSK_NAME);
        assert_eq!(
            (s.printer, s.scanner, s.default_profile),
            (None, None, None)
        );
    }

    #[test]
    fn admin_change_is_stored_audited_and_seen_by_health() {
        let (_dir, kiosk) = kiosk();
        let admin = staff("admin");
        let mut s = get(&kiosk).unwrap();
        s.kiosk_name = "金水区大厅 自助 3 号".into();
        s.hall_phone = "0371-12345678".into();
        s.mode = KioskMode::SelfService;
        s.idle_timeout_s = 45;
        s.default_profile = Some("tianjin".into());
        s.printer = Some("HP_LaserJet".into());
        let saved = set(&kiosk, &admin, s.clone(), 10).unwrap();
        assert_eq!(saved, s, "what is returned is what was asked for");
        let report = crate::health::health(&kiosk);
        assert_eq!(report.mode, KioskMode::SelfService);
        assert_eq!(report.kiosk_name, "金水区大厅 自助 3 号");
        let audit = crate::audit::recent(&kiosk, 1).unwrap();
        assert_eq!(audit[0].action, "settings.changed");
        assert_eq!(audit[0].actor, "li");
        assert!(
            audit[0].detail.contains(SETTING_IDLE_TIMEOUT_S)
                && !audit[0].detail.contains("hall.name"),
            "only changed keys are listed: {}",
            audit[0].detail
        );
        let rows = crate::audit::verify(&kiosk).unwrap().rows;
        set(&kiosk, &admin, s, 11).unwrap();
        assert_eq!(
            crate::audit::verify(&kiosk).unwrap().rows,
            rows,
            "saving unchanged settings writes no audit row"
        );
    }

    #[test]
    fn operators_cannot_change_settings_and_nothing_is_written() {
        let (_dir, kiosk) = kiosk();
        let mut s = get(&kiosk).unwrap();
        s.mode = KioskMode::SelfService;
        let err = set(&kiosk, &staff("operator"), s, 1).unwrap_err();
        assert_eq!(err.code, "STAFF_NOT_ALLOWED");
        assert_eq!(get(&kiosk).unwrap().mode, KioskMode::Counter);
    }

    #[test]
    fn invalid_values_are_refused_naming_the_field() {
        let (_dir, kiosk) = kiosk();
        let base = get(&kiosk).unwrap();
        let cases: Vec<(&str, KioskSettings)> = vec![
            (
                "kioskName",
                KioskSettings {
                    kiosk_name: "  ".into(),
                    ..base.clone()
                },
            ),
            (
                "hallPhone",
                KioskSettings {
                    hall_phone: "call me".into(),
                    ..base.clone()
                },
            ),
            (
                "idleTimeoutS",
                KioskSettings {
                    idle_timeout_s: 10,
                    ..base.clone()
                },
            ),
            (
                "idleTimeoutS",
                KioskSettings {
                    idle_timeout_s: 7200,
                    ..base.clone()
                },
            ),
            (
                "defaultProfile",
                KioskSettings {
                    default_profile: Some("beijing".into()),
                    ..base.clone()
                },
            ),
            (
                "printer",
                KioskSettings {
                    printer: Some("a\u{7}b".into()),
                    ..base.clone()
                },
            ),
            (
                "hallName",
                KioskSettings {
                    hall_name: "大".repeat(81),
                    ..base.clone()
                },
            ),
        ];
        for (field, s) in cases {
            let err = set(&kiosk, &Caller::CliOperator, s, 1).unwrap_err();
            assert_eq!(err.code, "SETTING_INVALID", "{field}");
            assert_eq!(err.field.as_deref(), Some(field), "{}", err.en);
        }
        assert_eq!(get(&kiosk).unwrap(), base, "nothing was stored");
    }

    #[test]
    fn set_one_takes_field_or_stored_key_names_and_clears_with_empty() {
        let (_dir, kiosk) = kiosk();
        set_one(&kiosk, &Caller::CliOperator, "idleTimeoutS", "40", 1).unwrap();
        set_one(
            &kiosk,
            &Caller::CliOperator,
            SETTING_KIOSK_MODE,
            "self-service",
            2,
        )
        .unwrap();
        set_one(
            &kiosk,
            &Caller::CliOperator,
            "scanner",
            "airscan:e0:Canon",
            3,
        )
        .unwrap();
        let s = set_one(&kiosk, &Caller::CliOperator, "language", "en", 4).unwrap();
        assert_eq!((s.idle_timeout_s, s.mode), (40, KioskMode::SelfService));
        assert_eq!(s.scanner.as_deref(), Some("airscan:e0:Canon"));
        assert_eq!(s.language, UiLanguage::En);
        let s = set_one(&kiosk, &Caller::CliOperator, "scanner", "", 5).unwrap();
        assert_eq!(s.scanner, None);
        assert_eq!(
            set_one(&kiosk, &Caller::CliOperator, "colour", "red", 6)
                .unwrap_err()
                .code,
            "SETTING_UNKNOWN"
        );
        assert_eq!(
            set_one(&kiosk, &Caller::CliOperator, "mode", "kiosk", 6)
                .unwrap_err()
                .field
                .as_deref(),
            Some("mode")
        );
        assert_eq!(
            crate::audit::recent(&kiosk, 1).unwrap()[0].actor,
            "kioskctl"
        );
    }

    #[test]
    fn limit_thresholds_and_review_policies_are_saved_audited_and_used() {
        let (_dir, kiosk) = kiosk();
        let mut s = get(&kiosk).unwrap();
        assert_eq!(s.limits, LimitSettings::default(), "defaults until set");
        assert!(
            s.review_policies
                .iter()
                .all(|p| p.policy == ReviewPolicy::Off),
            "review is off until set: {:?}",
            s.review_policies
        );
        s.limits.max_unsent = 50;
        s.limits.sync_health_minutes = 15;
        s.review_policies = vec![ProfileReviewPolicy {
            profile: "tianjin".into(),
            policy: ReviewPolicy::Sample(20),
        }];
        let saved = set(&kiosk, &staff("admin"), s, 10).unwrap();
        assert_eq!(saved.limits.max_unsent, 50);
        assert_eq!(crate::limits::settings(&kiosk).unwrap().max_unsent, 50);
        assert_eq!(
            crate::review::policy(&kiosk, "tianjin").unwrap(),
            ReviewPolicy::Sample(20),
            "the review module reads what the settings screen saved"
        );
        let audit = crate::audit::recent(&kiosk, 1).unwrap();
        assert_eq!(audit[0].action, "settings.changed");
        assert_eq!(
            audit[0].detail,
            "keys=limits.max_unsent,limits.sync_health_minutes,review.policy.tianjin",
            "exactly the changed keys"
        );
        let s = set_one(
            &kiosk,
            &Caller::CliOperator,
            "limits.minFreeDiskMb",
            "2048",
            11,
        )
        .unwrap();
        assert_eq!(s.limits.min_free_disk_mb, 2048);
        let s = set_one(
            &kiosk,
            &Caller::CliOperator,
            "review.policy.tianjin",
            "all",
            12,
        )
        .unwrap();
        let tianjin = s.review_policies.iter().find(|p| p.profile == "tianjin");
        assert_eq!(tianjin.unwrap().policy, ReviewPolicy::All);
    }

    #[test]
    fn bad_thresholds_and_review_policies_are_refused_naming_the_field() {
        let (_dir, kiosk) = kiosk();
        let base = get(&kiosk).unwrap();
        let with_limits = |f: fn(&mut LimitSettings)| {
            let mut s = base.clone();
            f(&mut s.limits);
            s
        };
        let with_policy = |profile: &str, policy| KioskSettings {
            review_policies: vec![ProfileReviewPolicy {
                profile: profile.into(),
                policy,
            }],
            ..base.clone()
        };
        let cases = vec![
            (
                "limits.maxDaysWithoutSync",
                with_limits(|l| l.max_days_without_sync = 0),
            ),
            ("limits.maxUnsent", with_limits(|l| l.max_unsent = -5)),
            (
                "limits.maxDaysWithoutUpdateCheck",
                with_limits(|l| l.max_days_without_update_check = 1000),
            ),
            (
                "limits.minFreeDiskMb",
                with_limits(|l| l.min_free_disk_mb = 10),
            ),
            (
                "limits.syncHealthMinutes",
                with_limits(|l| l.sync_health_minutes = 1),
            ),
            (
                "reviewPolicies.tianjin",
                with_policy("tianjin", ReviewPolicy::Sample(150)),
            ),
            (
                "reviewPolicies.atlantis",
                with_policy("atlantis", ReviewPolicy::All),
            ),
        ];
        for (field, s) in cases {
            let err = set(&kiosk, &Caller::CliOperator, s, 1).unwrap_err();
            assert_eq!(err.code, "SETTING_INVALID", "{field}");
            assert_eq!(err.field.as_deref(), Some(field), "{}", err.en);
            assert!(!err.zh.is_empty() && !err.en.is_empty());
        }
        let err = set_one(&kiosk, &Caller::CliOperator, "limits.maxUnsent", "lots", 2).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("limits.maxUnsent"));
        let err = set_one(
            &kiosk,
            &Caller::CliOperator,
            "review.policy.tianjin",
            "some",
            2,
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("reviewPolicies.tianjin"));
        assert_eq!(
            set_one(&kiosk, &Caller::CliOperator, "limits.colour", "3", 2)
                .unwrap_err()
                .code,
            "SETTING_UNKNOWN"
        );
        assert_eq!(get(&kiosk).unwrap(), base, "nothing was stored");
    }

    #[test]
    fn self_service_wipes_idle_sessions_until_staff_sign_in() {
        let visitor = mode_rules(KioskMode::SelfService, 90, false);
        assert_eq!(visitor.effective, KioskMode::SelfService);
        assert!(visitor.wipe_when_idle && visitor.visitor_flows_only && visitor.touch_first);
        assert!(!visitor.flows_need_staff);
        assert_eq!((visitor.idle_timeout_s, visitor.countdown_s), (90, 20));
        let staffed = mode_rules(KioskMode::SelfService, 90, true);
        assert_eq!(staffed.effective, KioskMode::Counter);
        assert!(!staffed.wipe_when_idle && staffed.flows_need_staff);
        let counter = mode_rules(KioskMode::Counter, 90, false);
        assert_eq!(counter.effective, KioskMode::Counter);
        assert!(counter.flows_need_staff && !counter.wipe_when_idle);
    }

    #[test]
    fn elderly_mode_waits_longer_and_asks_longer() {
        let short = mode_rules(KioskMode::SelfService, 90, false);
        assert_eq!(short.elderly_idle_timeout_s, ELDERLY_MIN_IDLE_S);
        assert_eq!(short.elderly_countdown_s, 60);
        assert!(short.elderly_countdown_s < short.elderly_idle_timeout_s);
        assert_eq!(
            mode_rules(KioskMode::SelfService, 200, false).elderly_idle_timeout_s,
            600
        );
        assert_eq!(
            mode_rules(KioskMode::SelfService, 1800, false).elderly_idle_timeout_s,
            MAX_IDLE_TIMEOUT_S
        );
        assert_eq!(short.edit_grace_s, EDIT_GRACE_S);
    }
}
