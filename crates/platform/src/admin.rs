//! The admin API (bearer token): enrolment codes, submissions, reviews.

use serde::{Deserialize, Serialize};

/// `POST /api/v1/admin/enrolment-codes` request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CodeRequest {
    /// The kiosk's display name.
    pub kiosk_name: String,
}

/// `POST /api/v1/admin/enrolment-codes` response.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CodeResponse {
    /// The one-time code (shown once), with the platform's key fingerprint in it.
    pub code: String,
    /// The platform's full signing-key fingerprint (SHA-256 of the key, hex), for records.
    pub platform_fingerprint: String,
}

/// Answer of a review.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewResponse {
    /// The submission's new state.
    pub state: String,
}
