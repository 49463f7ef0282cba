//! `platformd`: the reference central platform server and its admin commands.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use platform::checks::ServiceHours;
use platform::sms::http::{HttpGateway, HttpGatewayConfig};
use platform::sms::{OutboxProvider, SmsProvider};
use platform::status::ReviewAction;
use platform::{ApiError, Platform, PlatformConfig, SystemClock};

/// How text messages leave the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SmsMode {
    /// Append one JSON line per message to <data-dir>/sms-outbox.jsonl (mode 0600).
    Outbox,
    /// POST each message to an SMS gateway (--sms-url).
    Http,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    /// One JSON object per line.
    Json,
    /// env_logger's text lines.
    Text,
}

/// The Tongban reference platform.
#[derive(Debug, Parser)]
#[command(name = "platformd", version, about)]
struct Cli {
    /// Data directory (database, keys, blobs, master data, update files).
    #[arg(long, global = true, default_value = "platform-data")]
    data_dir: PathBuf,
    /// Shift the platform clock by this many seconds (demos of service hours).
    #[arg(long, global = true, default_value_t = 0, allow_hyphen_values = true)]
    clock_offset_secs: i64,
    /// How SMS codes are delivered (also by `import`, which sends verify-later codes).
    #[arg(long, global = true, value_enum, default_value_t = SmsMode::Outbox)]
    sms: SmsMode,
    /// The SMS gateway's REST URL (with `--sms http`).
    #[arg(long, global = true)]
    sms_url: Option<String>,
    /// A file holding the gateway's token (sent as `Authorization: Bearer <token>`).
    #[arg(long, global = true)]
    sms_token_file: Option<PathBuf>,
    /// Send the token in this header as is, instead of `Authorization: Bearer`.
    #[arg(long, global = true)]
    sms_token_header: Option<String>,
    /// JSON body template; `{phone}`, `{text}`, `{code}`, `{purpose}` are filled in.
    #[arg(long, global = true, default_value = platform::sms::http::DEFAULT_TEMPLATE)]
    sms_template: String,
    /// Seconds the gateway has to answer.
    #[arg(long, global = true, default_value_t = 5)]
    sms_timeout_secs: u64,
    /// Service hours of the population database, China time (HH:MM-HH:MM).
    #[arg(long, global = true, default_value = "08:00-18:00")]
    population_hours: ServiceHours,
    /// How long a verify-later code is valid, hours.
    #[arg(long, global = true, default_value_t = 72)]
    verify_later_hours: u32,
    /// Signed calls each kiosk may make per minute (counted in the shared store).
    #[arg(long, global = true, default_value_t = platform::edges::EdgeSettings::default().kiosk_calls_per_minute)]
    kiosk_calls_per_minute: i64,
    /// Unsigned (and refused) calls each IP address may make per minute (counted in the shared
    /// store; behind a load balancer that hides client addresses, raise it).
    #[arg(long, global = true, default_value_t = platform::edges::EdgeSettings::default().ip_calls_per_minute)]
    ip_calls_per_minute: i64,
    /// A proxy or load balancer in front of platformd (repeat for several): only from these
    /// addresses is `X-Forwarded-For` read to find the client's address for the per-address
    /// limits; from anyone else it is ignored.
    #[arg(long = "trusted-proxy", global = true, value_name = "IP")]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Seconds a request head (request line and headers) gets to arrive; a slower connection
    /// is closed.
    #[arg(long, global = true, default_value_t = platform::edges::EdgeSettings::default().header_read_timeout_ms / 1000)]
    header_timeout_secs: u64,
    /// Where the database is: `postgres://user@host:port/db` for a province (replicas share
    /// it), else SQLite `<data-dir>/platform.db` (the default). Also `PLATFORM_DATABASE`
    /// (keeps a password out of the process list).
    #[arg(long, global = true)]
    database: Option<String>,
    /// Where blobs go: `s3://bucket[/prefix]` (S3-compatible; credentials from
    /// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), else `<data-dir>/blobs` (the default).
    /// Also `PLATFORM_BLOBS`.
    #[arg(long, global = true)]
    blobs: Option<String>,
    /// The S3-compatible endpoint, `http(s)://host:port` (also `AWS_ENDPOINT_URL`).
    #[arg(long, global = true)]
    s3_endpoint: Option<String>,
    /// The S3 region (default us-east-1; also `AWS_REGION`).
    #[arg(long, global = true)]
    s3_region: Option<String>,
    /// PostgreSQL connections per process.
    #[arg(long, global = true, default_value_t = 16)]
    db_pool: u32,
    /// Log lines: one JSON object each (`json`, for log collectors) or plain text.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Json)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

/// The storage engines chosen by flags and environment.
fn storage_config(cli: &Cli) -> platform::StorageConfig {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let database = cli.database.clone().or_else(|| env("PLATFORM_DATABASE"));
    let blobs = cli.blobs.clone().or_else(|| env("PLATFORM_BLOBS"));
    platform::StorageConfig {
        database: platform::storage::DatabaseUrl::parse(database.as_deref().unwrap_or("")),
        blobs: platform::storage::objects::BlobsUrl::parse(blobs.as_deref().unwrap_or("")),
        s3: platform::storage::objects::S3Settings {
            endpoint: cli.s3_endpoint.clone().or_else(|| env("AWS_ENDPOINT_URL")),
            region: cli.s3_region.clone().or_else(|| env("AWS_REGION")),
            access_key_id: None,
            secret_access_key: None,
        },
        max_connections: cli.db_pool,
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the protocol: HTTPS with `--tls-cert`/`--tls-key`, else plain HTTP (for loopback,
    /// or behind a TLS-terminating proxy).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8470")]
        addr: String,
        /// Data directory (same as the global option).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// PEM certificate chain: serve HTTPS (rustls) with it (needs --tls-key).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// PEM private key of --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Issue a one-time enrolment code for a kiosk (printed as the last line).
    EnrolmentCode {
        /// The kiosk's display name.
        #[arg(long)]
        kiosk: String,
    },
    /// List received submissions.
    Submissions {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Show this one application for review: its content in full, passwords left out (written
        /// to the admin audit as an opening of personal data).
        #[arg(long, value_name = "ID")]
        show: Option<String>,
    },
    /// Reviewer decisions.
    Review {
        #[command(subcommand)]
        action: ReviewCommand,
    },
    /// Print the platform's age recipient.
    Recipient,
    /// Print the platform's signing-key fingerprint (the end of every enrolment code).
    Fingerprint,
    /// Create a new signing identity when `platform-signing.key` is lost for good (refuses
    /// to replace an existing one). Every kiosk must then be re-enrolled with a new code.
    NewSigningIdentity,
    /// Rotate the signing identity: a new key, signed by the current one; kiosks follow the
    /// chain and update their pin. Run while the server is stopped; restart it afterwards.
    RotateIdentity,
    /// Print the OpenAPI document of the protocol (docs/openapi.json).
    Openapi,
    /// List enrolled kiosks with their latest heartbeat.
    Kiosks {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Named admin accounts of the admin API (tokens are shown once, stored hashed).
    Admin {
        #[command(subcommand)]
        action: AdminCommand,
    },
    /// Revoke a kiosk: its signed calls are refused (`KIOSK_REVOKED`); enrol it again with a
    /// new code. Recorded in the admin audit as done by `cli`.
    RevokeKiosk {
        /// The kiosk id (see `platformd kiosks`).
        id: String,
    },
    /// Import an offline bundle exported by a kiosk (`kioskctl export`); safe to repeat.
    Import {
        /// The bundle file.
        bundle: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an admin account and print its bearer token (shown once).
    Add {
        /// Account name: 3-32 of a-z 0-9 . _ -
        #[arg(long)]
        name: String,
        /// `reviewer` (submissions and reviews) or `fleet-admin` (everything else).
        #[arg(long)]
        role: String,
    },
    /// List admin accounts (never their tokens).
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Disable an admin account: its token stops working.
    Disable {
        /// Account name.
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
enum ReviewCommand {
    /// List submissions waiting for a reviewer (accepted or needs-action).
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Approve a submission.
    Approve {
        /// Submission id.
        id: String,
        /// Account name to assign (default: the requested one).
        #[arg(long)]
        account_name: Option<String>,
    },
    /// Reject a submission.
    Reject {
        /// Submission id.
        id: String,
        /// Reason in Chinese.
        #[arg(long)]
        reason: String,
        /// Reason in English.
        #[arg(long, default_value = "")]
        reason_en: String,
    },
    /// Ask for more evidence.
    RequestEvidence {
        /// Submission id.
        id: String,
        /// What is missing, in Chinese.
        #[arg(long)]
        reason: String,
        /// What is missing, in English.
        #[arg(long, default_value = "")]
        reason_en: String,
    },
}

/// `platformd admin add|list|disable`: each recorded in the admin audit as done by `cli`.
fn admin_command(platform: &Platform, action: AdminCommand) -> Result<(), ApiError> {
    match action {
        AdminCommand::Add { name, role } => {
            let role = platform::admins::Role::parse(&role).ok_or_else(|| {
                ApiError::bad_request(
                    "ADMIN_ROLE_INVALID",
                    "角色须为 reviewer 或 fleet-admin。",
                    "The role must be reviewer or fleet-admin.",
                )
            })?;
            let token = platform.add_admin(&name, role, "cli")?;
            platform.record_admin_action("cli", "CLI admin add", Some(&name), 201, None)?;
            println!(
                "Admin account {name} ({}) created. Its bearer token, shown only now:",
                role.as_str()
            );
            println!("{token}");
            Ok(())
        }
        AdminCommand::List { json } => {
            let list = platform.list_admins()?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&list).map_err(|_| ApiError::internal())?
                );
            } else {
                for a in &list {
                    println!(
                        "{}\t{}\t{}",
                        a.name,
                        a.role.as_str(),
                        if a.disabled_at.is_some() {
                            "disabled"
                        } else {
                            "enabled"
                        }
                    );
                }
            }
            Ok(())
        }
        AdminCommand::Disable { name } => {
            platform.disable_admin(&name)?;
            platform.record_admin_action("cli", "CLI admin disable", Some(&name), 204, None)?;
            println!("Admin account {name} disabled.");
            Ok(())
        }
    }
}

fn print_error(e: &ApiError) {
    eprintln!("{}: {} / {}", e.code, e.zh, e.en);
}

/// The SMS provider the options ask for.
fn sms_provider(cli: &Cli, data_dir: &std::path::Path) -> Result<Arc<dyn SmsProvider>, String> {
    match cli.sms {
        SmsMode::Outbox => Ok(Arc::new(OutboxProvider::new(
            data_dir.join(platform::sms::OUTBOX_FILE),
        ))),
        SmsMode::Http => {
            let url = cli
                .sms_url
                .clone()
                .ok_or("--sms http needs --sms-url <gateway REST URL>")?;
            let token = match &cli.sms_token_file {
                Some(path) => Some(
                    std::fs::read_to_string(path)
                        .map_err(|e| format!("--sms-token-file {}: {e}", path.display()))?
                        .trim()
                        .to_owned(),
                ),
                None => None,
            };
            let config = HttpGatewayConfig {
                url,
                token,
                token_header: cli.sms_token_header.clone(),
                template: cli.sms_template.clone(),
                timeout: std::time::Duration::from_secs(cli.sms_timeout_secs.max(1)),
            };
            Ok(Arc::new(HttpGateway::new(config)?))
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut logger =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"));
    if cli.log_format == LogFormat::Json {
        logger.format(|buf, record| {
            use std::io::Write;
            writeln!(
                buf,
                "{}",
                platform::access_log::json_log_line(
                    platform::Clock::now_ms(&SystemClock::default()),
                    record.level().as_str(),
                    record.target(),
                    &record.args().to_string(),
                )
            )
        });
    }
    logger.init();
    if matches!(cli.command, Command::Openapi) {
        print!("{}", platform::openapi::document_json());
        return ExitCode::SUCCESS;
    }
    let data_dir = match &cli.command {
        Command::Serve {
            data_dir: Some(d), ..
        } => d.clone(),
        _ => cli.data_dir.clone(),
    };
    if matches!(cli.command, Command::RotateIdentity) {
        let now = SystemClock {
            offset_ms: cli.clock_offset_secs.saturating_mul(1000),
        };
        return match platform::identity::rotate(&data_dir, platform::Clock::now_ms(&now)) {
            Ok((old, new)) => {
                println!("Rotated the platform signing identity: {old} -> {new}");
                println!(
                    "New enrolment codes carry the new fingerprint; enrolled kiosks follow the chain."
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("PLATFORM_ROTATE_FAILED: {e}");
                ExitCode::FAILURE
            }
        };
    }
    if matches!(cli.command, Command::NewSigningIdentity) {
        return match platform::identity::SigningIdentity::create(&data_dir) {
            Ok(identity) => {
                println!("New platform signing identity; fingerprint:");
                println!("{}", identity.fingerprint());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("PLATFORM_IDENTITY_EXISTS_OR_UNWRITABLE: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let clock = Arc::new(SystemClock {
        offset_ms: cli.clock_offset_secs.saturating_mul(1000),
    });
    let provider = match sms_provider(&cli, &data_dir) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("PLATFORM_START_FAILED: {e}");
            return ExitCode::FAILURE;
        }
    };
    let platform =
        match Platform::open_with(&PlatformConfig { data_dir }, &storage_config(&cli), clock) {
            Ok(p) => Arc::new(
                p.with_sms_provider(provider)
                    .with_population_hours(cli.population_hours)
                    .with_verify_later_validity_ms(i64::from(cli.verify_later_hours) * 3_600_000)
                    .with_edge_settings(platform::edges::EdgeSettings {
                        kiosk_calls_per_minute: cli.kiosk_calls_per_minute.max(1),
                        ip_calls_per_minute: cli.ip_calls_per_minute.max(1),
                        header_read_timeout_ms: cli.header_timeout_secs.max(1) * 1000,
                        ..platform::edges::EdgeSettings::default()
                    })
                    .with_trusted_proxies(cli.trusted_proxies.clone()),
            ),
            Err(e) => {
                eprintln!("PLATFORM_START_FAILED: {e}");
                return ExitCode::FAILURE;
            }
        };
    let result = match cli.command {
        Command::Serve {
            addr,
            tls_cert,
            tls_key,
            ..
        } => {
            let tls = match tls_cert.zip(tls_key) {
                Some((cert, key)) => match platform::tls::server_config(&cert, &key) {
                    Ok(config) => Some(config),
                    Err(e) => {
                        eprintln!("PLATFORM_START_FAILED: {e}");
                        return ExitCode::FAILURE;
                    }
                },
                None => None,
            };
            return serve(platform, &addr, tls);
        }
        Command::Admin { action } => admin_command(&platform, action),
        Command::RevokeKiosk { id } => platform.revoke_kiosk(&id).and_then(|()| {
            platform.record_admin_action(
                "cli",
                "CLI revoke-kiosk",
                Some(&id),
                204,
                None,
            )?;
            println!("Kiosk {id} revoked: its signed calls are refused from now on.");
            Ok(())
        }),
        Command::EnrolmentCode { kiosk } => platform.issue_enrolment_code(&kiosk).map(|code| {
            println!(
                "Enrolment code for kiosk {kiosk:?} (valid 24 hours, single use; ends with the platform key fingerprint {}):",
                platform.signing_identity().code_fingerprint()
            );
            println!("{code}");
        }),
        Command::Submissions {
            json: _,
            show: Some(id),
        } => platform.open_submission("operator (cli)", &id).map(|found| {
            // Written to the admin audit like a reviewer's opening.
            let shown = serde_json::json!({
                "id": found.id, "receipt": found.receipt, "state": found.state,
                "manualReview": found.manual_review, "mobileUnverified": found.mobile_unverified,
                "attachments": found.attachments,
                "payload": found.payload,
            });
            println!("{shown}");
        }),
        Command::Submissions { json, show: None } => platform.submissions().map(|list| {
            if json {
                let rows: Vec<_> = list
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "id": s.id, "kioskId": s.kiosk_id, "receipt": s.receipt,
                            "kind": s.kind, "profile": s.profile,
                            "state": s.state,
                            "accountName": s.account_name.as_deref().map(platform::pii::mask_text),
                            "reason": s.reason, "receivedAt": s.received_at,
                            "manualReview": s.manual_review,
                            "mobileUnverified": s.mobile_unverified,
                            "attachments": s.attachments,
                        })
                    })
                    .collect();
                println!("{}", serde_json::Value::Array(rows));
            } else {
                for s in &list {
                    println!(
                        "{}\t{}\t{}\t{}\t{} attachment(s)",
                        s.id,
                        s.receipt,
                        s.state,
                        s.kiosk_id,
                        s.attachments.len()
                    );
                }
            }
        }),
        Command::Openapi => Ok(()), // printed above, before opening the data directory
        Command::Kiosks { json } => platform.kiosks().map(|list| {
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
                );
            } else {
                for k in &list {
                    let beat = k.heartbeat.as_ref();
                    println!(
                        "{}\t{}\t{}\t{}\tqueue {}\tlast seen {}\t{}",
                        k.id,
                        k.name,
                        beat.and_then(|b| b.hall.as_deref()).unwrap_or("-"),
                        beat.map_or("-", |b| b.version.as_str()),
                        beat.map_or(0, |b| b.queue_depth),
                        k.last_seen_at
                            .map_or_else(|| "never".into(), |t| t.to_string()),
                        beat.and_then(|b| b.last_error.as_deref()).unwrap_or("")
                    );
                }
            }
        }),
        Command::Review { action } => match action {
            ReviewCommand::List { json } => platform
                .submissions()
                .map(|list| print_review_list(&list, json)),
            ReviewCommand::Approve { id, account_name } => {
                decide(&platform, &id, ReviewAction::Approve { account_name })
            }
            ReviewCommand::Reject {
                id,
                reason,
                reason_en,
            } => decide(
                &platform,
                &id,
                ReviewAction::Reject {
                    zh: reason,
                    en: reason_en,
                },
            ),
            ReviewCommand::RequestEvidence {
                id,
                reason,
                reason_en,
            } => decide(
                &platform,
                &id,
                ReviewAction::RequestEvidence {
                    zh: reason,
                    en: reason_en,
                },
            ),
        },
        Command::Recipient => {
            println!("{}", platform.recipient());
            Ok(())
        }
        Command::Fingerprint => {
            println!("{}", platform.signing_identity().fingerprint());
            Ok(())
        }
        Command::NewSigningIdentity | Command::RotateIdentity => Ok(()),
        Command::Import { bundle } => import(&platform, &bundle),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(&e);
            ExitCode::FAILURE
        }
    }
}

fn decide(platform: &Platform, id: &str, action: ReviewAction) -> Result<(), ApiError> {
    platform
        .review(id, &action)
        .map(|state| println!("{id}\t{state}"))
}

fn print_review_list(list: &[platform::submissions::SubmissionRecord], json: bool) {
    let waiting: Vec<_> = list
        .iter()
        .filter(|s| s.state == "accepted" || s.state == "needs-action")
        .collect();
    if json {
        let rows: Vec<_> = waiting
            .iter()
            .map(|s| {
                serde_json::json!({
                    "id": s.id, "kioskId": s.kiosk_id, "receipt": s.receipt,
                    "kind": s.kind, "profile": s.profile,
                    "state": s.state, "reason": s.reason, "receivedAt": s.received_at,
                    "manualReview": s.manual_review, "mobileUnverified": s.mobile_unverified,
                    "attachments": s.attachments.len(),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
    } else {
        for s in &waiting {
            let mut flags = Vec::new();
            if s.mobile_unverified {
                flags.push("mobile-unverified");
            }
            if s.manual_review {
                flags.push("manual-review");
            }
            println!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                s.id,
                s.receipt,
                if s.kind.is_empty() { "-" } else { &s.kind },
                s.state,
                s.kiosk_id,
                s.reason.as_ref().map_or("-", |r| r.code.as_str()),
                if flags.is_empty() {
                    "-".to_owned()
                } else {
                    flags.join(",")
                }
            );
        }
    }
}

fn import(platform: &Arc<Platform>, bundle: &std::path::Path) -> Result<(), ApiError> {
    let bytes = std::fs::read(bundle).map_err(|e| {
        ApiError::bad_request(
            "BUNDLE_UNREADABLE",
            format!("无法读取导入包 {}：{e}", bundle.display()),
            format!("Cannot read the bundle {}: {e}", bundle.display()),
        )
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|_| ApiError::internal())?;
    let report = runtime.block_on(platform.import_bundle(&bytes))?;
    println!(
        "imported {} new, {} already held, {} need action (kiosk {})",
        report.imported, report.duplicates, report.needs_action, report.kiosk_id
    );
    Ok(())
}

fn serve(platform: Arc<Platform>, addr: &str, tls: Option<Arc<rustls::ServerConfig>>) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("PLATFORM_START_FAILED: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("PLATFORM_BIND_FAILED: {addr}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let local = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let scheme = if tls.is_some() { "https" } else { "http" };
        log::info!("platformd listening on {scheme}://{local}: {platform:?}");
        println!("listening on {scheme}://{local}");
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        let served = match tls {
            Some(config) => platform::tls::serve_tls(platform, listener, config, shutdown).await,
            None => platform::serve(platform, listener, shutdown).await,
        };
        match served {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("PLATFORM_SERVE_FAILED: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
