//! Every setting of the kiosk, declared once: its stored key, its name on the settings screen
//! and in `kioskctl settings`, its type and accepted values, its default, and who writes it.
//!
//! The store keeps settings as text under their key; the use cases read them through
//! [`Setting::value`] (a hand-edited value that no longer passes falls back to the default,
//! so a database edited by hand never stops the kiosk); the settings screen and
//! `kioskctl settings` check a new value with [`Setting::check`]. Who may change an
//! administrator's setting is the caller table's business (`kiosk-api::caller`,
//! `ChangeSettings`); settings the kiosk writes itself ([`Writer::Kiosk`]) are refused to
//! everybody.

use crate::profile::Profile;
use crate::review::ReviewPolicy;
use crate::{Catalogued, KioskMode, UserFacing};

/// Who writes a setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    /// An administrator, at the settings screen or with `kioskctl settings set`.
    Administrator,
    /// The kiosk itself (timestamps, cursors, keys): shown in support bundles, never set by hand.
    Kiosk,
}

/// What a setting holds and which values it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text of at most [`MAX_TEXT_CHARS`] characters without control characters.
    Text {
        /// Whether it may be empty.
        required: bool,
    },
    /// A help-desk phone number: digits, `-`, spaces, `+` and brackets, 5 to 20 digits.
    Phone,
    /// A whole number from `min` to `max`.
    Number {
        /// Smallest value accepted.
        min: i64,
        /// Largest value accepted.
        max: i64,
    },
    /// One of a fixed list of names.
    Choice(&'static [&'static str]),
    /// A built-in platform profile id, or nothing.
    Profile,
    /// A full folder path (starting with `/`), or nothing.
    Folder,
    /// An hour of the day, 0-23, or nothing.
    Hour,
    /// A review policy (`off`, `all`, `sample:N`); one setting per profile.
    ReviewPolicy,
    /// Kept by the kiosk for itself: any text.
    State,
}

/// One setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The key in the store, e.g. `ui.idle_timeout_s`. For a setting per profile
    /// ([`Setting::per_profile`]) the prefix the profile id follows.
    pub key: &'static str,
    /// The name on the settings screen and in `kioskctl settings` (camelCase), e.g.
    /// `idleTimeoutS`; for a setting per profile, the prefix the profile id follows.
    pub name: &'static str,
    /// What it is called, in Chinese and English.
    pub label: (&'static str, &'static str),
    /// What it holds.
    pub kind: Kind,
    /// The value when none is stored (empty: nothing).
    pub default: &'static str,
    /// Who writes it.
    pub writer: Writer,
}

/// Longest text accepted in a text setting.
pub const MAX_TEXT_CHARS: usize = 80;

const fn admin(
    key: &'static str,
    name: &'static str,
    label: (&'static str, &'static str),
    kind: Kind,
    default: &'static str,
) -> Setting {
    Setting {
        key,
        name,
        label,
        kind,
        default,
        writer: Writer::Administrator,
    }
}

const fn state(key: &'static str, label: (&'static str, &'static str)) -> Setting {
    Setting {
        key,
        name: key,
        label,
        kind: Kind::State,
        default: "",
        writer: Writer::Kiosk,
    }
}

/// The kiosk's display name (header, heartbeat, receipts).
pub const KIOSK_NAME: Setting = admin(
    "kiosk.name",
    "kioskName",
    ("终端名称", "kiosk name"),
    Kind::Text { required: true },
    "通办自助登记终端",
);
/// Counter or self-service.
pub const KIOSK_MODE: Setting = admin(
    "kiosk.mode",
    "mode",
    ("工作模式", "mode"),
    Kind::Choice(&["counter", "self-service"]),
    "counter",
);
/// The service hall's name (printed on receipts).
pub const HALL_NAME: Setting = admin(
    "hall.name",
    "hallName",
    ("大厅名称", "hall name"),
    Kind::Text { required: false },
    "",
);
/// The hall's help-desk phone (printed on receipts).
pub const HALL_PHONE: Setting = admin(
    "hall.phone",
    "hallPhone",
    ("咨询电话", "help-desk phone"),
    Kind::Phone,
    "",
);
/// CUPS queue for documents (nothing: the system default).
pub const PRINTER: Setting = admin(
    "print.printer",
    "printer",
    ("打印机", "printer"),
    Kind::Text { required: false },
    "",
);
/// SANE device for scanning (nothing: the first found).
pub const SCANNER: Setting = admin(
    "capture.scanner",
    "scanner",
    ("扫描仪", "scanner"),
    Kind::Text { required: false },
    "",
);
/// Self-service: seconds without a touch before the session is wiped (issue 8: 120 s; the
/// shortest leaves room for the 20 s countdown, the longest keeps data from lingering).
pub const IDLE_TIMEOUT_S: Setting = admin(
    "ui.idle_timeout_s",
    "idleTimeoutS",
    ("无操作超时（秒）", "idle timeout (seconds)"),
    Kind::Number { min: 30, max: 1800 },
    "120",
);
/// Platform profile preselected for visitors.
pub const DEFAULT_PROFILE: Setting = admin(
    "ui.default_profile",
    "defaultProfile",
    ("默认平台", "default platform"),
    Kind::Profile,
    "",
);
/// Language the screens start in.
pub const LANGUAGE: Setting = admin(
    "ui.language",
    "language",
    ("界面语言", "language"),
    Kind::Choice(&["zh-CN", "en"]),
    "zh-CN",
);
/// Folder offered first for offline exports (nothing: removable media only).
pub const EXPORT_DIR: Setting = admin(
    "export.dir",
    "exportDir",
    ("导出文件夹", "export folder"),
    Kind::Folder,
    "",
);
/// Days a platform-confirmed application keeps its payload (0: deleted at the first purge after
/// the platform confirms it).
pub const RETENTION_DAYS: Setting = admin(
    "retention.days",
    "retentionDays",
    ("保留天数", "retention days"),
    Kind::Number { min: 0, max: 365 },
    "7",
);
/// Operating limit: most days without a sync or export before new work is refused.
pub const MAX_DAYS_WITHOUT_SYNC: Setting = admin(
    "limits.max_days_without_sync",
    "limits.maxDaysWithoutSync",
    ("未同步或导出的最长天数", "most days without sync or export"),
    Kind::Number { min: 1, max: 90 },
    "7",
);
/// Operating limit: most applications not yet delivered.
pub const MAX_UNSENT: Setting = admin(
    "limits.max_unsent",
    "limits.maxUnsent",
    ("未送达申请的最多份数", "most unsent applications"),
    Kind::Number {
        min: 1,
        max: 100_000,
    },
    "500",
);
/// Operating limit: most days without an update check.
pub const MAX_DAYS_WITHOUT_UPDATE_CHECK: Setting = admin(
    "limits.max_days_without_update_check",
    "limits.maxDaysWithoutUpdateCheck",
    ("未检查更新的最长天数", "most days without an update check"),
    Kind::Number { min: 1, max: 365 },
    "30",
);
/// Operating limit: least free disk, in MB.
pub const MIN_FREE_DISK_MB: Setting = admin(
    "limits.min_free_disk_mb",
    "limits.minFreeDiskMb",
    ("最少剩余磁盘（MB）", "least free disk (MB)"),
    Kind::Number {
        min: 100,
        max: 1_000_000,
    },
    "1024",
);
/// Minutes without a successful sync before sync health warns.
pub const SYNC_HEALTH_MINUTES: Setting = admin(
    "limits.sync_health_minutes",
    "limits.syncHealthMinutes",
    ("同步停滞提醒（分钟）", "sync-stalled warning (minutes)"),
    Kind::Number {
        min: 5,
        max: 10_080,
    },
    "60",
);
/// Hours between update checks (0: only at start).
pub const UPDATE_CHECK_HOURS: Setting = admin(
    "update.check_hours",
    "updateCheckHours",
    ("检查更新间隔（小时）", "hours between update checks"),
    Kind::Number { min: 0, max: 720 },
    "24",
);
/// Hour (China time) at which a downloaded update installs unattended (nothing: an
/// administrator installs it).
pub const UPDATE_QUIET_HOUR: Setting = admin(
    "update.quiet_hour",
    "updateQuietHour",
    (
        "自动安装更新的时刻（时）",
        "hour to install updates unattended",
    ),
    Kind::Hour,
    "",
);
/// Minutes without activity after which a staff session ends.
pub const STAFF_IDLE_MIN: Setting = admin(
    "staff.idle_min",
    "staffIdleMin",
    (
        "工作人员无操作退出（分钟）",
        "staff idle sign-out (minutes)",
    ),
    Kind::Number { min: 1, max: 60 },
    "10",
);
/// Hours after sign-in at which a staff session ends regardless.
pub const STAFF_MAX_HOURS: Setting = admin(
    "staff.max_hours",
    "staffMaxHours",
    ("工作人员登录最长（小时）", "longest staff session (hours)"),
    Kind::Number { min: 1, max: 24 },
    "8",
);
/// Minutes a password re-entry keeps sensitive actions open.
pub const STAFF_REAUTH_MIN: Setting = admin(
    "staff.reauth_min",
    "staffReauthMin",
    (
        "再次验证密码的有效期（分钟）",
        "password re-entry valid for (minutes)",
    ),
    Kind::Number { min: 1, max: 60 },
    "5",
);
/// Supervisor review policy of one profile: key `review.policy.<profile>`.
pub const REVIEW_POLICY: Setting = admin(
    "review.policy.",
    "reviewPolicies.",
    ("审核方式", "review policy"),
    Kind::ReviewPolicy,
    "off",
);
/// When the last sync round succeeded (Unix ms).
pub const LAST_SYNC_SUCCESS_AT: Setting = state(
    "sync.last_success_at",
    ("最近同步成功", "last successful sync"),
);
/// The last sync error's code, empty after a success.
pub const LAST_SYNC_ERROR: Setting = state("sync.last_error", ("最近同步错误", "last sync error"));
/// Whether the platform answered last time (`1`/`0`).
pub const SYNC_ONLINE: Setting = state("sync.online", ("平台在线", "platform online"));
/// Where the status feed was read up to.
pub const STATUS_CURSOR: Setting = state("sync.status_cursor", ("状态读取位置", "status cursor"));
/// When updates were last checked (Unix ms).
pub const LAST_UPDATE_CHECK: Setting = state(
    "update.last_check_at",
    ("最近检查更新", "last update check"),
);
/// The platform's age recipient, set at enrolment.
pub const PLATFORM_RECIPIENT: Setting =
    state("platform.recipient", ("平台加密公钥", "platform recipient"));
/// When the last automatic purge ran (Unix ms).
pub const LAST_PURGE_AT: Setting = state("retention.last_purge_at", ("最近清理", "last purge"));
/// The audit chain's newest hash.
pub const AUDIT_HEAD: Setting = state("audit.head", ("审计链头", "audit head"));
/// The first audit row under a keyed MAC.
pub const AUDIT_KEYED_FROM: Setting =
    state("audit.keyed_from", ("审计加密起点", "audit keyed from"));

/// Every setting, administrator's first, in the order the settings screen lists them.
pub const ALL: &[Setting] = &[
    KIOSK_NAME,
    KIOSK_MODE,
    HALL_NAME,
    HALL_PHONE,
    PRINTER,
    SCANNER,
    IDLE_TIMEOUT_S,
    DEFAULT_PROFILE,
    LANGUAGE,
    EXPORT_DIR,
    RETENTION_DAYS,
    MAX_DAYS_WITHOUT_SYNC,
    MAX_UNSENT,
    MAX_DAYS_WITHOUT_UPDATE_CHECK,
    MIN_FREE_DISK_MB,
    SYNC_HEALTH_MINUTES,
    UPDATE_CHECK_HOURS,
    UPDATE_QUIET_HOUR,
    STAFF_IDLE_MIN,
    STAFF_MAX_HOURS,
    STAFF_REAUTH_MIN,
    REVIEW_POLICY,
    LAST_SYNC_SUCCESS_AT,
    LAST_SYNC_ERROR,
    SYNC_ONLINE,
    STATUS_CURSOR,
    LAST_UPDATE_CHECK,
    PLATFORM_RECIPIENT,
    LAST_PURGE_AT,
    AUDIT_HEAD,
    AUDIT_KEYED_FROM,
];

/// A setting found by name or key, with the profile for a setting per profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The setting.
    pub setting: &'static Setting,
    /// The profile id of a setting per profile (`review.policy.tianjin` → `tianjin`).
    pub profile: Option<String>,
}

impl Found {
    /// The key to store the value under.
    pub fn key(&self) -> String {
        match &self.profile {
            Some(profile) => format!("{}{profile}", self.setting.key),
            None => self.setting.key.to_owned(),
        }
    }

    /// The name a problem points at (`reviewPolicies.tianjin`).
    pub fn field(&self) -> String {
        match &self.profile {
            Some(profile) => format!("{}{profile}", self.setting.name),
            None => self.setting.name.to_owned(),
        }
    }
}

/// The setting with screen name or stored key `name`, e.g. `idleTimeoutS`,
/// `ui.idle_timeout_s` or `review.policy.tianjin`; [`SettingError::Unknown`] otherwise.
pub fn find(name: &str) -> Result<Found, SettingError> {
    let name = name.trim();
    for setting in ALL {
        if setting.per_profile() {
            let rest = name
                .strip_prefix(setting.key)
                .or_else(|| name.strip_prefix(setting.name));
            if let Some(profile) = rest.filter(|p| !p.is_empty()) {
                if Profile::by_id(profile).is_err() {
                    let known: Vec<_> = Profile::builtin().iter().map(|p| p.id.as_str()).collect();
                    return Err(SettingError::Invalid {
                        field: format!("{}{profile}", setting.name),
                        zh: format!("没有「{profile}」这个平台。可选：{}", known.join("、")),
                        en: format!(
                            "There is no platform \"{profile}\". Known: {}",
                            known.join(", ")
                        ),
                    });
                }
                return Ok(Found {
                    setting,
                    profile: Some(profile.to_owned()),
                });
            }
        } else if setting.name == name || setting.key == name {
            return Ok(Found {
                setting,
                profile: None,
            });
        }
    }
    Err(SettingError::Unknown {
        name: name.to_owned(),
    })
}

/// Why a value was refused. Every variant names the setting's screen name (`field`), so the
/// screen can point at it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    /// No setting has that name.
    #[error("there is no setting {name:?}")]
    Unknown {
        /// The name asked for.
        name: String,
    },
    /// The kiosk writes this setting itself.
    #[error("{key} is kept by the kiosk")]
    KeptByKiosk {
        /// Its key.
        key: String,
    },
    /// The value is not acceptable.
    #[error("{field}: {en}")]
    Invalid {
        /// The screen name of the setting.
        field: String,
        /// What is wrong and what to enter, in Chinese.
        zh: String,
        /// The same in English.
        en: String,
    },
}

impl SettingError {
    /// The screen name the problem points at, when it points at one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::Unknown { .. } | Self::KeptByKiosk { .. } => None,
        }
    }
}

/// The names an administrator may set, for "known settings" answers.
pub fn administrator_names() -> Vec<String> {
    ALL.iter()
        .filter(|s| s.writer == Writer::Administrator)
        .map(|s| {
            if s.per_profile() {
                format!("{}<profile>", s.name)
            } else {
                s.name.to_owned()
            }
        })
        .collect()
}

impl UserFacing for SettingError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unknown { .. } => "SETTING_UNKNOWN",
            Self::KeptByKiosk { .. } => "SETTING_KEPT_BY_KIOSK",
            Self::Invalid { .. } => "SETTING_INVALID",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::Unknown { name } => format!(
                "没有「{name}」这个设置。可用：{}",
                administrator_names().join("、")
            ),
            Self::KeptByKiosk { key } => {
                format!("「{key}」由终端自己记录，不能手动修改。")
            }
            Self::Invalid { zh, .. } => zh.clone(),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::Unknown { name } => format!(
                "There is no setting \"{name}\". Known: {}",
                administrator_names().join(", ")
            ),
            Self::KeptByKiosk { key } => {
                format!("\"{key}\" is kept by the kiosk itself and cannot be set by hand.")
            }
            Self::Invalid { en, .. } => en.clone(),
        }
    }

    fn problem(&self) -> crate::Problem {
        let problem = crate::Problem::new(self.code(), self.zh(), self.en());
        match self.field() {
            Some(field) => problem.at(field),
            None => problem,
        }
    }
}

impl Catalogued for SettingError {
    fn samples() -> Vec<Self> {
        vec![
            Self::Unknown {
                name: "<名称 name>".into(),
            },
            Self::KeptByKiosk {
                key: "<设置 key>".into(),
            },
            IDLE_TIMEOUT_S
                .check(IDLE_TIMEOUT_S.name, "10")
                .err()
                .unwrap_or(Self::Unknown {
                    name: IDLE_TIMEOUT_S.name.into(),
                }),
        ]
    }
}

impl Setting {
    /// Whether there is one such setting per profile (the key is a prefix).
    pub fn per_profile(&self) -> bool {
        self.kind == Kind::ReviewPolicy
    }

    fn invalid(&self, field: &str, zh: String, en: String) -> SettingError {
        SettingError::Invalid {
            field: field.to_owned(),
            zh,
            en,
        }
    }

    /// Checks `text` as a new value of this setting, named `field` on screen; returns the text
    /// to store (trimmed; empty clears an optional setting).
    pub fn check(&self, field: &str, text: &str) -> Result<String, SettingError> {
        let (label_zh, label_en) = self.label;
        let value = text.trim();
        match self.kind {
            Kind::State => Err(SettingError::KeptByKiosk {
                key: self.key.to_owned(),
            }),
            Kind::Text { required } => {
                if required && value.is_empty() {
                    return Err(self.invalid(
                        field,
                        format!("请填写{label_zh}。"),
                        format!("Enter the {label_en}."),
                    ));
                }
                check_plain_text(self, field, value)?;
                Ok(value.to_owned())
            }
            Kind::Phone => {
                let digits = value.chars().filter(char::is_ascii_digit).count();
                let ok = value
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '+' | '(' | ')'))
                    && (value.is_empty() || (5..=20).contains(&digits));
                if ok {
                    Ok(value.to_owned())
                } else {
                    Err(self.invalid(
                        field,
                        "咨询电话格式不对：请只填数字（可含区号和“-”），例如 0371-12345678。".into(),
                        "The help-desk phone is not valid: use digits (area code and \"-\" allowed), e.g. 0371-12345678.".into(),
                    ))
                }
            }
            Kind::Number { min, max } => match value.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
                _ => Err(self.invalid(
                    field,
                    format!("{label_zh}须是 {min} 到 {max} 之间的整数，而不是「{value}」。"),
                    format!(
                        "The {label_en} must be a whole number from {min} to {max}, not \"{value}\"."
                    ),
                )),
            },
            Kind::Choice(choices) => {
                if choices.contains(&value) {
                    Ok(value.to_owned())
                } else {
                    Err(self.invalid(
                        field,
                        format!("{label_zh}没有「{value}」这一项（可用：{}）。", choices.join("、")),
                        format!(
                            "The {label_en} cannot be \"{value}\" (known: {}).",
                            choices.join(", ")
                        ),
                    ))
                }
            }
            Kind::Profile => {
                if value.is_empty() || Profile::by_id(value).is_ok() {
                    return Ok(value.to_owned());
                }
                let known: Vec<_> = Profile::builtin().iter().map(|p| p.id.as_str()).collect();
                Err(self.invalid(
                    field,
                    format!("没有「{value}」这个平台。可选：{}", known.join("、")),
                    format!("There is no platform \"{value}\". Known: {}", known.join(", ")),
                ))
            }
            Kind::Folder => {
                check_plain_text(self, field, value)?;
                if value.is_empty() || value.starts_with('/') {
                    Ok(value.to_owned())
                } else {
                    Err(self.invalid(
                        field,
                        format!("{label_zh}须是完整路径（以 / 开头），例如 /srv/export，而不是「{value}」。"),
                        format!(
                            "The {label_en} must be a full path (starting with /), e.g. /srv/export, not \"{value}\"."
                        ),
                    ))
                }
            }
            Kind::Hour => match value.parse::<u8>() {
                _ if value.is_empty() => Ok(String::new()),
                Ok(hour) if hour < 24 => Ok(hour.to_string()),
                _ => Err(self.invalid(
                    field,
                    format!("{label_zh}须是 0 到 23 之间的整数，或留空，而不是「{value}」。"),
                    format!(
                        "The {label_en} is a whole hour from 0 to 23, or empty, not \"{value}\"."
                    ),
                )),
            },
            Kind::ReviewPolicy => match ReviewPolicy::parse(value) {
                Some(policy) => Ok(policy.as_setting()),
                None => Err(self.invalid(
                    field,
                    format!("「{value}」不是审核方式：请用 off、all 或 sample:N（N 为 1 到 99）。"),
                    format!(
                        "\"{value}\" is not a review policy: use off, all or sample:N (N from 1 to 99)."
                    ),
                )),
            },
        }
    }

    /// The value in force given what is stored: the stored text when it still passes
    /// [`Setting::check`]; a number out of range is brought into it (so a limit written by hand
    /// as "very large" stays very large); anything else falls back to the default. Never
    /// fails: a value edited by hand into the database cannot stop the kiosk.
    pub fn value(&self, stored: Option<&str>) -> String {
        match stored {
            Some(text) if self.kind == Kind::State => text.to_owned(),
            Some(text) if matches!(self.kind, Kind::Number { .. }) => {
                match (self.kind, text.trim().parse::<i64>()) {
                    (Kind::Number { min, max }, Ok(n)) => n.clamp(min, max).to_string(),
                    _ => self.default.to_owned(),
                }
            }
            Some(text) => self
                .check(self.name, text)
                .unwrap_or_else(|_| self.default.to_owned()),
            None => self.default.to_owned(),
        }
    }

    /// [`Setting::value`] of a number setting (its minimum if the registry's default were not a
    /// number, which a test rules out).
    pub fn number(&self, stored: Option<&str>) -> i64 {
        let min = match self.kind {
            Kind::Number { min, .. } => min,
            _ => 0,
        };
        self.value(stored).parse().unwrap_or(min)
    }

    /// [`Setting::value`] as an optional text: `None` when empty.
    pub fn optional(&self, stored: Option<&str>) -> Option<String> {
        Some(self.value(stored)).filter(|v| !v.is_empty())
    }

    /// [`Setting::value`] of the mode setting.
    pub fn mode(&self, stored: Option<&str>) -> KioskMode {
        KioskMode::parse(&self.value(stored)).unwrap_or_default()
    }
}

fn check_plain_text(setting: &Setting, field: &str, value: &str) -> Result<(), SettingError> {
    let (label_zh, label_en) = setting.label;
    if value.chars().count() > MAX_TEXT_CHARS {
        return Err(setting.invalid(
            field,
            format!("{label_zh}太长：最多 {MAX_TEXT_CHARS} 个字，请缩短。"),
            format!("The {label_en} is too long: at most {MAX_TEXT_CHARS} characters. Shorten it."),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(setting.invalid(
            field,
            format!("{label_zh}含有控制字符，请重新输入。"),
            format!("The {label_en} contains control characters. Type it again."),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_and_names_are_unique_and_defaults_pass_their_own_check() {
        for (i, s) in ALL.iter().enumerate() {
            for other in &ALL[..i] {
                assert_ne!(s.key, other.key);
                assert_ne!(s.name, other.name);
            }
            if s.writer == Writer::Administrator && !s.default.is_empty() {
                assert_eq!(
                    s.check(s.name, s.default).as_deref(),
                    Ok(s.default),
                    "{}",
                    s.key
                );
            }
        }
    }

    #[test]
    fn settings_are_found_by_screen_name_key_and_profile() {
        assert_eq!(
            find("idleTimeoutS").unwrap().setting.key,
            "ui.idle_timeout_s"
        );
        assert_eq!(
            find("ui.idle_timeout_s").unwrap().setting.name,
            "idleTimeoutS"
        );
        let policy = find("reviewPolicies.tianjin").unwrap();
        assert_eq!(policy.key(), "review.policy.tianjin");
        assert_eq!(find("review.policy.tianjin").unwrap(), policy);
        assert_eq!(
            find("review.policy.").unwrap_err().code(),
            "SETTING_UNKNOWN"
        );
        assert_eq!(find("colour").unwrap_err().code(), "SETTING_UNKNOWN");
    }

    #[test]
    fn values_are_checked_by_kind() {
        assert_eq!(IDLE_TIMEOUT_S.check("idleTimeoutS", " 45 ").unwrap(), "45");
        let refused = IDLE_TIMEOUT_S.check("idleTimeoutS", "10").unwrap_err();
        assert_eq!(refused.problem().field.as_deref(), Some("idleTimeoutS"));
        assert!(HALL_PHONE.check("hallPhone", "call me").is_err());
        assert!(HALL_PHONE.check("hallPhone", "0371-12345678").is_ok());
        assert!(KIOSK_NAME.check("kioskName", "  ").is_err());
        assert!(EXPORT_DIR.check("exportDir", "export").is_err());
        assert!(DEFAULT_PROFILE.check("defaultProfile", "atlantis").is_err());
        assert_eq!(UPDATE_QUIET_HOUR.check("updateQuietHour", "").unwrap(), "");
        assert!(UPDATE_QUIET_HOUR.check("updateQuietHour", "24").is_err());
        assert_eq!(
            SYNC_ONLINE.check("sync.online", "1").unwrap_err().code(),
            "SETTING_KEPT_BY_KIOSK"
        );
    }

    #[test]
    fn stored_values_that_no_longer_pass_fall_back_to_the_default() {
        assert_eq!(
            IDLE_TIMEOUT_S.number(Some("7200")),
            1800,
            "brought into range"
        );
        assert_eq!(
            IDLE_TIMEOUT_S.number(Some("soon")),
            120,
            "not a number: the default"
        );
        assert_eq!(IDLE_TIMEOUT_S.number(Some("45")), 45);
        assert_eq!(KIOSK_MODE.mode(Some("kiosk")), KioskMode::Counter);
        assert_eq!(PRINTER.optional(Some("  ")), None);
        assert_eq!(LAST_SYNC_ERROR.value(Some("NETWORK")), "NETWORK");
    }

    proptest! {
        #[test]
        fn checking_never_panics(text in "\\PC{0,40}") {
            for s in ALL {
                let _ = s.check(s.name, &text);
                let _ = s.value(Some(&text));
            }
        }
    }
}
