//! The platform checks: reachability and clock skew against the platform's `Date` header.

use super::{Check, CheckStatus, Probes, SKEW_FAIL, SKEW_WARN, blocking};
use crate::{Kiosk, sync};
use std::time::SystemTime;

/// Platform reachability and clock skew (two checks).
pub(super) async fn check_platform(kiosk: &Kiosk, probes: &Probes) -> Vec<Check> {
    let Some(url) = blocking(|| sync::sync_status(kiosk))
        .ok()
        .and_then(|s| s.platform_url)
    else {
        let fix = (
            "向平台管理员索取注册码，执行 kioskctl enrol --platform URL --code 注册码。",
            "Ask the platform administrator for a code and run kioskctl enrol --platform URL --code CODE.",
        );
        let not_enrolled = || {
            (
                "终端尚未注册到平台。".to_owned(),
                "The kiosk is not enrolled with a platform.".to_owned(),
            )
        };
        return vec![
            Check::bad("platform", CheckStatus::Warn, not_enrolled(), fix),
            Check::bad(
                "clock",
                CheckStatus::Warn,
                (
                    "未注册，无法与平台对时。".into(),
                    "Not enrolled: the clock cannot be compared with the platform.".into(),
                ),
                fix,
            ),
        ];
    };
    let health = format!("{}/api/v1/health", url.trim_end_matches('/'));
    // reqwest is built without a default TLS provider (as in kiosk-sync): ring, once per process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let answer = async {
        let client = reqwest::Client::builder()
            .timeout(probes.http_timeout)
            .build()?;
        client.get(&health).send().await?.error_for_status()
    }
    .await;
    let response = match answer {
        Ok(response) => response,
        Err(error) => {
            let fix = (
                "检查网线和网络设置；在终端上用浏览器打开平台地址；确认 platformd 正在运行。",
                "Check the cable and network settings; open the platform URL in a browser on the kiosk; make sure platformd is running.",
            );
            return vec![
                Check::bad(
                    "platform",
                    CheckStatus::Fail,
                    (
                        format!("无法连接平台 {url}：{error}"),
                        format!("Cannot reach the platform at {url}: {error}"),
                    ),
                    fix,
                ),
                Check::bad(
                    "clock",
                    CheckStatus::Warn,
                    (
                        "平台不可达，无法对时。".into(),
                        "The platform is unreachable: the clock cannot be compared.".into(),
                    ),
                    fix,
                ),
            ];
        }
    };
    let platform = Check::ok(
        "platform",
        format!("平台 {url} 可访问。"),
        format!("The platform at {url} answers."),
    );
    let date = response
        .headers()
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    let clock = match date {
        None => Check::bad(
            "clock",
            CheckStatus::Warn,
            (
                "平台的回应没有 Date 时间头。".into(),
                "The platform's answer has no Date header.".into(),
            ),
            ("升级平台软件。", "Upgrade the platform software."),
        ),
        Some(theirs) => clock_check(probes.now, theirs),
    };
    vec![platform, clock]
}

/// Compares the local clock with the platform's (whole seconds: the Date header has no more).
pub fn clock_check(ours: SystemTime, theirs: SystemTime) -> Check {
    let (skew, ahead) = match ours.duration_since(theirs) {
        Ok(d) => (d, true),
        Err(e) => (e.duration(), false),
    };
    let secs = skew.as_secs();
    let (zh_dir, en_dir) = if ahead {
        ("快", "ahead of")
    } else {
        ("慢", "behind")
    };
    let found = (
        format!("本机时钟比平台{zh_dir} {secs} 秒。"),
        format!("The kiosk's clock is {secs} s {en_dir} the platform's."),
    );
    let fix = (
        "开启时间同步（timedatectl set-ntp true），或让平台服务器作为 NTP 源；时区应为 Asia/Shanghai。",
        "Turn on time synchronisation (timedatectl set-ntp true) or use the platform server as NTP source; the time zone should be Asia/Shanghai.",
    );
    if skew >= SKEW_FAIL {
        Check::bad("clock", CheckStatus::Fail, found, fix)
    } else if skew >= SKEW_WARN {
        Check::bad("clock", CheckStatus::Warn, found, fix)
    } else {
        Check::ok("clock", found.0, found.1)
    }
}
