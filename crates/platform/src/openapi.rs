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

/// Adds the refusals every route of a kind shares at the HTTP edge (authentication before the
/// body, body caps and deadlines, rate limits: [`crate::edges`]) to each operation.
#[derive(Debug)]
pub struct EdgeResponses;

/// The shared refusals of an operation with `tag` and HTTP `method`.
fn edge_refusals(tag: &str, method: &str) -> Vec<(&'static str, &'static str)> {
    let with_body = !matches!(method, "get" | "head");
    let mut out = Vec::new();
    match tag {
        "kiosk" => out.push((
            "401",
            "Checked from the headers before any body byte is read: `SIGNATURE_MISSING`, `SIGNATURE_INVALID`, `CLOCK_SKEW`, `KIOSK_UNKNOWN`, `KIOSK_REVOKED` (an administrator revoked the kiosk: enrol again with a new code); after the body: `SIGNATURE_INVALID`, `REPLAYED`.",
        )),
        "admin" => {
            out.push((
                "401",
                "`ADMIN_TOKEN_INVALID` (checked before any body byte is read).",
            ));
            out.push((
                "403",
                "`ADMIN_ROLE_FORBIDDEN`: the admin account's role does not allow this action.",
            ));
        }
        _ => {}
    }
    if with_body {
        out.push((
            "408",
            "`BODY_TOO_SLOW`: the body did not arrive before its deadline (15 s plus its size at 32 KiB/s).",
        ));
    }
    out.push((
        "413",
        "`BODY_TOO_LARGE`: over this route's cap (no body on GET/HEAD; 64 KiB for checks, SMS, status and heartbeat calls; 1 MiB for submissions, enrolment and admin calls; 8 MiB per blob chunk).",
    ));
    if tag != "admin" {
        out.push((
            "429",
            "`RATE_LIMITED`: too many calls from this kiosk (signed) or address (unsigned, or refused signatures) this minute; `Retry-After` header.",
        ));
    }
    out
}

impl Modify for EdgeResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        for (path, item) in &mut openapi.paths.paths {
            if path == "/api/v1/health" {
                continue;
            }
            let operations = [
                ("get", item.get.as_mut()),
                ("put", item.put.as_mut()),
                ("post", item.post.as_mut()),
                ("head", item.head.as_mut()),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                let tag = operation
                    .tags
                    .as_ref()
                    .and_then(|t| t.first())
                    .cloned()
                    .unwrap_or_default();
                for (status, text) in edge_refusals(&tag, method) {
                    match operation.responses.responses.get_mut(status) {
                        Some(RefOr::T(response)) => {
                            response.description = format!("{} {text}", response.description);
                        }
                        Some(RefOr::Ref(_)) => {}
                        None => {
                            let mut response = ResponseBuilder::new().description(text);
                            if method != "head" {
                                response = response.content(
                                    "application/json",
                                    ContentBuilder::new()
                                        .schema(Some(Ref::from_schema_name("Problem")))
                                        .build(),
                                );
                            }
                            operation
                                .responses
                                .responses
                                .insert(status.to_owned(), RefOr::T(response.build()));
                        }
                    }
                }
            }
        }
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
