//! `docs/openapi.json` is generated from the handlers: it must match the code and cover every
//! route of the router. Refresh it with `UPDATE_OPENAPI=1 cargo test -p platform --test platform openapi::`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");

#[test]
fn the_committed_openapi_document_is_current() {
    let generated = platform::openapi::document_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(COMMITTED, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p platform --test platform openapi::` and commit it"
    );
}

#[test]
fn every_route_of_the_router_is_documented() {
    let doc: serde_json::Value = serde_json::from_str(&platform::openapi::document_json()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let source = include_str!("../../src/routes.rs");
    let routes: Vec<&str> = source
        .split(".route(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(routes.len() >= 16, "routes found in routes.rs: {routes:?}");
    for route in routes {
        assert!(
            paths.contains_key(route),
            "{route} is missing from the OpenAPI document"
        );
    }
    for scheme in ["kioskSignature", "adminToken"] {
        assert!(
            doc["components"]["securitySchemes"][scheme].is_object(),
            "security scheme {scheme} declared"
        );
    }
}
