//! Reference data shipped with the kiosk: ethnic groups (GB/T 3304) and administrative
//! divisions (GB/T 2260), parsed once from text embedded at build time.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

const ETHNIC_GROUPS_JSON: &str = include_str!("../../../assets/reference/ethnic-groups.json");
const DIVISIONS_JSON: &str = include_str!("../../../assets/reference/divisions.json");

/// One ethnic group with its GB/T 3304 two-digit code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EthnicGroup {
    /// Two-digit code, `01`-`56`, `97` (other) or `98` (foreign origin).
    pub code: String,
    /// Chinese name, e.g. `汉族`.
    pub zh: String,
    /// Roman-alphabet name from the standard, e.g. `Han`.
    pub en: String,
}

#[derive(Deserialize)]
struct EthnicFile {
    groups: Vec<EthnicGroup>,
}

#[derive(Deserialize)]
struct DivisionFile {
    divisions: BTreeMap<String, String>,
}

/// All ethnic groups in code order (empty only if the embedded asset were malformed,
/// which a unit test rules out).
pub fn ethnic_groups() -> &'static [EthnicGroup] {
    static GROUPS: OnceLock<Vec<EthnicGroup>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        serde_json::from_str::<EthnicFile>(ETHNIC_GROUPS_JSON)
            .map(|f| f.groups)
            .unwrap_or_default()
    })
}

/// The ethnic group with `code` (`1` and `01` both work), or with that Chinese name.
pub fn ethnic_group(code_or_name: &str) -> Option<&'static EthnicGroup> {
    let key = code_or_name.trim();
    let padded = if key.len() == 1 {
        format!("0{key}")
    } else {
        key.to_owned()
    };
    ethnic_groups()
        .iter()
        .find(|g| g.code == padded || g.zh == key)
}

fn divisions() -> &'static BTreeMap<String, String> {
    static DIVISIONS: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    DIVISIONS.get_or_init(|| {
        serde_json::from_str::<DivisionFile>(DIVISIONS_JSON)
            .map(|f| f.divisions)
            .unwrap_or_default()
    })
}

/// The name of a 6-digit division code, e.g. `110105` → `朝阳区`.
pub fn division_name(code: &str) -> Option<&'static str> {
    divisions().get(code).map(String::as_str)
}

/// The full name of a division with its parents, e.g. `北京市 北京市 朝阳区`.
pub fn division_path(code: &str) -> Option<String> {
    if code.len() != 6 || !code.is_ascii() {
        return None;
    }
    let own = division_name(code)?;
    let province = division_name(&format!("{}0000", &code[..2]));
    let city = division_name(&format!("{}00", &code[..4]));
    let mut parts: Vec<&str> = Vec::new();
    for part in [province, city].into_iter().flatten() {
        if parts.last() != Some(&part) {
            parts.push(part);
        }
    }
    if parts.last() != Some(&own) {
        parts.push(own);
    }
    Some(parts.join(" "))
}

/// Whether the first two digits of `code` are a province-level division.
pub fn province_known(code: &str) -> bool {
    code.get(..2).is_some_and(|p| {
        p.bytes().all(|b| b.is_ascii_digit()) && division_name(&format!("{p}0000")).is_some()
    })
}

/// The divisions directly below `parent` (`000000` lists provinces), in code order.
pub fn division_children(parent: &str) -> Vec<(&'static str, &'static str)> {
    let all = divisions().iter().map(|(c, n)| (c.as_str(), n.as_str()));
    match parent {
        "000000" => all.filter(|(c, _)| c.ends_with("0000")).collect(),
        p if p.len() == 6 && p.ends_with("0000") => all
            .filter(|(c, _)| c.starts_with(&p[..2]) && c.ends_with("00") && !c.ends_with("0000"))
            .collect(),
        p if p.len() == 6 && p.ends_with("00") => all
            .filter(|(c, _)| c.starts_with(&p[..4]) && !c.ends_with("00"))
            .collect(),
        _ => Vec::new(),
    }
}

/// Master-data lists the wizard's pickers offer, shipped so that a kiosk that never synced
/// still works; the platform's copies replace them when the kiosk syncs (`kiosk-api`).
const DEFAULT_LISTS: [(&str, &str); 3] = [
    (
        "legal-entity-natures",
        include_str!("../../../assets/reference/master/legal-entity-natures.json"),
    ),
    (
        "supervising-departments",
        include_str!("../../../assets/reference/master/supervising-departments.json"),
    ),
    (
        "industries",
        include_str!("../../../assets/reference/master/industries.json"),
    ),
];

/// One entry of a master-data list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListEntry {
    /// Stable code stored in applications.
    pub code: String,
    /// Name shown and printed.
    pub name: String,
    /// The platform profile the entry belongs to (e.g. a district bureau of Tianjin); absent
    /// when it is for every platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub profile: Option<String>,
}

/// The names of the lists pickers use.
pub fn list_names() -> impl Iterator<Item = &'static str> {
    DEFAULT_LISTS.iter().map(|(name, _)| *name)
}

/// Parses a list as the platform serves it (`[{code, name, profile?}]`) or as shipped
/// (`{"entries": [...]}`); entries without a code or name are dropped. `None` when the text is
/// not such a list.
pub fn parse_list(text: &str) -> Option<Vec<ListEntry>> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Shape {
        Bare(Vec<serde_json::Value>),
        Wrapped { entries: Vec<serde_json::Value> },
    }
    let values = match serde_json::from_str::<Shape>(text).ok()? {
        Shape::Bare(v) | Shape::Wrapped { entries: v } => v,
    };
    Some(
        values
            .into_iter()
            .filter_map(|v| serde_json::from_value::<ListEntry>(v).ok())
            .filter(|e| !e.code.trim().is_empty() && !e.name.trim().is_empty())
            .collect(),
    )
}

/// The shipped copy of list `name`.
pub fn default_list(name: &str) -> Option<Vec<ListEntry>> {
    DEFAULT_LISTS
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, text)| parse_list(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lists_parse_and_platform_lists_too() {
        for name in list_names() {
            let list = default_list(name).unwrap_or_default();
            assert!(list.len() >= 10, "{name}: {}", list.len());
        }
        let departments = default_list("supervising-departments").unwrap();
        assert!(
            departments
                .iter()
                .any(|d| d.name.contains("滨海新区") && d.profile.as_deref() == Some("tianjin"))
        );
        let served =
            parse_list(r#"[{"code":"A","name":"甲"},{"code":"","name":"空"},{"x":1}]"#).unwrap();
        assert_eq!(served.len(), 1);
        assert_eq!(parse_list("{"), None);
    }

    #[test]
    fn ships_all_56_ethnic_groups_plus_other_and_foreign_origin() {
        let groups = ethnic_groups();
        assert_eq!(groups.len(), 58, "56 groups + 97 + 98");
        assert_eq!(ethnic_group("1").map(|g| g.zh.as_str()), Some("汉族"));
        assert_eq!(ethnic_group("基诺族").map(|g| g.code.as_str()), Some("56"));
        assert_eq!(ethnic_group("57"), None);
    }

    #[test]
    fn ships_a_three_level_division_list_without_development_zones() {
        assert!(
            divisions().len() > 3000,
            "only {} divisions",
            divisions().len()
        );
        assert_eq!(division_name("110105"), Some("朝阳区"));
        assert_eq!(
            division_name("130171"),
            None,
            "development zone must be dropped"
        );
        assert_eq!(division_path("120101").as_deref(), Some("天津市 和平区"));
        assert!(division_children("000000").len() >= 34);
        assert!(
            division_children("410000")
                .iter()
                .any(|(_, n)| *n == "郑州市")
        );
        assert!(
            division_children("410100")
                .iter()
                .any(|(c, _)| *c == "410102")
        );
        assert!(province_known("410102") && !province_known("990000") && !province_known("中国"));
    }
}
