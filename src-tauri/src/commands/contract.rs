//! The IPC contract, declared once per command. Each area module wraps its commands in
//! [`ipc_commands!`]: a command is an ordinary `pub async fn` with its doc comment and one
//! `#[ipc(Action)]` line naming the kiosk-api [`Action`](kiosk_api::caller::Action) it runs.
//! From that one declaration come:
//! - the Tauri command itself (`#[tauri::command]`) and the area's invoke handler,
//! - the area's command → action map (asked by `session::admit` before any command runs),
//! - the names `build.rs` turns into the ACL manifest and `src-tauri/capabilities/default.json`
//!   (it reads them from the source with `scan.rs`; a test checks it reads what compiles),
//! - the typed TypeScript wrappers in `ui/src/api/commands.gen.ts` (written by the test
//!   below in the ts-rs style: argument and return types are the ts-rs names).
//!
//! Arguments of type `AppHandle<R>`, `State<'_, T>` or `Request<'_>` (spelled so) are Tauri's
//! injected values and are not part of the TypeScript signature; every other argument is sent
//! by the UI and needs a `ts_rs::TS` type (a test fails to compile otherwise). `#[ipc(Action, ts_by_hand)]` marks
//! a command whose TypeScript wrapper is written by hand in `ui/src/api/commands.ts`.

/// Declares an area's commands (see the module doc): the functions, `NAMES`, `handler()`,
/// `action()` and, in tests, `contract()`.
macro_rules! ipc_commands {
    ($(
        $(#[doc = $doc:literal])*
        #[ipc($action:ident $(, $by_hand:ident)?)]
        pub async fn $name:ident $(<$r:ident : $bound:path>)? ( $($args:tt)* )
            -> Result<$ret:ty, $err:ty> $body:block
    )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            pub async fn $name $(<$r: $bound>)? ( $($args)* ) -> Result<$ret, $err> $body
        )*

        /// The commands of this area, as the webview names them.
        pub(super) const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// The invoke handler of this area's commands.
        pub(super) fn handler<R: tauri::Runtime>(
        ) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// The kiosk-api action command `name` runs, `None` when it is not one of this area's.
        pub(super) fn action(name: &str) -> Option<kiosk_api::caller::Action> {
            match name {
                $(stringify!($name) => Some(kiosk_api::caller::Action::$action),)*
                _ => None,
            }
        }

        /// This area's commands as the TypeScript generator sees them.
        #[cfg(test)]
        pub(super) fn contract() -> Vec<$crate::commands::contract::CommandSpec> {
            vec![$($crate::commands::contract::CommandSpec {
                name: stringify!($name),
                doc: &[$($doc),*],
                args: $crate::commands::contract::ipc_args!([] $($args)*),
                ret: $crate::commands::contract::TsType::of::<$ret>(),
                by_hand: $crate::commands::contract::ipc_by_hand!($($by_hand)?),
            }),*]
        }
    };
}
pub(crate) use ipc_commands;

/// The arguments the UI sends, in order: Tauri's injected ones (`AppHandle<R>`,
/// `State<'_, T>`, `Request<'_>`, spelled so) left out.
#[cfg(test)]
macro_rules! ipc_args {
    ([$($done:expr,)*] $(,)?) => { vec![$($done,)*] };
    ([$($done:expr,)*] $arg:ident : AppHandle<$r:ident> $(, $($rest:tt)*)?) => {
        $crate::commands::contract::ipc_args!([$($done,)*] $($($rest)*)?)
    };
    ([$($done:expr,)*] $arg:ident : State<$lt:lifetime, $t:ty> $(, $($rest:tt)*)?) => {
        $crate::commands::contract::ipc_args!([$($done,)*] $($($rest)*)?)
    };
    ([$($done:expr,)*] $arg:ident : Request<$lt:lifetime> $(, $($rest:tt)*)?) => {
        $crate::commands::contract::ipc_args!([$($done,)*] $($($rest)*)?)
    };
    ([$($done:expr,)*] $arg:ident : Option<$inner:ty> $(, $($rest:tt)*)?) => {
        $crate::commands::contract::ipc_args!([$($done,)* $crate::commands::contract::ArgSpec {
            name: stringify!($arg),
            ts: $crate::commands::contract::TsType::of::<Option<$inner>>(),
            optional: true,
        },] $($($rest)*)?)
    };
    ([$($done:expr,)*] $arg:ident : $ty:ty $(, $($rest:tt)*)?) => {
        $crate::commands::contract::ipc_args!([$($done,)* $crate::commands::contract::ArgSpec {
            name: stringify!($arg),
            ts: $crate::commands::contract::TsType::of::<$ty>(),
            optional: false,
        },] $($($rest)*)?)
    };
}
#[cfg(test)]
pub(crate) use ipc_args;

/// `true` for a command marked `ts_by_hand`; any other mark does not compile.
#[cfg(test)]
macro_rules! ipc_by_hand {
    () => {
        false
    };
    (ts_by_hand) => {
        true
    };
}
#[cfg(test)]
pub(crate) use ipc_by_hand;

#[cfg(test)]
pub(crate) use typescript::{ArgSpec, CommandSpec, TsType};

#[cfg(test)]
mod typescript {
    //! The TypeScript side of the contract: types by their ts-rs names, and the generated
    //! `ui/src/api/commands.gen.ts`.

    use std::any::TypeId;
    use std::collections::BTreeSet;
    use std::fmt::Write as _;

    use ts_rs::{Config, TS, TypeVisitor};

    /// A Rust type as TypeScript names it, with the bindings it needs imported.
    #[derive(Debug, Clone)]
    pub(crate) struct TsType {
        /// The TypeScript type, e.g. `Array<QueueItem>`.
        pub name: String,
        /// `(name, path under ui/src/bindings without .ts)` of each type to import.
        pub imports: BTreeSet<(String, String)>,
    }

    impl TsType {
        /// `T` as ts-rs names it. A JSON argument (`serde_json::Value`, the wizard's
        /// application so far) is any object the screens hold.
        pub fn of<T: TS + 'static + ?Sized>() -> Self {
            let cfg = Config::from_env();
            if TypeId::of::<T>() == TypeId::of::<serde_json::Value>() {
                return Self {
                    name: "Record<string, unknown>".into(),
                    imports: BTreeSet::new(),
                };
            }
            let mut imports = BTreeSet::new();
            Imports {
                cfg: &cfg,
                out: &mut imports,
            }
            .visit::<T>();
            Self {
                name: T::name(&cfg),
                imports,
            }
        }
    }

    /// Collects the exported types a type's name mentions.
    struct Imports<'a> {
        cfg: &'a Config,
        out: &'a mut BTreeSet<(String, String)>,
    }

    impl TypeVisitor for Imports<'_> {
        fn visit<T: TS + 'static + ?Sized>(&mut self) {
            if let Some(path) = T::output_path() {
                let path = path.to_string_lossy().trim_end_matches(".ts").to_owned();
                self.out.insert((T::ident(self.cfg), path));
            }
            T::visit_generics(self);
        }
    }

    /// One argument the UI sends.
    #[derive(Debug, Clone)]
    pub(crate) struct ArgSpec {
        /// Its Rust name (the UI sends it in camelCase).
        pub name: &'static str,
        /// Its type.
        pub ts: TsType,
        /// An `Option`: the UI may leave it out when it is last.
        pub optional: bool,
    }

    /// One command as declared.
    #[derive(Debug, Clone)]
    pub(crate) struct CommandSpec {
        /// The command's name.
        pub name: &'static str,
        /// Its doc comment, line by line.
        pub doc: &'static [&'static str],
        /// The arguments the UI sends.
        pub args: Vec<ArgSpec>,
        /// What it answers.
        pub ret: TsType,
        /// Its TypeScript wrapper is written by hand in `commands.ts`.
        pub by_hand: bool,
    }

    /// `snake_case` → `camelCase`, as Tauri maps argument names and as the UI names wrappers.
    pub(crate) fn camel(snake: &str) -> String {
        let mut out = String::new();
        let mut upper = false;
        for c in snake.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The text of `ui/src/api/commands.gen.ts` for `commands`.
    pub(crate) fn generate(commands: &[CommandSpec]) -> String {
        let imports: BTreeSet<&(String, String)> = commands
            .iter()
            .filter(|c| !c.by_hand)
            .flat_map(|c| c.args.iter().map(|a| &a.ts).chain([&c.ret]))
            .flat_map(|t| t.imports.iter())
            .collect();
        let mut out = String::from(
            "// Generated from the command declarations in src-tauri/src/commands/ by\n\
             // `cargo test -p tongban --lib` (commands::contract). Do not edit: change the Rust\n\
             // command and run the tests again. Hand-written wrappers live in commands.ts.\n\
             import { call } from './ipc'\n",
        );
        for (name, path) in imports {
            let _ = writeln!(out, "import type {{ {name} }} from '../bindings/{path}'");
        }
        let by_hand: Vec<String> = commands
            .iter()
            .filter(|c| c.by_hand)
            .map(|c| format!("'{}'", camel(c.name)))
            .collect();
        out.push_str(
            "\n/** The commands whose wrapper `commands.ts` writes by hand (it must write them all). */\n",
        );
        let _ = writeln!(
            out,
            "export type HandWrittenCommands = {}\n",
            if by_hand.is_empty() {
                "never".to_owned()
            } else {
                by_hand.join(" | ")
            }
        );
        out.push_str("/** One typed wrapper per command, named as the command in camelCase. */\n");
        out.push_str("export const generatedCommands = {\n");
        for command in commands.iter().filter(|c| !c.by_hand) {
            wrapper(&mut out, command);
        }
        out.push_str("}\n");
        out
    }

    fn wrapper(out: &mut String, command: &CommandSpec) {
        let doc: Vec<&str> = command.doc.iter().map(|l| l.trim()).collect();
        match doc.as_slice() {
            [] => {}
            [one] => {
                let _ = writeln!(out, "  /** {one} */");
            }
            lines => {
                out.push_str("  /**\n");
                for line in lines {
                    let _ = writeln!(out, "{}", format!("   * {line}").trim_end());
                }
                out.push_str("   */\n");
            }
        }
        // Options at the end may be left out; one before a required argument is passed as null.
        let required_until = command
            .args
            .iter()
            .rposition(|a| !a.optional)
            .map_or(0, |i| i + 1);
        let params: Vec<String> = command
            .args
            .iter()
            .enumerate()
            .map(|(i, arg)| {
                let mark = if i >= required_until { "?" } else { "" };
                format!("{}{mark}: {}", camel(arg.name), arg.ts.name)
            })
            .collect();
        let body = if command.args.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = command.args.iter().map(|a| camel(a.name)).collect();
            format!(", {{ {} }}", names.join(", "))
        };
        let _ = writeln!(
            out,
            "  {}: ({}) => call<{}>('{}'{body}),",
            camel(command.name),
            params.join(", "),
            command.ret.name,
            command.name,
        );
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::typescript::{camel, generate};

    fn generated_path() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/api/commands.gen.ts")
    }

    /// Writes `ui/src/api/commands.gen.ts` (ts-rs style: CI fails when the committed file is
    /// stale) and checks what it holds.
    #[test]
    fn the_typescript_wrappers_are_generated_from_the_declarations() {
        let commands = crate::commands::contract();
        let text = generate(&commands);
        let path = generated_path();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, &text).unwrap();
        }
        assert!(
            text.contains(
                "staffLogin: (username: string, password: string) => \
                 call<StaffSession>('staff_login', { username, password }),"
            ),
            "{text}"
        );
        assert!(
            text.contains("import type { StaffSession } from '../bindings/StaffSession'"),
            "{text}"
        );
        assert!(
            text.contains("queueList: (filter: string | null, limit: number) =>"),
            "an option before a required argument is passed: {text}"
        );
        assert!(
            text.contains("reEnrol?: boolean | null"),
            "a trailing option may be left out: {text}"
        );
        assert!(
            !text.contains("captureUpload:") && text.contains("'captureUpload'"),
            "hand-written wrappers are named, not generated"
        );
        for command in &commands {
            assert!(
                command.by_hand || text.contains(&format!("  {}: (", camel(command.name))),
                "{} has a wrapper",
                command.name
            );
        }
    }

    #[test]
    fn names_become_camel_case() {
        assert_eq!(camel("id_reader_watch_start"), "idReaderWatchStart");
        assert_eq!(camel("health"), "health");
    }
}
