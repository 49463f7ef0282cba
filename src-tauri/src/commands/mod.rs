//! The commands the webview may call, one module per area. Each is a one-line call into
//! `kiosk-api`; slow or blocking work runs on the blocking pool ([`blocking`]), never on the
//! webview's thread. Before any command runs, [`guarded`] builds the caller from the staff
//! session and asks kiosk-api's permission table whether the command's action may run.
//!
//! How to add a command: write it in its area's `ipc_commands!` block (an ordinary
//! `pub async fn` with a doc comment and `#[ipc(Action)]`, see `contract.rs`), then use the
//! generated wrapper (`commands.xxx`) from the screen. `cargo test` regenerates
//! `ui/src/api/commands.gen.ts`; the build regenerates the ACL manifest and
//! `src-tauri/capabilities/default.json`; commit both. Also give it a row in the IPC table of
//! `docs/security.md` (the test below runs every command as every caller against it). A new
//! area module is added to [`areas!`] below.

mod blocking;
mod contract;
#[cfg(test)]
mod scan;
mod session;

pub(crate) use blocking::blocking;

/// The area modules: each declares its commands with `ipc_commands!`. From this list come the
/// app's invoke handler, the command → action map and (in tests) the whole contract.
macro_rules! areas {
    ($($(#[$meta:meta])* $vis:vis mod $area:ident;)*) => {
        $($(#[$meta])* $vis mod $area;)*

        /// The names of every command, area by area.
        #[cfg(test)]
        pub(crate) fn names() -> Vec<&'static str> {
            [$($area::NAMES),*].concat()
        }

        /// The kiosk-api action of IPC command `name`, `None` for a name the app does not have.
        /// Who may run an action is decided by kiosk-api's permission table
        /// (`kiosk_api::caller::PERMISSIONS`), never here.
        pub fn action(name: &str) -> Option<kiosk_api::caller::Action> {
            None$(.or_else(|| $area::action(name)))*
        }

        /// Every command as declared, for the TypeScript generator.
        #[cfg(test)]
        pub(crate) fn contract() -> Vec<contract::CommandSpec> {
            [$($area::contract()),*].concat()
        }

        /// The invoke handler with every command of the app.
        pub fn handler<R: tauri::Runtime>(
        ) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            let areas: Vec<(&'static [&'static str], AreaHandler<R>)> =
                vec![$(($area::NAMES, Box::new($area::handler::<R>()))),*];
            guarded(move |invoke: tauri::ipc::Invoke<R>| {
                let command = invoke.message.command();
                match areas.iter().find(|(names, _)| names.contains(&command)) {
                    Some((_, handler)) => handler(invoke),
                    None => false,
                }
            })
        }
    };
}

/// One area's invoke handler.
type AreaHandler<R> = Box<dyn Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static>;

areas! {
    mod capture;
    mod documents;
    mod id_reader;
    mod ime;
    mod limits;
    mod lockdown;
    mod online;
    mod queue;
    mod review;
    mod rules;
    mod settings;
    mod staff;
    mod status;
    mod submit;
    pub mod sync;
    mod system;
    mod update;
    mod voice;
    mod wizard;
}

/// Wraps an invoke handler so that every call passes the permission check first: a refused
/// call is answered with the problem (`STAFF_NOT_ALLOWED`, `SESSION_EXPIRED`,
/// `REAUTH_REQUIRED`) and never reaches its command, not even its argument parsing.
pub fn guarded<R: tauri::Runtime>(
    inner: impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static,
) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    move |invoke: tauri::ipc::Invoke<R>| {
        let app = tauri::Manager::app_handle(invoke.message.webview_ref()).clone();
        match session::admit(&app, invoke.message.command()) {
            Ok(()) => inner(invoke),
            Err(problem) => {
                invoke.resolver.reject(problem);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! The ACL, checked through Tauri's mock runtime with the app's real context.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
    use tauri::webview::InvokeRequest;

    use crate::KioskState;

    /// Registered with the handler but absent from the ACL manifest: must be refused.
    #[tauri::command]
    fn not_in_manifest() -> &'static str {
        "leaked"
    }

    fn app(data_dir: &std::path::Path) -> tauri::App<MockRuntime> {
        mock_builder()
            .manage(KioskState::open(Some(data_dir.to_path_buf())))
            .invoke_handler(tauri::generate_handler![
                super::system::health,
                not_in_manifest
            ])
            .build(tauri::generate_context!("tauri.conf.json"))
            .expect("mock app builds with the real context")
    }

    fn full_app(data_dir: &std::path::Path) -> tauri::App<MockRuntime> {
        mock_builder()
            .manage(KioskState::open(Some(data_dir.to_path_buf())))
            .invoke_handler(super::handler())
            .build(tauri::generate_context!("tauri.conf.json"))
            .expect("mock app builds with the real context")
    }

    fn invoke(
        app: &tauri::App<MockRuntime>,
        cmd: &str,
    ) -> Result<serde_json::Value, serde_json::Value> {
        invoke_with(app, cmd, serde_json::json!({}))
    }

    fn invoke_with(
        app: &tauri::App<MockRuntime>,
        cmd: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        let webview = match tauri::Manager::get_webview_window(app, "main") {
            Some(window) => window,
            None => tauri::WebviewWindowBuilder::new(app, "main", Default::default())
                .build()
                .expect("main window"),
        };
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&webview, request).map(|body| body.deserialize().expect("json body"))
    }

    /// The IPC table of `docs/security.md`: command → allowed for visitor, operator,
    /// supervisor, admin.
    fn documented_ipc_table() -> Vec<(String, [bool; 4])> {
        let doc = include_str!("../../../docs/security.md");
        let start = doc.find("<!-- ipc-table -->").expect("the IPC table");
        doc[start..]
            .lines()
            .skip(1)
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .skip(2)
            .map(|line| {
                let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
                let yes = |i: usize| cells[i] == "yes";
                (
                    cells[0].trim_matches('`').to_owned(),
                    [yes(2), yes(3), yes(4), yes(5)],
                )
            })
            .collect()
    }

    fn sign_in_as(app: &tauri::App<MockRuntime>, role: Option<kiosk_api::Role>) {
        let state = super::session::signed_in(app.handle()).unwrap();
        match role {
            None => state.sign_out().unwrap(),
            Some(role) => {
                let shown = kiosk_api::staff::StaffSession {
                    username: "tester".into(),
                    display_name: "测试".into(),
                    role: role.as_str().into(),
                    expires_at: None,
                    reauth_until: None,
                };
                let caller = shown.caller(kiosk_api::clock::now_ms());
                state.sign_in(shown, caller).unwrap();
            }
        }
    }

    /// Every command as every caller, through the real IPC (capabilities included), against
    /// the table in docs/security.md. Commands whose success would end the test run (leaving
    /// the kiosk, installing an update, signing out) are checked at the permission gate only.
    #[test]
    fn every_command_as_every_caller_matches_docs_security_md() {
        use kiosk_api::Role;
        let table = documented_ipc_table();
        let mut documented: Vec<&str> = table.iter().map(|(c, _)| c.as_str()).collect();
        let mut listed = super::names();
        documented.sort_unstable();
        listed.sort_unstable();
        assert_eq!(
            documented, listed,
            "docs/security.md lists every IPC command"
        );
        let dir = tempfile::tempdir().unwrap();
        let app = full_app(dir.path());
        let gate_only = [
            "kiosk_exit",
            "update_install",
            "staff_logout",
            "update_check",
        ];
        let refusals = ["STAFF_NOT_ALLOWED", "SESSION_EXPIRED", "REAUTH_REQUIRED"];
        let callers = [
            None,
            Some(Role::Operator),
            Some(Role::Supervisor),
            Some(Role::Admin),
        ];
        for (command, allowed) in &table {
            for (column, role) in callers.iter().enumerate() {
                sign_in_as(&app, *role);
                let refused = if gate_only.contains(&command.as_str()) {
                    super::session::admit(app.handle(), command)
                        .err()
                        .map(|p| p.code)
                } else {
                    invoke(&app, command)
                        .err()
                        .and_then(|e| e["code"].as_str().map(str::to_owned))
                        .filter(|code| refusals.contains(&code.as_str()))
                };
                assert_eq!(
                    refused.is_none(),
                    allowed[column],
                    "{command} as {role:?}: {refused:?}"
                );
            }
        }
    }

    #[test]
    fn an_idle_staff_session_ends_over_ipc() {
        let dir = tempfile::tempdir().unwrap();
        let app = full_app(dir.path());
        let state = super::session::signed_in(app.handle()).unwrap();
        let shown = kiosk_api::staff::StaffSession {
            username: "clerk".into(),
            display_name: "王工".into(),
            role: "operator".into(),
            expires_at: None,
            reauth_until: None,
        };
        // Signed in eleven minutes ago and idle since: the clock has moved past the limit.
        let caller = shown.caller(kiosk_api::clock::now_ms() - 11 * 60_000);
        state.sign_in(shown, caller).unwrap();
        let ended = invoke_with(&app, "queue_list", serde_json::json!({ "limit": 5 }))
            .expect_err("an idle session ends");
        assert_eq!(ended["code"], "SESSION_EXPIRED", "{ended}");
        assert_eq!(
            invoke(&app, "staff_current").unwrap(),
            serde_json::Value::Null
        );
        invoke(&app, "list_profiles").expect("visitor actions still run");
    }

    #[test]
    fn listed_command_answers_with_the_health_report() {
        let dir = tempfile::tempdir().unwrap();
        let report = invoke(&app(dir.path()), "health").expect("health is allowed");
        assert_eq!(
            report["databaseReachable"],
            serde_json::json!(true),
            "{report}"
        );
        assert_eq!(
            report["dataDir"],
            serde_json::json!(dir.path().display().to_string())
        );
    }

    #[test]
    fn command_missing_from_the_acl_manifest_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let refused = invoke(&app(dir.path()), "not_in_manifest");
        let error = refused.expect_err("a command outside the ACL must be refused");
        assert!(error.to_string().contains("not allowed"), "{error}");
    }

    #[test]
    fn every_command_of_the_handler_is_in_the_acl() {
        let dir = tempfile::tempdir().unwrap();
        let app = full_app(dir.path());
        for name in super::names() {
            // Missing arguments are fine here: only an ACL refusal fails the test.
            if let Err(error) = invoke(&app, name) {
                let error = error.to_string();
                assert!(!error.contains("not allowed"), "{name}: {error}");
                assert!(!error.contains("not found"), "{name} is not in the handler");
            }
        }
    }

    #[test]
    fn the_capability_allows_exactly_the_listed_commands() {
        let file: serde_json::Value =
            serde_json::from_str(include_str!("../../capabilities/default.json")).unwrap();
        let mut allowed: Vec<String> = file["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect();
        // Besides its own commands, the UI only listens to the events the app emits.
        let events = ["core:event:allow-listen", "core:event:allow-unlisten"];
        let mut expected: Vec<String> = super::names()
            .iter()
            .map(|name| format!("allow-{}", name.replace('_', "-")))
            .chain(events.iter().map(|p| (*p).to_owned()))
            .collect();
        allowed.sort();
        expected.sort();
        assert_eq!(allowed, expected);
    }

    /// `build.rs` reads the command names from the source text (it cannot run this crate):
    /// what it reads is what compiles, in the same order, and the capability it writes is the
    /// one the app was built with.
    #[test]
    fn build_rs_reads_the_declared_commands() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src/commands");
        let scanned = super::scan::declared_commands(&dir).unwrap();
        let compiled: Vec<String> = super::names().iter().map(|n| (*n).to_owned()).collect();
        assert_eq!(scanned, compiled);
        assert_eq!(
            super::scan::capability_json(&scanned),
            include_str!("../../capabilities/default.json")
        );
        let mut unique = compiled.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), compiled.len(), "every name once");
    }

    /// Tauri runs a synchronous command on the main (webview) thread, so `ipc_commands!` only
    /// takes `async fn`; the draft save and load (once synchronous) now hand their store work
    /// to the blocking pool (`blocking`, tested in `blocking.rs`). Through the real IPC the
    /// draft saves and loads back.
    #[test]
    fn draft_save_and_load_run_on_the_blocking_pool_over_ipc() {
        let dir = tempfile::tempdir().unwrap();
        let app = full_app(dir.path());
        let saved = invoke_with(
            &app,
            "draft_save",
            serde_json::json!({ "draft": { "profile": "tianjin", "kind": "natural-person",
                "application": { "kind": "natural-person" } } }),
        )
        .expect("saved");
        let id = saved.as_str().unwrap();
        sign_in_as(&app, Some(kiosk_api::Role::Operator));
        let loaded = invoke_with(&app, "draft_load", serde_json::json!({ "id": id })).unwrap();
        assert_eq!(loaded["profile"], "tianjin", "{loaded}");
    }

    #[test]
    fn visitor_submission_is_queued_and_listed_with_its_counts() {
        let dir = tempfile::tempdir().unwrap();
        let app = full_app(dir.path());
        let application: serde_json::Value = serde_json::from_str(include_str!(
            "../../../tests/fixtures/applications/tianjin-natural-person.json"
        ))
        .unwrap();
        let receipt = invoke_with(
            &app,
            "submit_application",
            serde_json::json!({ "profile": "tianjin", "application": application }),
        )
        .expect("a well-formed application is queued");
        sign_in_as(&app, Some(kiosk_api::Role::Operator));
        let list = invoke_with(&app, "queue_list", serde_json::json!({ "limit": 10 })).unwrap();
        assert_eq!(list[0]["id"], receipt["id"], "{list}");
        assert_eq!(list[0]["state"], "submitted", "{list}");
        let stats = invoke(&app, "queue_stats").unwrap();
        assert_eq!(stats["byState"]["submitted"], 1, "{stats}");
        let unknown = invoke_with(
            &app,
            "queue_list",
            serde_json::json!({ "limit": 10, "filter": "lost" }),
        )
        .expect_err("an unknown state filter is refused");
        assert_eq!(unknown["code"], "QUEUE_STATE_UNKNOWN", "{unknown}");
    }

    #[test]
    fn wrong_password_is_refused_and_nobody_is_signed_in() {
        let dir = tempfile::tempdir().unwrap();
        let app = full_app(dir.path());
        let refused = invoke_with(
            &app,
            "staff_login",
            serde_json::json!({ "username": "nobody", "password": "wrong password" }),
        )
        .expect_err("an unknown account cannot sign in");
        assert!(refused["code"].is_string(), "{refused}");
        assert_eq!(
            invoke(&app, "staff_current").unwrap(),
            serde_json::Value::Null
        );
        let refused = invoke_with(&app, "set_retention_days", serde_json::json!({ "days": 3 }))
            .expect_err("a visitor cannot change settings");
        assert_eq!(refused["code"], "STAFF_NOT_ALLOWED", "{refused}");
        assert_eq!(invoke(&app, "retention_days").unwrap(), 7);
    }

    #[test]
    fn visitors_read_settings_and_mode_rules_but_cannot_change_them() {
        let dir = tempfile::tempdir().unwrap();
        let app = full_app(dir.path());
        let mut settings = invoke(&app, "settings_get").unwrap();
        assert_eq!(settings["idleTimeoutS"], 120, "{settings}");
        let rules = invoke(&app, "mode_rules").unwrap();
        assert_eq!(rules["effective"], "counter", "{rules}");
        settings["mode"] = serde_json::json!("self-service");
        let refused = invoke_with(
            &app,
            "settings_set",
            serde_json::json!({ "settings": settings }),
        )
        .expect_err("nobody signed in: settings cannot change");
        assert_eq!(refused["code"], "STAFF_NOT_ALLOWED", "{refused}");
        let refused = invoke_with(&app, "queue_retry", serde_json::json!({ "id": "x" }))
            .expect_err("a visitor cannot retry uploads");
        assert_eq!(refused["code"], "STAFF_NOT_ALLOWED", "{refused}");
        let refused = invoke(&app, "export_destinations")
            .expect_err("a visitor cannot see where exports would go");
        assert_eq!(refused["code"], "STAFF_NOT_ALLOWED", "{refused}");
    }

    #[test]
    fn wizard_reads_profiles_and_gets_field_problems_from_rust() {
        let dir = tempfile::tempdir().unwrap();
        let app = full_app(dir.path());
        let profiles = invoke(&app, "list_profiles").unwrap();
        let ids: Vec<_> = profiles
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].clone())
            .collect();
        assert!(ids.contains(&serde_json::json!("tianjin")), "{profiles}");
        let tianjin = invoke_with(&app, "profile", serde_json::json!({ "id": "tianjin" })).unwrap();
        assert!(
            tianjin["flows"].as_array().is_some_and(|f| !f.is_empty()),
            "{tianjin}"
        );
        let report = invoke_with(
            &app,
            "validate_value",
            serde_json::json!({ "kind": "resident-id", "input": "110105194912310021" }),
        )
        .unwrap();
        assert_eq!(
            report["valid"], false,
            "a wrong check character is refused: {report}"
        );
        let mut application: serde_json::Value = serde_json::from_str(include_str!(
            "../../../tests/fixtures/applications/tianjin-natural-person.json"
        ))
        .unwrap();
        application["person"]["document"]["number"] = serde_json::json!("120116199001082841");
        let report = invoke_with(
            &app,
            "validate_application",
            serde_json::json!({ "profile": "tianjin", "application": application }),
        )
        .unwrap();
        let fields: Vec<_> = report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].clone())
            .collect();
        assert!(
            fields.contains(&serde_json::json!("person.document.number")),
            "the problem points at the field: {report}"
        );
        let provinces =
            invoke_with(&app, "divisions", serde_json::json!({ "parent": "000000" })).unwrap();
        assert!(
            provinces.as_array().is_some_and(|p| p.len() >= 31),
            "{provinces}"
        );
    }
    #[test]
    fn receipt_is_written_to_the_print_folder_and_the_day_report_counts_it() {
        let dir = tempfile::tempdir().unwrap();
        let app = full_app(dir.path());
        let application: serde_json::Value = serde_json::from_str(include_str!(
            "../../../tests/fixtures/applications/tianjin-natural-person.json"
        ))
        .unwrap();
        let receipt = invoke_with(
            &app,
            "submit_application",
            serde_json::json!({ "profile": "tianjin", "application": application }),
        )
        .expect("queued");
        let written = invoke_with(
            &app,
            "receipt_pdf",
            serde_json::json!({ "applicationId": receipt["id"], "paper": "80mm" }),
        )
        .expect("receipt rendered");
        let path = written["path"].as_str().unwrap();
        assert!(
            path.starts_with(&dir.path().join("print").display().to_string()),
            "{written}"
        );
        assert!(std::path::Path::new(path).is_file(), "{written}");
        let bad = invoke_with(
            &app,
            "receipt_pdf",
            serde_json::json!({ "applicationId": receipt["id"], "paper": "A3" }),
        )
        .expect_err("unknown paper");
        assert_eq!(bad["code"], "PAPER_UNKNOWN", "{bad}");
        let outside = invoke_with(
            &app,
            "print_document",
            serde_json::json!({ "path": "/etc/passwd", "printer": null }),
        )
        .expect_err("only the print folder is printable");
        assert_eq!(outside["code"], "PRINT_FILE_MISSING", "{outside}");
        sign_in_as(&app, Some(kiosk_api::Role::Operator));
        let report = invoke_with(&app, "day_report", serde_json::json!({ "date": null })).unwrap();
        assert_eq!(report["total"], 1, "{report}");
        let missing = invoke_with(
            &app,
            "risk_letter_pdf",
            serde_json::json!({ "draftId": "not-a-uuid" }),
        )
        .expect_err("unknown draft");
        assert_eq!(missing["code"], "APPLICATION_ID_INVALID", "{missing}");
    }

    #[test]
    fn the_keyboards_chinese_input_answers_from_the_real_engines() {
        let dir = tempfile::tempdir().unwrap();
        let app = full_app(dir.path());
        let page = invoke_with(
            &app,
            "ime_pinyin",
            serde_json::json!({ "input": "lisi", "page": 0, "pageSize": 5 }),
        )
        .expect("pinyin page");
        let texts: Vec<_> = page["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["text"].as_str().unwrap().to_owned())
            .collect();
        assert!(texts.contains(&"李四".to_owned()), "{page}");
        let lisi = page["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["text"] == "李四")
            .unwrap()
            .clone();
        let chosen = invoke_with(
            &app,
            "ime_choose",
            serde_json::json!({ "input": "lisi", "candidate": lisi }),
        )
        .expect("chosen");
        assert_eq!(chosen, serde_json::json!({ "text": "李四", "rest": "" }));
        let first = |app: &tauri::App<MockRuntime>| {
            invoke_with(
                app,
                "ime_pinyin",
                serde_json::json!({ "input": "lisi", "page": 0 }),
            )
            .unwrap()["candidates"][0]["text"]
                .clone()
        };
        assert_eq!(first(&app), "李四", "the choice ranks first");
        invoke(&app, "ime_forget").expect("forget");
        assert_ne!(first(&app), "李四", "forgotten with the session");
        let fixture: serde_json::Value = serde_json::from_str(include_str!(
            "../../../crates/kiosk-ime/tests/fixtures/strokes/hand-u6728.json"
        ))
        .unwrap();
        let read = invoke_with(&app, "ime_handwriting", fixture["ink"].clone()).expect("read");
        let texts: Vec<_> = read
            .as_array()
            .unwrap()
            .iter()
            .take(5)
            .map(|r| r["text"].clone())
            .collect();
        assert!(texts.contains(&serde_json::json!("木")), "{read}");
        let refused = invoke_with(
            &app,
            "ime_pinyin",
            serde_json::json!({ "input": "张三", "page": 0 }),
        )
        .expect_err("not pinyin");
        assert_eq!(refused["code"], "IME_INPUT_INVALID", "{refused}");
    }
}
