//! Every shared fixture in `tests/fixtures/applications/` is a valid application of its
//! profile, and every flow of every built-in profile has one.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use kiosk_core::{Application, Date, Profile, validate_application};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/applications")
}

fn today() -> Date {
    Date::new(2026, 11, 23).unwrap()
}

fn load_all() -> Vec<(String, Application)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures directory") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let app = Application::from_json(&text).unwrap_or_else(|p| panic!("{name}: {p}"));
            out.push((name, app));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn fixtures_validate_clean() {
    let all = load_all();
    assert!(all.len() >= 16, "only {} fixtures", all.len());
    for (name, app) in &all {
        assert_eq!(
            *name,
            format!("{}-{}", app.profile, app.kind().as_str()),
            "file name must be <profile>-<kind>"
        );
        let profile = Profile::by_id(&app.profile).unwrap();
        let report = validate_application(profile, app, today());
        assert!(report.valid, "{name} has errors: {:#?}", report.errors);
        assert!(
            report.warnings.is_empty(),
            "{name} has warnings: {:#?}",
            report.warnings
        );
    }
}

#[test]
fn every_flow_of_every_profile_has_a_fixture() {
    let names: Vec<String> = load_all().into_iter().map(|(n, _)| n).collect();
    for profile in Profile::builtin() {
        for flow in &profile.flows {
            let expected = format!("{}-{}", profile.id, flow.kind.as_str());
            assert!(names.contains(&expected), "missing fixture {expected}");
        }
    }
}

#[test]
fn fixtures_round_trip_through_json() {
    for (name, app) in load_all() {
        let text = serde_json::to_string(&app).unwrap();
        let back = Application::from_json(&text).unwrap();
        assert_eq!(back, app, "{name} changed in a JSON round trip");
    }
}

#[test]
fn masked_summaries_reveal_no_full_names_or_numbers() {
    for (name, app) in load_all() {
        let summary = app.masked_summary();
        let json = serde_json::to_string(&summary).unwrap();
        if let Some(person) = app.form.applicant() {
            assert!(!json.contains(&person.document.number), "{name}: {json}");
            assert!(!json.contains(&person.name), "{name}: {json}");
        }
        assert!(
            !json.contains("Kiosk#2026a"),
            "{name} leaks the password: {json}"
        );
    }
}

/// The fixture `name` as JSON, changed by `edit`, validated against its profile.
fn codes_after(name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(fixtures_dir().join(format!("{name}.json"))).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    edit(&mut json);
    let app = Application::from_json(&json.to_string()).unwrap();
    let profile = Profile::by_id(&app.profile).unwrap();
    validate_application(profile, &app, today())
        .errors
        .into_iter()
        .map(|p| (p.code, p.field.unwrap_or_default()))
        .collect()
}

#[test]
fn a_missing_sms_code_is_accepted_only_when_the_mobile_is_verified_later() {
    let missing = codes_after("tianjin-natural-person", |j| {
        j["account"].as_object_mut().unwrap().remove("smsCode");
    });
    assert_eq!(
        missing,
        [("FIELD_REQUIRED".to_owned(), "account.smsCode".to_owned())],
        "without the explicit deferral the code is required"
    );
    let deferred = codes_after("tianjin-natural-person", |j| {
        j["account"].as_object_mut().unwrap().remove("smsCode");
        j["account"]["smsDeferred"] = serde_json::json!(true);
    });
    assert!(deferred.is_empty(), "verify later: {deferred:?}");
    let not_deferred = codes_after("tianjin-natural-person", |j| {
        j["account"].as_object_mut().unwrap().remove("smsCode");
        j["account"]["smsDeferred"] = serde_json::json!(false);
    });
    assert_eq!(not_deferred.len(), 1, "false is no deferral");
    let legacy = codes_after("zhengzhou-legacy-binding", |j| {
        j.as_object_mut().unwrap().remove("smsCode");
        j["smsDeferred"] = serde_json::json!(true);
    });
    assert!(
        legacy.is_empty(),
        "a binding's code may be deferred too: {legacy:?}"
    );
}

#[test]
fn a_deferred_application_round_trips_with_its_flag() {
    let text = std::fs::read_to_string(fixtures_dir().join("most-natural-person.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["account"]["smsDeferred"] = serde_json::json!(true);
    let app = Application::from_json(&json.to_string()).unwrap();
    let back = serde_json::to_value(&app).unwrap();
    assert_eq!(back["account"]["smsDeferred"], serde_json::json!(true));
    let plain = serde_json::to_value(Application::from_json(&text).unwrap()).unwrap();
    assert!(
        plain["account"].get("smsDeferred").is_none(),
        "not written when false, so older payloads stay the same"
    );
}

#[test]
fn a_shandong_passport_holder_goes_to_manual_review_with_the_change_form_and_copies() {
    let passport = |j: &mut serde_json::Value| {
        j["person"]["document"] = serde_json::json!({
            "docType": "passport", "country": "USA", "number": "561234789"
        });
    };
    let online = codes_after("shandong-real-name", passport);
    assert_eq!(
        online,
        [(
            "REAL_NAME_DOCUMENT_TYPE".to_owned(),
            "person.document.docType".to_owned()
        )],
        "a passport cannot be verified online"
    );
    let file = |slot: &str| {
        serde_json::json!({
            "slot": slot, "fileName": format!("{slot}.pdf"), "mediaType": "application/pdf",
            "sizeBytes": 2048, "sha256": "ab".repeat(32)
        })
    };
    let manual = |j: &mut serde_json::Value| {
        passport(j);
        j["realNameCheck"] =
            serde_json::json!({ "outcome": "manual-review", "reason": "document-type", "at": 1 });
    };
    let no_files = codes_after("shandong-real-name", manual);
    let missing: Vec<&str> = no_files.iter().map(|(_, f)| f.as_str()).collect();
    assert_eq!(
        missing,
        ["attachments[change-form]", "attachments[identity-copies]"],
        "{no_files:?}"
    );
    let handed_in = codes_after("shandong-real-name", |j| {
        manual(j);
        j["attachments"] = serde_json::json!([file("change-form"), file("identity-copies")]);
    });
    assert!(handed_in.is_empty(), "{handed_in:?}");
}
