//! Named admin accounts, roles and the admin audit; kiosk revocation and re-enrolment.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use crate::common::{Fixture, assert_problem};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use platform::admins::Role;

fn with_token(method: &str, path: &str, token: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn the_bootstrap_token_only_creates_the_first_admin() {
    let dir = tempfile::tempdir().unwrap();
    let platform = Arc::new(
        platform::Platform::open_with(
            &platform::PlatformConfig {
                data_dir: dir.path().to_path_buf(),
            },
            &crate::common::test_storage(),
            Arc::new(platform::ManualClock::new(crate::common::TEN_AM_CST)),
        )
        .unwrap(),
    );
    let call = |req: Request<Body>| {
        let app = platform::routes::router(Arc::clone(&platform));
        async move {
            use tower::ServiceExt;
            let resp = app.oneshot(req).await.unwrap();
            let status = resp.status();
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .unwrap();
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or_default(),
            )
        }
    };
    let bootstrap = platform.admin_token().to_owned();
    let (s, j) = call(with_token(
        "POST",
        "/api/v1/admin/enrolment-codes",
        &bootstrap,
        r#"{"kioskName":"x"}"#,
    ))
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "bootstrap issues no codes");
    assert_problem(&j, "ADMIN_TOKEN_INVALID");
    let (s, j) = call(with_token(
        "POST",
        "/api/v1/admin/admins",
        &bootstrap,
        r#"{"name":"li.wei","role":"fleet-admin"}"#,
    ))
    .await;
    assert_eq!(s, StatusCode::CREATED, "{j}");
    let token = j["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("tba_") && token.len() == 68);
    let (s, _) = call(with_token(
        "POST",
        "/api/v1/admin/admins",
        &bootstrap,
        r#"{"name":"mallory","role":"fleet-admin"}"#,
    ))
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "void once an admin exists");
    let (s, j) = call(with_token(
        "POST",
        "/api/v1/admin/enrolment-codes",
        &token,
        r#"{"kioskName":"大厅 3 号机"}"#,
    ))
    .await;
    assert_eq!(s, StatusCode::CREATED, "the named admin works: {j}");
    // Only a keyed hash of the token is stored.
    let stored: String = platform
        .read()
        .unwrap()
        .query_row(
            "SELECT token_hash FROM admins WHERE name = 'li.wei'",
            &[],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!stored.contains(&token[4..]) && stored.len() == 64);
    let audit = platform.admin_audit(10).unwrap();
    assert_eq!(audit[0].admin, "li.wei");
    assert_eq!(audit[0].action, "POST /api/v1/admin/enrolment-codes");
    assert_eq!(audit[1].admin, "bootstrap");
    assert_eq!(audit[1].status, 201);
}

#[tokio::test]
async fn roles_limit_what_an_admin_may_do_and_every_action_is_audited() {
    let f = Fixture::new().await;
    let (s, j) = f
        .call(with_token(
            "POST",
            "/api/v1/admin/enrolment-codes",
            &f.reviewer_token,
            r#"{"kioskName":"x"}"#,
        ))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_problem(&j, "ADMIN_ROLE_FORBIDDEN");
    let (s, j) = f
        .call(with_token(
            "GET",
            "/api/v1/admin/submissions",
            &f.fleet_token,
            "",
        ))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "fleet admins do not review");
    assert_problem(&j, "ADMIN_ROLE_FORBIDDEN");
    let (s, _) = f
        .call(with_token(
            "GET",
            "/api/v1/admin/submissions",
            &f.reviewer_token,
            "",
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    // Disabling an account voids its token at once.
    let (s, _) = f
        .call(with_token(
            "POST",
            "/api/v1/admin/admins/reviewer/disable",
            &f.fleet_token,
            "",
        ))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, j) = f
        .call(with_token(
            "GET",
            "/api/v1/admin/submissions",
            &f.reviewer_token,
            "",
        ))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_problem(&j, "ADMIN_TOKEN_INVALID");
    let (s, list) = f
        .call(with_token(
            "GET",
            "/api/v1/admin/admins",
            &f.fleet_token,
            "",
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(list.to_string().contains("\"disabledAt\":") && !list.to_string().contains("tba_"));
    let (_, audit) = f
        .call(with_token("GET", "/api/v1/admin/audit", &f.fleet_token, ""))
        .await;
    let rows: Vec<(String, String, u64)> = audit
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|r| {
            (
                r["admin"].as_str().unwrap().to_owned(),
                r["code"].as_str().unwrap_or("-").to_owned(),
                r["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "reviewer".to_owned(),
                "ADMIN_ROLE_FORBIDDEN".to_owned(),
                403
            ),
            ("fleet".to_owned(), "ADMIN_ROLE_FORBIDDEN".to_owned(), 403),
            ("reviewer".to_owned(), "-".to_owned(), 200),
            ("fleet".to_owned(), "-".to_owned(), 204),
            ("fleet".to_owned(), "-".to_owned(), 200),
        ],
        "every recognised call, refused or not (the disabled token is no admin)"
    );
}

#[tokio::test]
async fn a_revoked_kiosk_is_refused_and_can_enrol_again_with_a_new_code() {
    let f = Fixture::new().await;
    let (s, _) = f.send("GET", "/api/v1/status?after=0", vec![]).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = f
        .call(f.admin(
            "POST",
            &format!("/api/v1/admin/kiosks/{}/revoke", f.kiosk.id),
            serde_json::Value::Null,
        ))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, j) = f.send("GET", "/api/v1/status?after=0", vec![]).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_problem(&j, "KIOSK_REVOKED");
    let (s, j) = f
        .call(f.admin(
            "POST",
            "/api/v1/admin/kiosks/kiosk-nope/revoke",
            serde_json::Value::Null,
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_problem(&j, "KIOSK_NOT_FOUND");
    // Re-enrolment: the same machine (same key seed) with a new code gets a new id.
    let again = f.enrol("大厅 1 号机（重新注册）", 7).await;
    assert_ne!(again.id, f.kiosk.id);
    let a = f
        .send_by(&again, "GET", "/api/v1/status?after=0", vec![])
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.json);
    let figures = f.platform.store_figures().unwrap();
    assert_eq!(figures.kiosks_revoked, 1);
    let _ = Role::FleetAdmin;
}

#[tokio::test]
async fn reviewers_see_masked_data_and_openings_are_audited() {
    let f = Fixture::new().await;
    let app = crate::common::deferred(crate::common::application("tianjin-legal-entity"));
    let a = f.submit(&crate::common::uuid(1), &app).await;
    assert!(a.status.is_success(), "{}", a.json);
    let personal = [
        "赵磊",
        "陈静",
        "120101198209155739",
        "13920200003",
        "13920200004",
        "contact@example.com",
        "tjshili2021",
        "Kiosk#2026a",
    ];
    let (s, list) = f
        .call(with_token(
            "GET",
            "/api/v1/admin/submissions",
            &f.reviewer_token,
            "",
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, one) = f
        .call(with_token(
            "GET",
            &format!("/api/v1/admin/submissions/{}", crate::common::uuid(1)),
            &f.reviewer_token,
            "",
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    for shown in [&list[0], &one] {
        let text = shown.to_string();
        for value in personal {
            assert!(!text.contains(value), "{value} shown masked: {text}");
        }
        let rep = &shown["payload"]["legalRepresentative"];
        assert_eq!(rep["document"]["number"], "120***********5739");
        assert_eq!(rep["name"], "赵*");
        assert_eq!(rep["mobile"], "139****0003");
        assert_eq!(shown["payload"]["unit"]["uscc"], "91120116MA07R4CN6Y");
    }
    // Looking at the masked view opened nothing.
    let openings = |f: &Fixture| {
        f.platform
            .admin_audit(100)
            .unwrap()
            .into_iter()
            .filter(|r| r.action == platform::pii::OPEN_ACTION)
            .count()
    };
    assert_eq!(openings(&f), 0);
    let (s, full) = f
        .call(with_token(
            "POST",
            &format!("/api/v1/admin/submissions/{}/open", crate::common::uuid(1)),
            &f.reviewer_token,
            "",
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{full}");
    let rep = &full["payload"]["legalRepresentative"];
    assert_eq!(rep["document"]["number"], "120101198209155739");
    assert_eq!(rep["name"], "赵磊");
    assert_eq!(full["payload"]["account"]["password"], "(given)");
    assert!(
        !full.to_string().contains("Kiosk#2026a"),
        "never a password"
    );
    let audit = f.platform.admin_audit(100).unwrap();
    let opened = audit
        .iter()
        .find(|r| r.action == platform::pii::OPEN_ACTION)
        .expect("the opening is audited");
    assert_eq!(opened.admin, "reviewer");
    assert_eq!(
        opened.target.as_deref(),
        Some(format!("submission:{}", crate::common::uuid(1)).as_str())
    );
    assert_eq!(opened.at, f.platform.now_ms());
    // Fleet admins cannot open; an unknown id opens nothing.
    let (s, j) = f
        .call(with_token(
            "POST",
            &format!("/api/v1/admin/submissions/{}/open", crate::common::uuid(1)),
            &f.fleet_token,
            "",
        ))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_problem(&j, "ADMIN_ROLE_FORBIDDEN");
    let (s, j) = f
        .call(with_token(
            "POST",
            &format!("/api/v1/admin/submissions/{}/open", crate::common::uuid(9)),
            &f.reviewer_token,
            "",
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_problem(&j, "SUBMISSION_NOT_FOUND");
    assert_eq!(openings(&f), 1, "one opening recorded");
}
