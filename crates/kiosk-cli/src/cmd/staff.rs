//! `kioskctl staff setup-code|first-admin|add|login|list|reset-password|disable|enable|unlock`.
//! Passwords are read from standard input (one per line), never from the command line.
//!
//! kioskctl acts as the machine's operator ([`Caller::CliOperator`]): whoever runs it can
//! already read the data directory, so it may manage accounts; this is also how a locked-out
//! or forgotten last administrator is recovered (`reset-password`, `unlock`).

use kiosk_api::cli_error::CliError;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::caller::Caller;
use kiosk_api::staff::{self, NewStaffInput};
use kiosk_api::{Problem, clock};

use crate::output;

/// Arguments of `kioskctl staff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Print a one-time setup code for creating the first administrator (valid 24 h).
    SetupCode,
    /// Create the first administrator; reads the password from stdin.
    FirstAdmin {
        /// The setup code.
        #[arg(long)]
        code: String,
        /// Login name.
        #[arg(long)]
        username: String,
        /// Name shown on screen.
        #[arg(long)]
        name: String,
    },
    /// Add an account as an administrator; reads the admin's password, then the new
    /// account's password, from stdin (one line each).
    Add {
        /// The acting administrator.
        #[arg(long = "as", value_name = "ADMIN")]
        acting: String,
        /// Login name.
        #[arg(long)]
        username: String,
        /// Name shown on screen.
        #[arg(long)]
        name: String,
        /// operator, supervisor or admin.
        #[arg(long)]
        role: String,
    },
    /// Check a login; reads the password from stdin.
    Login {
        /// Login name.
        #[arg(long)]
        username: String,
    },
    /// List accounts.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set a new password for an account (read from stdin) and end its sign-in pause.
    ResetPassword {
        /// Login name.
        #[arg(long)]
        username: String,
    },
    /// Disable an account (never the last enabled administrator).
    Disable {
        /// Login name.
        #[arg(long)]
        username: String,
    },
    /// Enable a disabled account.
    Enable {
        /// Login name.
        #[arg(long)]
        username: String,
    },
    /// End an account's sign-in pause after failed logins.
    Unlock {
        /// Login name.
        #[arg(long)]
        username: String,
    },
}

impl Action {
    /// The subcommand's name as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Self::SetupCode => "setup-code",
            Self::FirstAdmin { .. } => "first-admin",
            Self::Add { .. } => "add",
            Self::Login { .. } => "login",
            Self::List { .. } => "list",
            Self::ResetPassword { .. } => "reset-password",
            Self::Disable { .. } => "disable",
            Self::Enable { .. } => "enable",
            Self::Unlock { .. } => "unlock",
        }
    }
}

impl Args {
    /// The staff subcommand's name as typed (`list`, `unlock`, ...).
    pub fn name(&self) -> &'static str {
        self.action.name()
    }
}

fn read_password(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
) -> Result<String, Problem> {
    match lines.next() {
        Some(Ok(line)) => Ok(line.trim_end_matches(['\r', '\n']).to_owned()),
        _ => Err(CliError::PasswordMissing.into()),
    }
}

/// Runs the staff subcommand.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    let now = clock::now_ms();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    match &args.action {
        Action::SetupCode => {
            let code = staff::issue_setup_code(&kiosk, now)?;
            eprintln!("一次性设置码（24 小时内有效）/ one-time setup code (valid 24 h):");
            println!("{code}");
        }
        Action::FirstAdmin {
            code,
            username,
            name,
        } => {
            let password = read_password(&mut lines)?;
            staff::create_first_admin(&kiosk, code, username, name, &password, now)?;
            println!("已创建管理员 / administrator created: {username}");
        }
        Action::Add {
            acting,
            username,
            name,
            role,
        } => {
            let admin_password = read_password(&mut lines)?;
            let password = read_password(&mut lines)?;
            let session = staff::login(&kiosk, acting, &admin_password, now)?;
            let caller = Caller::Staff(session.caller(now));
            let input = NewStaffInput {
                username: username.clone(),
                display_name: name.clone(),
                role: role.clone(),
                password,
            };
            staff::add(&kiosk, &caller, input, now)?;
            println!("已添加 / added: {username} ({role})");
        }
        Action::Login { username } => {
            let password = read_password(&mut lines)?;
            let session = staff::login(&kiosk, username, &password, now)?;
            println!(
                "登录成功 / login ok: {} ({})",
                session.username, session.role
            );
        }
        Action::List { json } => {
            let accounts = staff::list(&kiosk, &Caller::CliOperator, now)?;
            if *json {
                output::print_json(&accounts)?;
            } else {
                for a in &accounts {
                    let locked = if a.locked_until.is_some_and(|u| u > now) {
                        " locked"
                    } else {
                        ""
                    };
                    println!(
                        "{:<16} {:<10} {}{}",
                        a.username, a.role, a.display_name, locked
                    );
                }
            }
        }
        Action::ResetPassword { username } => {
            let password = read_password(&mut lines)?;
            staff::reset_password(&kiosk, &Caller::CliOperator, username, &password, now)?;
            println!("已重置密码 / password reset: {username}");
        }
        Action::Disable { username } => {
            staff::set_disabled(&kiosk, &Caller::CliOperator, username, true, now)?;
            println!("已停用 / disabled: {username}");
        }
        Action::Enable { username } => {
            staff::set_disabled(&kiosk, &Caller::CliOperator, username, false, now)?;
            println!("已启用 / enabled: {username}");
        }
        Action::Unlock { username } => {
            staff::unlock(&kiosk, &Caller::CliOperator, username, now)?;
            println!("已解锁 / unlocked: {username}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
