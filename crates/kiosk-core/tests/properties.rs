//! Property tests: generated valid numbers pass, every single-character change fails, and
//! no input of any kind makes a validator panic.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use kiosk_core::field::{FieldKind, check_field};
use kiosk_core::rules::{resident_id, uscc};
use kiosk_core::{Application, Date, Profile, validate_application};
use proptest::prelude::*;

fn today() -> Date {
    Date::new(2026, 11, 23).unwrap()
}

const AREAS: [&str; 6] = ["110105", "120101", "370102", "410105", "650102", "810000"];

/// A valid 18-digit resident ID from an area, a real past birth date and a sequence.
fn resident_id_strategy() -> impl Strategy<Value = String> {
    (0usize..5, 1900u16..=2025, 1u8..=12, 1u8..=28, 0u16..1000).prop_map(|(a, y, m, d, seq)| {
        let first17 = format!("{}{y:04}{m:02}{d:02}{seq:03}", AREAS[a]);
        let check = resident_id::check_char(first17.as_bytes()).unwrap();
        format!("{first17}{check}")
    })
}

/// A valid USCC with a known category, from random organisation-code characters.
fn uscc_strategy() -> impl Strategy<Value = String> {
    let alphabet: Vec<u8> = uscc::ALPHABET.to_vec();
    (
        prop::sample::select(vec!["11", "12", "51", "52", "91", "92", "93", "Y1"]),
        0usize..5,
        prop::collection::vec(prop::sample::select(alphabet), 9),
    )
        .prop_map(|(cat, a, org)| {
            let first17 = format!("{cat}{}{}", AREAS[a], String::from_utf8(org).unwrap());
            let check = uscc::check_char(first17.as_bytes()).unwrap();
            format!("{first17}{check}")
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn generated_resident_ids_pass(id in resident_id_strategy()) {
        let report = check_field(FieldKind::ResidentId, &id, today());
        prop_assert!(report.valid, "{id}: {:?}", report.errors);
        prop_assert_eq!(report.normalized.as_deref(), Some(id.as_str()));
    }

    #[test]
    fn every_single_character_change_of_a_resident_id_fails(
        id in resident_id_strategy(),
        pos in 0usize..18,
        replacement in prop::sample::select(b"0123456789X".to_vec()),
    ) {
        let mut bytes = id.clone().into_bytes();
        prop_assume!(bytes[pos] != replacement);
        bytes[pos] = replacement;
        let changed = String::from_utf8(bytes).unwrap();
        let report = check_field(FieldKind::ResidentId, &changed, today());
        prop_assert!(!report.valid, "{id} changed at {pos} to {changed} still passes");
    }

    #[test]
    fn generated_usccs_pass(code in uscc_strategy()) {
        let report = check_field(FieldKind::Uscc, &code, today());
        prop_assert!(report.valid, "{code}: {:?}", report.errors);
    }

    #[test]
    fn every_single_character_change_of_a_uscc_fails(
        code in uscc_strategy(),
        pos in 0usize..18,
        replacement in prop::sample::select(uscc::ALPHABET.to_vec()),
    ) {
        let mut bytes = code.clone().into_bytes();
        prop_assume!(bytes[pos] != replacement);
        bytes[pos] = replacement;
        let changed = String::from_utf8(bytes).unwrap();
        let report = check_field(FieldKind::Uscc, &changed, today());
        prop_assert!(!report.valid, "{code} changed at {pos} to {changed} still passes");
    }

    #[test]
    fn no_field_validator_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        for kind in FieldKind::ALL {
            let report = check_field(kind, &text, today());
            prop_assert_eq!(report.valid, report.errors.is_empty());
        }
    }

    #[test]
    fn no_field_validator_panics_on_arbitrary_unicode(text in "\\PC{0,40}|[0-9Xx ]{0,20}|[\\u{FF10}-\\u{FF5A}]{18}") {
        for kind in FieldKind::ALL {
            let _ = check_field(kind, &text, today());
        }
    }

    #[test]
    fn application_parsing_and_validation_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(app) = Application::from_json(&text) {
            for profile in Profile::builtin() {
                let _ = validate_application(profile, &app, today());
            }
        }
    }

    #[test]
    fn mutated_fixture_values_never_panic(
        field in prop::sample::select(vec!["uscc", "number", "name", "mobile", "divisionCode", "holder", "password"]),
        value in "\\PC{0,300}",
    ) {
        let text = include_str!("../../../tests/fixtures/applications/tianjin-legal-entity.json");
        let mut json: serde_json::Value = serde_json::from_str(text).unwrap();
        replace_key(&mut json, field, &value);
        if let Ok(app) = serde_json::from_value::<Application>(json) {
            let report = validate_application(Profile::by_id("tianjin").unwrap(), &app, today());
            prop_assert!(report.errors.iter().all(|p| p.field.is_some()), "problem without field");
        }
    }
}

fn replace_key(json: &mut serde_json::Value, key: &str, value: &str) {
    match json {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == key && v.is_string() {
                    *v = serde_json::Value::String(value.to_owned());
                } else {
                    replace_key(v, key, value);
                }
            }
        }
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|v| replace_key(v, key, value))
        }
        _ => {}
    }
}

#[test]
fn a_ten_kilobyte_string_is_refused_not_parsed() {
    let long = "1".repeat(10 * 1024);
    for kind in FieldKind::ALL {
        let report = check_field(kind, &long, today());
        assert!(!report.valid, "{} accepted 10 KB", kind.as_str());
    }
}
