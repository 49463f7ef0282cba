//! `kioskctl` for development and the tests: the same command line the installed package
//! reaches through its `/usr/bin/kioskctl` symlink to the app binary.

fn main() -> std::process::ExitCode {
    kiosk_cli::main_from(std::env::args_os())
}
