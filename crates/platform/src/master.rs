//! Master data with ETags: built-in defaults, overridden by `<data-dir>/master/<name>.json`.

use serde::{Deserialize, Serialize};

use crate::{ApiError, Platform};

/// The datasets every platform serves, with their built-in content. Lists are shaped
/// `[{"code", "name", ...}]` (units: `uscc` instead of `code`).
pub const DATASETS: [(&str, &str); 8] = [
    (
        "supervising-departments",
        include_str!("../../../assets/reference/master/supervising-departments.json"),
    ),
    (
        "legal-entity-natures",
        include_str!("../../../assets/reference/master/legal-entity-natures.json"),
    ),
    (
        "industries",
        include_str!("../../../assets/reference/master/industries.json"),
    ),
    (
        "units",
        r#"[{"uscc":"91120000MA05TEST1X","name":"天津通办示范科技有限公司","supervisor":"TJ-BH-KJJ"}]"#,
    ),
    (
        "ethnic-groups",
        r#"[{"code":"01","name":"汉族"},{"code":"02","name":"蒙古族"},{"code":"03","name":"回族"},{"code":"04","name":"藏族"},{"code":"05","name":"维吾尔族"}]"#,
    ),
    (
        "divisions",
        r#"[{"code":"120000","name":"天津市"},{"code":"120101","name":"和平区"},{"code":"120116","name":"滨海新区"}]"#,
    ),
    (
        "profiles",
        r#"[{"id":"tj-sti","name":"天津市科技信息管理平台","version":1}]"#,
    ),
    (
        "templates",
        r#"[{"id":"risk-commitment","version":"2021.1","name":"风险承诺书"}]"#,
    ),
];

/// One dataset with its ETag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatasetInfo {
    /// Name used in the URL.
    pub name: String,
    /// Strong ETag (quoted).
    pub etag: String,
}

/// `GET /api/v1/master` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MasterIndex {
    /// Every dataset.
    pub datasets: Vec<DatasetInfo>,
}

/// The quoted strong ETag of `body`.
pub fn etag_of(body: &[u8]) -> String {
    format!("\"{}\"", &crate::db::sha256_hex(body)[..32])
}

impl Platform {
    /// The JSON body and ETag of dataset `name`.
    pub fn master_data(&self, name: &str) -> Result<(Vec<u8>, String), ApiError> {
        let body = if name == "platform-key" {
            serde_json::json!({ "recipient": self.recipient })
                .to_string()
                .into_bytes()
        } else {
            let builtin = DATASETS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, b)| *b)
                .ok_or_else(|| {
                    ApiError::not_found(
                        "DATASET_UNKNOWN",
                        "没有这类基础数据。",
                        "There is no such master dataset.",
                    )
                })?;
            match std::fs::read(self.data_dir.join("master").join(format!("{name}.json"))) {
                Ok(bytes) => bytes,
                Err(_) => builtin.as_bytes().to_vec(),
            }
        };
        let etag = etag_of(&body);
        Ok((body, etag))
    }

    /// Every dataset with its current ETag.
    pub fn master_index(&self) -> Result<MasterIndex, ApiError> {
        let names = std::iter::once("platform-key").chain(DATASETS.iter().map(|(n, _)| *n));
        let mut datasets = Vec::new();
        for name in names {
            let (_, etag) = self.master_data(name)?;
            datasets.push(DatasetInfo {
                name: name.to_owned(),
                etag,
            });
        }
        Ok(MasterIndex { datasets })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_list_is_json_with_unique_codes() {
        for (name, body) in DATASETS {
            let list: Vec<serde_json::Value> =
                serde_json::from_str(body).unwrap_or_else(|e| panic!("{name}: {e}"));
            let key = if name == "units" {
                "uscc"
            } else if name == "profiles" || name == "templates" {
                "id"
            } else {
                "code"
            };
            let mut codes: Vec<&str> = list.iter().filter_map(|v| v[key].as_str()).collect();
            assert_eq!(codes.len(), list.len(), "{name}: every entry has a {key}");
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), list.len(), "{name}: {key}s are unique");
        }
    }

    #[test]
    fn supervising_departments_name_their_profile() {
        let list: Vec<serde_json::Value> = serde_json::from_str(include_str!(
            "../../../assets/reference/master/supervising-departments.json"
        ))
        .unwrap_or_default();
        assert!(
            list.iter()
                .all(|d| d["profile"] == "tianjin" || d["profile"] == "zhengzhou")
        );
        assert_eq!(
            list.iter().filter(|d| d["profile"] == "tianjin").count(),
            17
        );
        assert!(
            list.iter().any(|d| d["code"] == "TJ-BH-KJJ"),
            "the code the units dataset refers to"
        );
    }
}
