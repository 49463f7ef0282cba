//! Master-data lists for the wizard's pickers (法人性质, 主管部门, industries): the platform's
//! copy once the kiosk has synced it, else the copy shipped with the kiosk. Works offline.

use kiosk_core::reference::{ListEntry, default_list, list_names, parse_list};
use kiosk_core::{Problem, UserFacing};

use crate::Kiosk;

kiosk_core::user_facing_errors! {
    /// Why a list cannot be given.
    pub enum MasterError {
        /// No such list.
        Unknown = "LIST_UNKNOWN" {
            zh: "没有这个选项列表，请返回后重试或请工作人员协助。",
            en: "There is no such list. Go back and try again, or ask the staff."
        },
        /// A value that is not in its list.
        NotListed = "LIST_VALUE_UNKNOWN" {
            zh: "所选项目不在平台的列表中，请从列表中重新选择。",
            en: "The chosen entry is not in the platform's list. Choose again from the list."
        },
    }
}

/// The store setting holding the platform's copy of list `name` (written by the sync engine).
fn setting_key(name: &str) -> String {
    format!("master.{name}.json")
}

/// List `name` (`legal-entity-natures`, `supervising-departments`, `industries`), restricted
/// to the entries of platform `profile` when given (entries without a profile belong to all).
pub fn list(kiosk: &Kiosk, name: &str, profile: Option<&str>) -> Result<Vec<ListEntry>, Problem> {
    if !list_names().any(|n| n == name) {
        return Err(MasterError::Unknown.problem().at("name"));
    }
    let synced = kiosk
        .store()
        .setting(&setting_key(name))?
        .and_then(|text| parse_list(&text))
        .filter(|l| !l.is_empty());
    let entries = synced.or_else(|| default_list(name)).unwrap_or_default();
    Ok(entries
        .into_iter()
        .filter(|e| match (profile, e.profile.as_deref()) {
            (Some(wanted), Some(of)) => wanted == of,
            _ => true,
        })
        .collect())
}

/// The name of `code` in list `name`, if listed.
pub fn name_of(kiosk: &Kiosk, name: &str, code: &str) -> Option<String> {
    list(kiosk, name, None)
        .ok()?
        .into_iter()
        .find(|e| e.code == code)
        .map(|e| e.name)
}

/// The summary's names, from the kiosk's lists.
#[derive(Debug)]
pub struct KioskNames<'a>(pub &'a Kiosk);

impl kiosk_core::wizard::Names for KioskNames<'_> {
    fn list_entry(&self, list: &str, code: &str) -> Option<String> {
        name_of(self.0, list, code)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lists_until_the_platform_sends_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        let tianjin = list(&kiosk, "supervising-departments", Some("tianjin")).unwrap();
        assert!(
            tianjin
                .iter()
                .all(|e| e.profile.as_deref() == Some("tianjin"))
        );
        assert!(tianjin.len() >= 17);
        kiosk
            .store()
            .set_setting(
                &setting_key("supervising-departments"),
                r#"[{"code":"X1","name":"某区科技局","profile":"tianjin"}]"#,
            )
            .unwrap();
        let synced = list(&kiosk, "supervising-departments", Some("tianjin")).unwrap();
        assert_eq!(synced.len(), 1);
        assert_eq!(
            name_of(&kiosk, "supervising-departments", "X1").as_deref(),
            Some("某区科技局")
        );
        assert_eq!(list(&kiosk, "nope", None).unwrap_err().code, "LIST_UNKNOWN");
    }
}
