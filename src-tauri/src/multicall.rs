//! One program, two front doors: the kiosk app, and the command line `kioskctl` when the
//! binary is called by that name (the package's `/usr/bin/kioskctl` symlink) or as
//! `tongban ctl …`. The package ships the code once instead of linking it into two programs.

use std::ffi::OsString;
use std::path::Path;

/// The program name under which the app binary runs the command line.
pub const CLI_NAME: &str = "kioskctl";

/// The first argument that makes `tongban` run the command line: `tongban ctl status`.
pub const CLI_SUBCOMMAND: &str = "ctl";

/// Which front door a command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum FrontDoor {
    /// The kiosk app (its own arguments are parsed by `args`).
    App,
    /// `kioskctl` with these arguments, its program name first.
    Cli(Vec<OsString>),
}

/// Chooses the front door for `args` (the program name first, as `std::env::args_os()`).
pub fn choose(args: Vec<OsString>) -> FrontDoor {
    let called_as_cli = args
        .first()
        .and_then(|program| Path::new(program).file_name())
        .is_some_and(|name| name == CLI_NAME);
    if called_as_cli {
        return FrontDoor::Cli(args);
    }
    if args.get(1).is_some_and(|first| first == CLI_SUBCOMMAND) {
        let mut cli = vec![OsString::from(CLI_NAME)];
        cli.extend(args.into_iter().skip(2));
        return FrontDoor::Cli(cli);
    }
    FrontDoor::App
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_symlink_name_runs_the_cli_with_every_argument() {
        let called = args(&["/usr/bin/kioskctl", "status", "--json"]);
        assert_eq!(choose(called.clone()), FrontDoor::Cli(called));
    }

    #[test]
    fn tongban_ctl_runs_the_cli_named_kioskctl() {
        assert_eq!(
            choose(args(&[
                "/usr/bin/tongban",
                "ctl",
                "pdf",
                "receipt",
                "--paper",
                "80mm"
            ])),
            FrontDoor::Cli(args(&["kioskctl", "pdf", "receipt", "--paper", "80mm"]))
        );
        assert_eq!(
            choose(args(&["tongban", "ctl"])),
            FrontDoor::Cli(args(&["kioskctl"])),
            "no subcommand: kioskctl prints its usage"
        );
    }

    #[test]
    fn anything_else_is_the_app() {
        for list in [
            &["/usr/bin/tongban"][..],
            &["/usr/bin/tongban", "--check"],
            &["tongban", "--data-dir", "ctl"],
            &["/opt/kioskctl-old/tongban", "--version"],
            &["kioskctl.sh"],
            &[],
        ] {
            assert_eq!(choose(args(list)), FrontDoor::App, "{list:?}");
        }
    }
}
