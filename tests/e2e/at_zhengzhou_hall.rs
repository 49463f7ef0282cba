//! Real-app journeys at an online Zhengzhou hall (manual 000), one after the other at the same
//! counter: a unit's registration (申报单位信息完善) whose legal representative's real name is
//! checked live and whose code goes to the primary agent's mobile; an old account bound with the
//! expert-first rule (二, Ps ii); and the real-name verification of a legal representative, with
//! the unit's fields shown once the request is the unit's. Each reaches the platform and is
//! checked there.
//!
//! (The issue lists "Zhengzhou legal entity with risk letter": manual 000 has no risk letter —
//! Tianjin's has one, walked in `legal_entity.rs`.)

use std::time::Duration;

use crate::hall::{CLERK_PASSWORD, Hall};
use crate::harness::{Launch, Session};
use crate::steps::{choose, fill, next, on_step, pick_division, submit, tick, verify_sms};

async fn start(session: &Session, tile: &str) {
    session.click("[data-test=done-home]").await;
    session.click(&format!("[data-test=tile-{tile}]")).await;
    session.click("[data-test=consent-agree]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_an_expert_binding_and_a_legal_representatives_real_name_reach_the_platform() {
    let hall = Hall::start(None);
    let session = Session::start(Launch {
        data_dir: Some(hall.kiosk(Some("zhengzhou"))),
        ..Launch::default()
    })
    .await;
    session.wait_until_home().await;
    session.sign_in("clerk", "王工", CLERK_PASSWORD).await;

    // 1. The unit: account, unit, details, legal representative (real name checked live),
    //    primary agent (the code goes to the agent's mobile).
    session.click("[data-test=tile-legal-entity]").await;
    session.click("[data-test=consent-agree]").await;
    on_step(&session, "account").await;
    fill(&session, "account.accountName", "zzjinshui01").await;
    fill(&session, "account.password", "Kx9!pQ2#mZ").await;
    fill(&session, "account.passwordConfirmation", "Kx9!pQ2#mZ").await;
    next(&session).await;
    on_step(&session, "unit").await;
    fill(&session, "unit.name", "郑州金水示例科技有限公司").await;
    choose(&session, "unit.entityType", "企业（法人）").await;
    fill(&session, "unit.uscc", "91410105MA3X7K2P29").await;
    next(&session).await;
    on_step(&session, "unit-details").await;
    fill(&session, "unit.contactName", "刘洋").await;
    fill(&session, "unit.contactMobile", "13700370001").await;
    fill(&session, "unit.email", "office@example.cn").await;
    pick_division(
        &session,
        "unit.registeredAddress",
        ["河南省", "郑州市", "金水区"],
    )
    .await;
    fill(&session, "unit.registeredAddress.detail", "花园路 88 号").await;
    next(&session).await;
    on_step(&session, "legal-representative").await;
    fill(&session, "legalRepresentative.name", "张三").await;
    fill(
        &session,
        "legalRepresentative.document.number",
        "11010519491231002X",
    )
    .await;
    fill(&session, "legalRepresentative.mobile", "13700370002").await;
    next(&session).await;
    on_step(&session, "primary-agent").await;
    fill(&session, "primaryAgent.name", "刘洋").await;
    fill(
        &session,
        "primaryAgent.document.number",
        "410105198503150036",
    )
    .await;
    fill(&session, "primaryAgent.mobile", "13700370001").await;
    verify_sms(&session, &hall.outbox(), "account.smsCode", "13700370001").await;
    next(&session).await;
    session
        .wait_for_text(
            "[data-test='summary-unit.uscc']",
            Duration::from_secs(15),
            |t| t.contains("91410105"),
        )
        .await;
    let unit = submit(&session, "zhengzhou-unit").await;
    let received = hall.received(&unit);
    assert_eq!(
        received["payload"]["unit"]["uscc"], "91410105MA3X7K2P29",
        "{received}"
    );
    assert_eq!(received["payload"]["realNameCheck"]["outcome"], "verified");
    assert_eq!(received["payload"]["primaryAgent"]["mobile"], "13700370001");
    assert_eq!(
        received["mobileUnverified"], false,
        "the agent's code was verified"
    );

    // 2. Old accounts: an applicant account while an expert account is unbound is refused
    //    with the manual's words; the expert account is bound first.
    start(&session, "legacy-binding").await;
    on_step(&session, "request").await;
    choose(&session, "userType", "申报个人用户").await;
    fill(&session, "mobile", "13700370003").await;
    verify_sms(&session, &hall.outbox(), "smsCode", "13700370003").await;
    tick(&session, "field-hasUnboundExpertAccount").await;
    next(&session).await;
    session
        .wait_for_text(
            "[data-test='field-error-userType']",
            Duration::from_secs(15),
            |t| t.contains("请先绑定专家账户"),
        )
        .await;
    session.screenshot("zhengzhou-expert-first").await;
    choose(&session, "userType", "评审专家用户").await;
    next(&session).await;
    let binding = submit(&session, "zhengzhou-binding").await;
    let received = hall.received(&binding);
    assert_eq!(received["payload"]["userType"], "expert", "{received}");
    assert_eq!(received["mobileUnverified"], false);

    // 3. The real name of the unit's legal representative: the unit's fields appear with the
    //    request, and the person is verified live.
    start(&session, "real-name").await;
    on_step(&session, "request").await;
    choose(&session, "subject", "法人用户").await;
    next(&session).await;
    on_step(&session, "person").await;
    fill(&session, "person.name", "张三").await;
    fill(&session, "person.document.number", "11010519491231002X").await;
    choose(&session, "person.sex", "女").await;
    choose(&session, "person.ethnicity", "汉族").await;
    next(&session).await;
    session
        .wait_for_text(
            "[data-test=note-REAL_NAME_VERIFIED]",
            Duration::from_secs(15),
            |t| !t.is_empty(),
        )
        .await;
    on_step(&session, "unit").await;
    fill(&session, "unit.name", "郑州金水示例科技有限公司").await;
    choose(&session, "unit.entityType", "企业（法人）").await;
    fill(&session, "unit.uscc", "91410105MA3X7K2P29").await;
    next(&session).await;
    let verification = submit(&session, "zhengzhou-real-name").await;
    let received = hall.received(&verification);
    assert_eq!(received["payload"]["subject"], "legal-entity", "{received}");
    assert_eq!(received["payload"]["unit"]["uscc"], "91410105MA3X7K2P29");
    assert_eq!(
        received["state"], "accepted",
        "a real-name request for a registered unit is not a duplicate: {received}"
    );
    session.finish().await;
}
