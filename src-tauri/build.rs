//! Build script of the Tauri shell: generates the context, the app's own ACL manifest and
//! `capabilities/default.json`, both from the commands declared in `src/commands/` (see
//! `src/commands/contract.rs`).

include!("src/commands/scan.rs");

const COMMANDS_DIR: &str = "src-tauri/src/commands";
const CAPABILITY: &str = "src-tauri/capabilities/default.json";

fn main() {
    println!("cargo:rerun-if-changed={COMMANDS_DIR}");
    let commands = match declared_commands(std::path::Path::new(COMMANDS_DIR)) {
        Ok(commands) => commands,
        Err(error) => {
            eprintln!("cannot read the commands in {COMMANDS_DIR}: {error}");
            std::process::exit(1);
        }
    };
    // Written only when it changes: tauri-build watches the capabilities.
    let capability = capability_json(&commands);
    if std::fs::read_to_string(CAPABILITY).ok().as_deref() != Some(capability.as_str())
        && let Err(error) = std::fs::write(CAPABILITY, capability)
    {
        eprintln!("cannot write {CAPABILITY}: {error}");
        std::process::exit(1);
    }
    let names: Vec<&'static str> = commands
        .into_iter()
        .map(|name| &*Box::leak(name.into_boxed_str()))
        .collect();
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(
            tauri_build::AppManifest::new().commands(Box::leak(names.into_boxed_slice())),
        );
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
