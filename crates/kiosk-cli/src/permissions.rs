//! Which kiosk-api [`Action`] each kioskctl subcommand runs. kioskctl is always the
//! machine's operator ([`Caller::CliOperator`]); whether that caller may run an action is
//! decided by kiosk-api's permission table, and `docs/security.md` lists every subcommand
//! (the test below parses that table).

use kiosk_api::Problem;
use kiosk_api::caller::{Action, Caller, SessionLimits};
use kiosk_api::cli_error::CliError;

/// The action of subcommand `path` (`status`, `staff unlock`, ...), `None` when unknown.
pub fn action(path: &str) -> Option<Action> {
    Some(match path {
        "validate" | "validate-application" | "wizard" => Action::ReadRules,
        "status" => Action::ViewHealth,
        "scan" | "idcard" => Action::CaptureDocuments,
        "submit" | "pdf" | "print" | "printers" => Action::UseWizard,
        "queue" => Action::ViewQueue,
        "sync" => Action::RunQueue,
        "db" | "doctor" | "support-bundle" => Action::Maintain,
        "audit" => Action::ReadAudit,
        "purge" => Action::Purge,
        "enrol" => Action::Enrol,
        "settings" => Action::ChangeSettings,
        "report" => Action::ViewReports,
        "review" => Action::DecideReview,
        "export" => Action::Export,
        "ime" | "voice" => Action::UseInput,
        "staff setup-code" | "staff first-admin" => Action::SetUp,
        "staff login" => Action::SignIn,
        "staff add"
        | "staff list"
        | "staff reset-password"
        | "staff disable"
        | "staff enable"
        | "staff unlock" => Action::ManageStaff,
        _ => return None,
    })
}

/// The check before a subcommand runs.
pub fn admit(path: &str, now: i64) -> Result<(), Problem> {
    let Some(action) = action(path) else {
        return Err(CliError::CommandUnlisted(path.to_owned()).into());
    };
    Caller::CliOperator.require(action, &SessionLimits::default(), now)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every subcommand path clap knows (`staff` split by its own subcommands).
    fn paths() -> Vec<String> {
        let cli = crate::Cli::command();
        let mut out = Vec::new();
        for sub in cli.get_subcommands() {
            if sub.get_name() == "staff" {
                for inner in sub.get_subcommands() {
                    out.push(format!("staff {}", inner.get_name()));
                }
            } else if sub.get_name() != "help" {
                out.push(sub.get_name().to_owned());
            }
        }
        out
    }

    /// The kioskctl table of `docs/security.md`: subcommand → allowed (`yes`/`no`).
    fn documented() -> Vec<(String, String, bool)> {
        let doc = include_str!("../../../docs/security.md");
        let start = doc
            .find("<!-- kioskctl-table -->")
            .expect("docs/security.md has the kioskctl table");
        doc[start..]
            .lines()
            .skip(1)
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .skip(2)
            .map(|line| {
                let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
                (
                    cells[0].trim_matches('`').to_owned(),
                    cells[1].trim_matches('`').to_owned(),
                    cells[2] == "yes",
                )
            })
            .collect()
    }

    #[test]
    fn every_subcommand_runs_exactly_as_the_documented_table_says() {
        let doc = documented();
        let mut documented_paths: Vec<String> = doc.iter().map(|(p, _, _)| p.clone()).collect();
        let mut known = paths();
        documented_paths.sort();
        known.sort();
        assert_eq!(
            documented_paths, known,
            "docs/security.md lists every subcommand"
        );
        for (path, action_name, allowed) in doc {
            let action = action(&path).unwrap_or_else(|| panic!("{path} has no action"));
            assert_eq!(format!("{action:?}"), action_name, "{path}");
            assert_eq!(admit(&path, 0).is_ok(), allowed, "{path}");
        }
    }

    #[test]
    fn an_unlisted_subcommand_is_refused() {
        assert_eq!(
            admit("format-disk", 0).unwrap_err().code,
            "CLI_COMMAND_UNLISTED"
        );
    }
}
