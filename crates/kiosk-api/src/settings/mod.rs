//! The kiosk's settings as one typed, validated record, and the rules of its operating mode.
//!
//! Each setting (key, screen name, type, default, who writes it) is declared once, in
//! `kiosk_core::settings`; this room reads and writes them for the settings screen
//! ([`get`], [`set`]), for `kioskctl settings` ([`list`], [`set_one`]) and for the other use
//! cases. Reading is open to every screen (nothing here is personal or secret: the
//! self-service screens need the idle timeout and the language). Changing them is for an
//! administrator at the screen, or for `kioskctl` run by someone with access to the data
//! directory; every change is stored together with one audit row naming the keys that changed.

mod mode;

use kiosk_core::settings::{self as registry, Setting, Writer};
use kiosk_core::{KioskMode, Problem};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use self::mode::{
    COUNTDOWN_S, EDIT_GRACE_S, ELDERLY_COUNTDOWN_S, ELDERLY_IDLE_FACTOR, ELDERLY_MIN_IDLE_S,
    ModeRules, mode_rules,
};
use crate::Kiosk;
use crate::caller::{self, Action, Caller};
use crate::limits::LimitSettings;
use crate::review::{self, ProfileReviewPolicy};

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

/// Everything an administrator sets at the kiosk's settings screen.
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

/// One setting as `kioskctl settings show` and the settings screen list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SettingView {
    /// Screen name, e.g. `idleTimeoutS` (`reviewPolicies.tianjin` per profile).
    pub name: String,
    /// Stored key, e.g. `ui.idle_timeout_s`.
    pub key: String,
    /// Chinese label.
    pub label_zh: String,
    /// English label.
    pub label_en: String,
    /// The value in force (the default when none is stored); empty: nothing.
    pub value: String,
    /// The default.
    pub default: String,
    /// Smallest value of a number setting.
    #[ts(optional, type = "number")]
    pub min: Option<i64>,
    /// Largest value of a number setting.
    #[ts(optional, type = "number")]
    pub max: Option<i64>,
    /// The names a choice setting accepts.
    pub choices: Vec<String>,
    /// Whether an administrator may change it (the kiosk keeps the others itself).
    pub changeable: bool,
}

/// The stored text of `setting`, if any.
fn stored(kiosk: &Kiosk, key: &str) -> Result<Option<String>, Problem> {
    Ok(kiosk.store().setting(key)?)
}

/// The value in force of `setting` (see [`Setting::value`]).
pub fn value(kiosk: &Kiosk, setting: &Setting) -> Result<String, Problem> {
    Ok(setting.value(stored(kiosk, setting.key)?.as_deref()))
}

/// The value in force of number setting `setting`.
pub fn number(kiosk: &Kiosk, setting: &Setting) -> Result<i64, Problem> {
    Ok(setting.number(stored(kiosk, setting.key)?.as_deref()))
}

/// The value in force of `setting`, `None` when it is empty.
pub fn optional(kiosk: &Kiosk, setting: &Setting) -> Result<Option<String>, Problem> {
    Ok(setting.optional(stored(kiosk, setting.key)?.as_deref()))
}

/// The mode rules of this kiosk now.
pub fn rules(kiosk: &Kiosk, staff_signed_in: bool) -> Result<ModeRules, Problem> {
    let s = get(kiosk)?;
    Ok(mode_rules(s.mode, s.idle_timeout_s, staff_signed_in))
}

/// The current settings, with defaults for what was never set. A stored value that no
/// longer passes its check (written by hand) falls back to its default rather than failing
/// the kiosk.
pub fn get(kiosk: &Kiosk) -> Result<KioskSettings, Problem> {
    let idle = number(kiosk, &registry::IDLE_TIMEOUT_S)?;
    Ok(KioskSettings {
        kiosk_name: value(kiosk, &registry::KIOSK_NAME)?,
        hall_name: value(kiosk, &registry::HALL_NAME)?,
        hall_phone: value(kiosk, &registry::HALL_PHONE)?,
        mode: registry::KIOSK_MODE.mode(stored(kiosk, registry::KIOSK_MODE.key)?.as_deref()),
        idle_timeout_s: u32::try_from(idle).unwrap_or(u32::MAX),
        default_profile: optional(kiosk, &registry::DEFAULT_PROFILE)?,
        language: UiLanguage::parse(&value(kiosk, &registry::LANGUAGE)?).unwrap_or_default(),
        printer: optional(kiosk, &registry::PRINTER)?,
        scanner: optional(kiosk, &registry::SCANNER)?,
        export_dir: optional(kiosk, &registry::EXPORT_DIR)?,
        limits: crate::limits::settings(kiosk)?,
        review_policies: review::policies(kiosk)?,
    })
}

/// The settings an administrator may change, with their values in force, ranges and choices:
/// what the settings screen shows next to each field.
pub fn list_changeable(kiosk: &Kiosk) -> Result<Vec<SettingView>, Problem> {
    Ok(list(kiosk)?.into_iter().filter(|v| v.changeable).collect())
}

/// Every setting with its value in force, in the registry's order (review policies one per
/// built-in profile), including those the kiosk keeps itself (`kioskctl settings show`).
pub fn list(kiosk: &Kiosk) -> Result<Vec<SettingView>, Problem> {
    let mut views = Vec::new();
    for setting in registry::ALL {
        let (min, max) = match setting.kind {
            registry::Kind::Number { min, max } => (Some(min), Some(max)),
            _ => (None, None),
        };
        let choices = match setting.kind {
            registry::Kind::Choice(names) => names.iter().map(|n| (*n).to_owned()).collect(),
            _ => Vec::new(),
        };
        let view = |name: String, key: String, value: String| SettingView {
            name,
            key,
            label_zh: setting.label.0.to_owned(),
            label_en: setting.label.1.to_owned(),
            value,
            default: setting.default.to_owned(),
            min,
            max,
            choices: choices.clone(),
            changeable: setting.writer == Writer::Administrator,
        };
        if setting.per_profile() {
            for profile in kiosk_core::Profile::builtin() {
                let key = format!("{}{}", setting.key, profile.id);
                let value = setting.value(stored(kiosk, &key)?.as_deref());
                views.push(view(format!("{}{}", setting.name, profile.id), key, value));
            }
        } else {
            let value = value(kiosk, setting)?;
            views.push(view(setting.name.to_owned(), setting.key.to_owned(), value));
        }
    }
    Ok(views)
}

/// Checks the text of `setting` as typed on screen (its screen name is the field).
fn check(setting: &Setting, text: &str) -> Result<String, Problem> {
    Ok(setting.check(setting.name, text)?)
}

/// Checks every field; the first problem names its field (camelCase, as on screen).
pub fn validate(s: &KioskSettings) -> Result<(), Problem> {
    let optional = |v: &Option<String>| v.clone().unwrap_or_default();
    check(&registry::KIOSK_NAME, &s.kiosk_name)?;
    check(&registry::HALL_NAME, &s.hall_name)?;
    check(&registry::HALL_PHONE, &s.hall_phone)?;
    check(&registry::IDLE_TIMEOUT_S, &s.idle_timeout_s.to_string())?;
    check(&registry::DEFAULT_PROFILE, &optional(&s.default_profile))?;
    check(&registry::PRINTER, &optional(&s.printer))?;
    check(&registry::SCANNER, &optional(&s.scanner))?;
    check(&registry::EXPORT_DIR, &optional(&s.export_dir))?;
    s.limits.validate()?;
    for (n, entry) in s.review_policies.iter().enumerate() {
        review::validate_policy(entry)?;
        if s.review_policies[..n]
            .iter()
            .any(|e| e.profile == entry.profile)
        {
            return Err(registry::SettingError::Invalid {
                field: format!("{}{}", registry::REVIEW_POLICY.name, entry.profile),
                zh: format!("平台「{}」的审核方式填了两次。", entry.profile),
                en: format!("The review policy of \"{}\" is given twice.", entry.profile),
            }
            .into());
        }
    }
    Ok(())
}

/// The stored keys and values of `s`.
fn stored_pairs(s: &KioskSettings) -> Vec<(String, String)> {
    let optional = |v: &Option<String>| v.as_deref().unwrap_or_default().trim().to_owned();
    let plain: Vec<(&Setting, String)> = vec![
        (&registry::KIOSK_NAME, s.kiosk_name.trim().to_owned()),
        (&registry::HALL_NAME, s.hall_name.trim().to_owned()),
        (&registry::HALL_PHONE, s.hall_phone.trim().to_owned()),
        (&registry::KIOSK_MODE, s.mode.as_str().to_owned()),
        (&registry::IDLE_TIMEOUT_S, s.idle_timeout_s.to_string()),
        (&registry::DEFAULT_PROFILE, optional(&s.default_profile)),
        (&registry::LANGUAGE, s.language.as_str().to_owned()),
        (&registry::PRINTER, optional(&s.printer)),
        (&registry::SCANNER, optional(&s.scanner)),
        (&registry::EXPORT_DIR, optional(&s.export_dir)),
    ];
    plain
        .into_iter()
        .map(|(setting, v)| (setting.key.to_owned(), v))
        .chain(
            s.limits
                .stored()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v)),
        )
        .chain(s.review_policies.iter().map(|e| {
            (
                format!("{}{}", registry::REVIEW_POLICY.key, e.profile),
                e.policy.as_setting(),
            )
        }))
        .collect()
}

/// Stores `changes` with one audit row (`settings.changed`, the changed keys only — values
/// are not personal, but kept out anyway); nothing when nothing changed.
fn store_changes(
    kiosk: &Kiosk,
    caller: &Caller,
    changes: Vec<(String, String)>,
    now: i64,
) -> Result<(), Problem> {
    if changes.is_empty() {
        return Ok(());
    }
    let keys: Vec<&str> = changes.iter().map(|(k, _)| k.as_str()).collect();
    let entry = kiosk_store::AuditEntry {
        at: now,
        actor: caller.actor().to_owned(),
        action: "settings.changed".into(),
        application_id: None,
        detail: format!("keys={}", keys.join(",")),
    };
    Ok(kiosk.store().set_settings_audited(changes, entry)?)
}

/// Validates and stores `new`; only what changed is written, with one audit row.
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
        stored_pairs(&get(kiosk)?).into_iter().collect();
    let changes: Vec<(String, String)> = stored_pairs(&new)
        .into_iter()
        .filter(|(key, value)| before.get(key) != Some(value))
        .collect();
    store_changes(kiosk, caller, changes, now)?;
    get(kiosk)
}

/// Sets one setting by its screen name (`idleTimeoutS`, `reviewPolicies.tianjin`) or stored
/// key (`ui.idle_timeout_s`) — `kioskctl settings set KEY VALUE`; an empty value clears an
/// optional setting. Every administrator's setting of the registry can be set this way.
pub fn set_one(
    kiosk: &Kiosk,
    caller: &Caller,
    name: &str,
    text: &str,
    now: i64,
) -> Result<KioskSettings, Problem> {
    caller::check(kiosk, caller, Action::ChangeSettings, now)?;
    let found = registry::find(name)?;
    let value = found.setting.check(&found.field(), text)?;
    let key = found.key();
    let changes = if stored(kiosk, &key)?.as_deref() == Some(value.as_str()) {
        Vec::new()
    } else {
        vec![(key, value)]
    };
    store_changes(kiosk, caller, changes, now)?;
    get(kiosk)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::{SETTING_IDLE_TIMEOUT_S, SETTING_KIOSK_MODE};
    use kiosk_core::review::ReviewPolicy;

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
            1800,
            "never longer than the longest idle timeout the settings accept"
        );
        assert_eq!(short.edit_grace_s, EDIT_GRACE_S);
    }
}
