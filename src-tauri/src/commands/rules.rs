//! Platform profiles, reference lists and validation, for the registration wizards.

use super::contract::ipc_commands;
use kiosk_api::validate::{
    self, ApplicationReport, Division, EthnicGroup, FieldReport, FlowForm, Profile, ProfileSummary,
};
use kiosk_api::{Problem, clock};

ipc_commands! {
    /// The platforms the kiosk serves, for the picker.
    #[ipc(ReadRules)]
    pub async fn list_profiles() -> Result<Vec<ProfileSummary>, Problem> {
        Ok(validate::list_profiles())
    }

    /// One platform's full profile: flows, fields, document types, attachment slots.
    #[ipc(ReadRules)]
    pub async fn profile(id: String) -> Result<Profile, Problem> {
        validate::profile(&id)
    }

    /// Checks one value of a kind (`resident-id`, `uscc`, `mobile`, ...) on today's date in China,
    /// under the chosen platform's rules when `profile` is given.
    #[ipc(ReadRules)]
    pub async fn validate_value(
        kind: String,
        input: String,
        profile: Option<String>,
    ) -> Result<FieldReport, Problem> {
        let today = validate::today_in_china(clock::now_ms());
        validate::validate_value_for(profile.as_deref(), &kind, &input, today)
    }

    /// Checks a whole (or partly filled) application against its profile; problems carry the
    /// field path they point at, so the wizard can show them where a field was left.
    #[ipc(ReadRules)]
    pub async fn validate_application(
        profile: String,
        application: serde_json::Value,
    ) -> Result<ApplicationReport, Problem> {
        let today = validate::today_in_china(clock::now_ms());
        validate::validate_application(&profile, &application.to_string(), today)
    }

    /// Divisions directly below `parent` (`000000` for provinces), for the address picker.
    #[ipc(ReadRules)]
    pub async fn divisions(parent: String) -> Result<Vec<Division>, Problem> {
        Ok(validate::divisions(&parent))
    }

    /// The wizard of one flow on one platform: steps, fields, choices, checks, attachment slots.
    #[ipc(ReadRules)]
    pub async fn flow_form(profile: String, kind: String) -> Result<FlowForm, Problem> {
        validate::flow_form(&profile, &kind)
    }

    /// The ethnic groups (GB/T 3304) for the ethnicity picker.
    #[ipc(ReadRules)]
    pub async fn ethnic_groups() -> Result<Vec<EthnicGroup>, Problem> {
        Ok(validate::ethnic_groups())
    }

    /// The live password meter under the chosen platform's policy (items met, strength level),
    /// for the password, account name and ID number in the wizard's application so far.
    #[ipc(ReadRules)]
    pub async fn password_check(
        profile: String,
        application: serde_json::Value,
    ) -> Result<validate::PasswordStrength, Problem> {
        validate::password_check(
            &profile,
            &validate::PasswordCheck::of_application(&application),
        )
    }
}
