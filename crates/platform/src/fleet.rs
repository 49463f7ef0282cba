//! Kiosk heartbeats and the fleet view: the latest health report of every kiosk, listed by
//! `platformd kiosks` and shown on the status page `GET /status` (no personal data).

use std::fmt::Write as _;

use crate::sql_params as params;
use serde::{Deserialize, Serialize};

use crate::{ApiError, Platform};

/// Longest text kept from a heartbeat field (longer text is cut).
const TEXT_LIMIT: usize = 300;
/// A kiosk heard from within this long counts as online on the status page, ms.
pub const ONLINE_WITHIN_MS: i64 = 5 * 60 * 1000;

/// `POST /api/v1/kiosks/heartbeat` request: how the kiosk is doing. Unknown fields are ignored
/// so newer kiosks can report more.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Heartbeat {
    /// Kiosk software version.
    pub version: String,
    /// The service hall the kiosk stands in (its setting), if set.
    #[serde(default)]
    pub hall: Option<String>,
    /// Applications waiting for upload.
    #[serde(default)]
    pub queue_depth: u64,
    /// Age of the oldest application not yet uploaded, seconds.
    #[serde(default)]
    pub oldest_unsent_age_s: Option<u64>,
    /// Free bytes on the kiosk's data disk.
    #[serde(default)]
    pub disk_free_bytes: Option<u64>,
    /// Last successful sync, Unix ms.
    #[serde(default)]
    pub last_sync_at: Option<i64>,
    /// The last sync error, if the last attempt failed (never personal data).
    #[serde(default)]
    pub last_error: Option<String>,
    /// The head of the kiosk's keyed audit chain, anchored on the platform (never lower
    /// than the stored one; see `GET /api/v1/kiosks/audit-head`). Not kept in the fleet view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<crate::audit_anchor::AuditHead>,
}

/// One kiosk as the fleet view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KioskRow {
    /// Kiosk id.
    pub id: String,
    /// Name given at enrolment.
    pub name: String,
    /// Enrolled, Unix ms.
    pub enrolled_at: i64,
    /// Whether the kiosk's credential was revoked.
    pub revoked: bool,
    /// Last heartbeat received, Unix ms (`None`: never).
    pub last_seen_at: Option<i64>,
    /// The latest heartbeat.
    pub heartbeat: Option<Heartbeat>,
}

/// Cuts `text` to [`TEXT_LIMIT`] characters.
fn cut(text: &str) -> String {
    text.chars().take(TEXT_LIMIT).collect()
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl Platform {
    /// Stores `beat` as the latest heartbeat of `kiosk`.
    pub fn record_heartbeat(&self, kiosk: &str, beat: &Heartbeat) -> Result<(), ApiError> {
        if beat.version.trim().is_empty() {
            return Err(ApiError::bad_request(
                "HEARTBEAT_VERSION_MISSING",
                "心跳须包含终端软件版本。",
                "A heartbeat must carry the kiosk software version.",
            ));
        }
        if let Some(head) = &beat.audit_head {
            self.record_audit_head(kiosk, head)?;
        }
        let mut tx = self.write_atomic()?;
        tx.execute(
            "INSERT INTO heartbeats (kiosk_id, received_at, version, hall, queue_depth,
                oldest_unsent_age_s, disk_free_bytes, last_sync_at, last_error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(kiosk_id) DO UPDATE SET received_at = ?2, version = ?3, hall = ?4,
                queue_depth = ?5, oldest_unsent_age_s = ?6, disk_free_bytes = ?7,
                last_sync_at = ?8, last_error = ?9",
            params![
                kiosk,
                self.now_ms(),
                cut(&beat.version),
                beat.hall.as_deref().map(cut),
                to_i64(beat.queue_depth),
                beat.oldest_unsent_age_s.map(to_i64),
                beat.disk_free_bytes.map(to_i64),
                beat.last_sync_at,
                beat.last_error.as_deref().map(cut),
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every enrolled kiosk with its latest heartbeat, by hall then name.
    pub fn kiosks(&self) -> Result<Vec<KioskRow>, ApiError> {
        let mut db = self.read()?;
        let to_u64 = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok());
        let rows = db.query_map(
            "SELECT k.id, k.name, k.enrolled_at, k.revoked_at IS NOT NULL, h.received_at,
                    h.version, h.hall, h.queue_depth, h.oldest_unsent_age_s, h.disk_free_bytes,
                    h.last_sync_at, h.last_error
             FROM kiosks k LEFT JOIN heartbeats h ON h.kiosk_id = k.id
             ORDER BY COALESCE(h.hall, ''), k.name, k.id",
            &[],
            |r| {
                let last_seen_at: Option<i64> = r.get(4)?;
                let version: Option<String> = r.get(5)?;
                let heartbeat = match version {
                    Some(version) => Some(Heartbeat {
                        version,
                        hall: r.get(6)?,
                        queue_depth: to_u64(r.get(7)?).unwrap_or(0),
                        oldest_unsent_age_s: to_u64(r.get(8)?),
                        disk_free_bytes: to_u64(r.get(9)?),
                        last_sync_at: r.get(10)?,
                        last_error: r.get(11)?,
                        audit_head: None,
                    }),
                    None => None,
                };
                Ok(KioskRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    enrolled_at: r.get(2)?,
                    revoked: r.get(3)?,
                    last_seen_at,
                    heartbeat,
                })
            },
        )?;
        Ok(rows)
    }

    /// The status page: a table of halls and kiosks (no personal data), plain HTML.
    pub fn status_page(&self) -> Result<String, ApiError> {
        let kiosks = self.kiosks()?;
        let now = self.now_ms();
        let mut rows = String::new();
        for k in &kiosks {
            let beat = k.heartbeat.as_ref();
            let online = k.last_seen_at.is_some_and(|t| now - t <= ONLINE_WITHIN_MS);
            let state = match (k.revoked, k.last_seen_at, online) {
                (true, _, _) => ("revoked", "已停用 / revoked"),
                (_, None, _) => ("unknown", "未上报 / never seen"),
                (_, Some(_), true) => ("online", "在线 / online"),
                (_, Some(_), false) => ("offline", "离线 / offline"),
            };
            let _ = writeln!(
                rows,
                "<tr class=\"kiosk {class}\" data-kiosk-id=\"{id}\"><td>{hall}</td><td>{name}</td>\
                 <td class=\"state\">{label}</td><td>{version}</td><td class=\"num queue\">{queue}</td>\
                 <td>{oldest}</td><td>{disk}</td><td>{seen}</td><td>{sync}</td><td class=\"error\">{error}</td></tr>",
                class = state.0,
                id = escape(&k.id),
                hall = escape(beat.and_then(|b| b.hall.as_deref()).unwrap_or("-")),
                name = escape(&k.name),
                label = state.1,
                version = escape(beat.map_or("-", |b| b.version.as_str())),
                queue = beat.map_or_else(|| "-".into(), |b| b.queue_depth.to_string()),
                oldest = beat
                    .and_then(|b| b.oldest_unsent_age_s)
                    .map_or_else(|| "-".into(), duration_text),
                disk = beat
                    .and_then(|b| b.disk_free_bytes)
                    .map_or_else(|| "-".into(), |b| format!("{:.1} GB", b as f64 / 1e9)),
                seen = k.last_seen_at.map_or_else(|| "-".into(), |t| ago(now, t)),
                sync = beat
                    .and_then(|b| b.last_sync_at)
                    .map_or_else(|| "-".into(), |t| ago(now, t)),
                error = escape(beat.and_then(|b| b.last_error.as_deref()).unwrap_or("")),
            );
        }
        Ok(format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
             <title>通办终端状态 / Kiosk status</title>\
             <style>body{{font-family:sans-serif;margin:1.5em}}table{{border-collapse:collapse}}\
             td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}\
             tr.offline td.state{{color:#b00}}tr.online td.state{{color:#080}}</style></head>\
             <body><h1>通办终端状态 / Kiosk status</h1>\
             <p id=\"summary\">{count} 台终端 / kiosks</p>\
             <table id=\"kiosks\"><thead><tr><th>大厅 / Hall</th><th>终端 / Kiosk</th>\
             <th>状态 / State</th><th>版本 / Version</th><th>待上传 / Queue</th>\
             <th>最早未上传 / Oldest unsent</th><th>磁盘剩余 / Disk free</th>\
             <th>最近心跳 / Last seen</th><th>最近同步 / Last sync</th><th>最近错误 / Last error</th>\
             </tr></thead><tbody>\n{rows}</tbody></table></body></html>\n",
            count = kiosks.len(),
        ))
    }
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `90` → `1 min`, `7200` → `2 h`.
fn duration_text(seconds: u64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} h", s / 3600),
        s => format!("{} d", s / 86_400),
    }
}

/// How long ago `at` was, seen from `now` (both Unix ms).
fn ago(now: i64, at: i64) -> String {
    let seconds = u64::try_from((now - at).max(0) / 1000).unwrap_or(0);
    format!("{} ago", duration_text(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_neutralises_markup() {
        assert_eq!(
            escape("<script>\"x\" & 'y'</script>"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;",
            "every markup character is escaped"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(42), "42 s");
        assert_eq!(duration_text(150), "2 min");
        assert_eq!(duration_text(7200), "2 h");
        assert_eq!(duration_text(3 * 86_400), "3 d");
        assert_eq!(ago(10_000, 4_000), "6 s ago", "ms to seconds");
    }
}
