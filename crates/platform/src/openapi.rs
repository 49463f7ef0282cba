//! The OpenAPI 3.1 document of protocol v1, generated from the handlers' annotations in
//! [`crate::routes`] (utoipa). `docs/openapi.json` is this document; a test fails when the
//! committed file is stale, and `platformd openapi` prints it.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The JSON body of every error answer.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// Stable UPPER_SNAKE code.
    pub code: String,
    /// Chinese message saying what to do next.
    pub zh: String,
    /// English message saying what to do next.
    pub en: String,
    /// Tries left on the SMS code (only with `SMS_CODE_WRONG`).
    pub attempts_left: Option<i64>,
    /// Seconds to wait before asking again (only with 429; also the `Retry-After` header).
    pub retry_after: Option<u64>,
}

/// Adds the two ways of authenticating: kiosk signatures and the admin token.
#[derive(Debug)]
pub struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "kioskSignature",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Kiosk-Signature",
                "Ed25519 signature (base64) of the canonical string TONGBAN-V1\\nMETHOD\\npath?query\\ntimestamp\\nnonce\\nsha256(body), sent with X-Kiosk-Id, X-Kiosk-Timestamp (Unix ms) and X-Kiosk-Nonce (16-64 hex). See docs/protocol.md section 3.2.",
            ))),
        );
        components.add_security_scheme(
            "adminToken",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as pretty-printed JSON with a trailing newline (the committed file's form).
pub fn document_json() -> String {
    let doc = crate::routes::ApiDoc::openapi();
    let mut text = doc
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
