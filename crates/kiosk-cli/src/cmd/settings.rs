//! `kioskctl settings show [--json]` and `kioskctl settings set KEY VALUE`.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::caller::Caller;
use kiosk_api::settings::{self, KioskSettings};
use kiosk_api::{Problem, clock};

use crate::output;

/// Arguments of `kioskctl settings`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Show the kiosk's settings.
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change one setting (audited as `kioskctl`); an empty VALUE clears an optional one.
    /// Keys: kioskName, hallName, hallPhone, mode, idleTimeoutS, defaultProfile, language,
    /// printer, scanner, limits.maxDaysWithoutSync, limits.maxUnsent,
    /// limits.maxDaysWithoutUpdateCheck, limits.minFreeDiskMb, limits.syncHealthMinutes,
    /// reviewPolicies.<profile> (off, all or sample:N).
    Set {
        /// Setting name, e.g. `idleTimeoutS` (or its stored key, `ui.idle_timeout_s`).
        key: String,
        /// New value.
        value: String,
    },
}

fn print(s: &KioskSettings) {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    println!("终端名称 / kioskName:        {}", s.kiosk_name);
    println!("大厅名称 / hallName:         {}", s.hall_name);
    println!("咨询电话 / hallPhone:        {}", s.hall_phone);
    println!("模式 / mode:                 {}", s.mode.as_str());
    println!("无操作超时 / idleTimeoutS:   {}", s.idle_timeout_s);
    println!(
        "默认平台 / defaultProfile:   {}",
        or_dash(&s.default_profile)
    );
    println!("语言 / language:             {}", s.language.as_str());
    println!("打印机 / printer:            {}", or_dash(&s.printer));
    println!("扫描仪 / scanner:            {}", or_dash(&s.scanner));
    let l = &s.limits;
    println!(
        "运行限制 / limits:           sync {} d, unsent {}, update check {} d, disk {} MB, sync warning {} min",
        l.max_days_without_sync,
        l.max_unsent,
        l.max_days_without_update_check,
        l.min_free_disk_mb,
        l.sync_health_minutes
    );
    for p in &s.review_policies {
        println!(
            "审核 / reviewPolicies.{}: {}",
            p.profile,
            p.policy.as_setting()
        );
    }
}

/// Runs the settings subcommand.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    match &args.action {
        Action::Show { json } => {
            let s = settings::get(&kiosk)?;
            if *json {
                output::print_json(&s)?;
            } else {
                print(&s);
            }
        }
        Action::Set { key, value } => {
            let s = settings::set_one(&kiosk, &Caller::CliOperator, key, value, clock::now_ms())?;
            print(&s);
        }
    }
    Ok(ExitCode::SUCCESS)
}
