//! Real-app end-to-end: a legal-entity registration on the Tianjin platform (the unit of
//! `tests/fixtures/applications/tianjin-legal-entity.json`). Staff fill the wizard, the draft is
//! saved and its risk commitment letter produced as a PDF; the "signed" letter (the PDF rendered
//! to an image, as a scanner would return it) and a business licence and a bank permit come in
//! as files through the capture panels' file tab; the application is submitted and queued.
//!
//! The hall's printer is unreachable here (`CUPS_SERVER` points at a closed port): the kiosk says
//! so, and the letter stays in the print folder for a second try.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::harness::{Launch, Session, kioskctl};
use crate::steps::{attach, choose, document_photo, pick_division};

/// A closed loopback port: nothing answers there.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap()
}

/// The one PDF in the kiosk's print folder.
fn printed_letter(data_dir: &Path) -> PathBuf {
    let folder = data_dir.join("print");
    let pdfs: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{} missing: {e}", folder.display()))
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 1, "one letter in the print folder: {pdfs:?}");
    pdfs.into_iter().next().unwrap()
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (poppler-utils): {e}"));
    assert!(out.status.success(), "{program} {args:?} failed: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legal_entity_with_risk_letter_and_file_attachments_is_queued() {
    journey(None).await;
}

/// The same journey with three 12 MP camera photos (licence, bank permit, ID front) for the
/// memory row of bench/run (issue 21), which samples the app's process tree while this runs
/// against the release build (`TONGBAN_E2E_APP`). The photos are the files named by
/// `TONGBAN_BENCH_PHOTOS` (three paths, `:`-separated), else 4000 × 3000 JPEGs made here.
/// Not part of the e2e suite: `cargo test --test e2e bench_ -- --ignored`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "bench/run's memory row; slow"]
async fn bench_legal_entity_with_three_12mp_captures() {
    let made = tempfile::tempdir().unwrap();
    let photos: Vec<PathBuf> = match std::env::var("TONGBAN_BENCH_PHOTOS") {
        Ok(list) => list.split(':').map(PathBuf::from).collect(),
        Err(_) => (0..3u32)
            .map(|seed| {
                let path = made.path().join(format!("photo-{seed}.jpg"));
                camera_photo(&path, seed);
                path
            })
            .collect(),
    };
    let [licence, permit, front] = <[PathBuf; 3]>::try_from(photos)
        .unwrap_or_else(|list| panic!("TONGBAN_BENCH_PHOTOS names three files: {list:?}"));
    journey(Some(Photos {
        licence,
        permit,
        front,
    }))
    .await;
}

/// Camera photos to attach instead of the small generated documents.
struct Photos {
    licence: PathBuf,
    permit: PathBuf,
    front: PathBuf,
}

/// A 12 MP (4000 × 3000) photo of a document, as a phone would save it (JPEG, quality 90).
fn camera_photo(path: &Path, seed: u32) {
    let small = path.with_extension("png");
    document_photo(&small, seed);
    let page = image::open(&small).unwrap();
    let photo = page.resize_exact(4000, 3000, image::imageops::FilterType::Triangle);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&photo.to_rgb8())
        .unwrap();
}

async fn journey(photos: Option<Photos>) {
    let session = Session::start(Launch {
        env: vec![("CUPS_SERVER".into(), format!("127.0.0.1:{}", closed_port()))],
        ..Launch::default()
    })
    .await;
    let kiosk_dir = session.data_dir.path().to_path_buf();
    session.wait_until_home().await;
    session
        .sign_in_first_admin("clerk", "陈工", "clerk password 1")
        .await;

    session.start_flow("legal-entity", "tianjin").await;
    for (field, text) in [
        ("account.accountName", "tjshili2021"),
        ("account.password", "Kiosk#2026a"),
        ("account.passwordConfirmation", "Kiosk#2026a"),
    ] {
        session
            .type_into(&format!("[data-test='field-{field}']"), text)
            .await;
    }
    session.click("[data-test=wizard-next]").await;
    choose(&session, "unit.entityType", "企业（法人）").await;
    for (field, text) in [
        ("unit.name", "天津示例新材料有限公司"),
        ("unit.uscc", "91120116MA07R4CN6Y"),
    ] {
        session
            .type_into(&format!("[data-test='field-{field}']"), text)
            .await;
    }
    session.click("[data-test=wizard-next]").await;
    for (field, text) in [
        ("unit.contactName", "陈静"),
        ("unit.contactMobile", "13920200004"),
        ("unit.email", "contact@example.com"),
    ] {
        session
            .type_into(&format!("[data-test='field-{field}']"), text)
            .await;
    }
    choose(&session, "unit.nature", "民营企业").await;
    choose(
        &session,
        "unit.supervisingDepartment",
        "天津市滨海新区科学技术局",
    )
    .await;
    pick_division(
        &session,
        "unit.registeredAddress",
        ["天津市", "天津市", "滨海新区"],
    )
    .await;
    session
        .type_into(
            "[data-test='field-unit.registeredAddress.detail']",
            "经济技术开发区第三大街 51 号",
        )
        .await;
    pick_division(
        &session,
        "unit.locatedAddress",
        ["天津市", "天津市", "和平区"],
    )
    .await;
    session
        .type_into(
            "[data-test='field-unit.locatedAddress.detail']",
            "南京路 181 号 12 层",
        )
        .await;
    session.click("[data-test=wizard-next]").await;
    for (field, text) in [
        ("unit.bankAccount.holder", "天津示例新材料有限公司"),
        ("unit.bankAccount.bank", "示例银行天津滨海支行"),
        ("unit.bankAccount.number", "6222020003004005006"),
    ] {
        session
            .type_into(&format!("[data-test='field-{field}']"), text)
            .await;
    }
    session.click("[data-test=wizard-next]").await;
    for (field, text) in [
        ("legalRepresentative.name", "赵磊"),
        ("legalRepresentative.document.number", "120101198209155739"),
        ("legalRepresentative.mobile", "13920200003"),
    ] {
        session
            .type_into(&format!("[data-test='field-{field}']"), text)
            .await;
    }
    // Issued at 30: valid for 20 years (the rules check it against the birth date).
    for (end, date) in [("from", "2012-09-01"), ("until", "2032-09-01")] {
        let css = format!("[data-test='field-legalRepresentative.document.validity.{end}']");
        session
            .set_input(&format!("{css} input, input{css}"), date)
            .await;
    }
    session.click("[data-test=wizard-next]").await;

    // The draft is saved: its number goes on the letter (text and QR code).
    let draft = session
        .wait_for_text("[data-test=draft-number]", Duration::from_secs(15), |t| {
            !t.trim().is_empty()
        })
        .await;
    session.click("[data-test=print-risk-letter]").await;
    session
        .wait_for_text(
            "[data-test=risk-letter-problem]",
            Duration::from_secs(30),
            |t| !t.is_empty(),
        )
        .await;
    let letter = printed_letter(&kiosk_dir);
    let bytes = std::fs::read(&letter).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "{} is a PDF", letter.display());
    let text = run("pdftotext", &[&letter.display().to_string(), "-"]);
    assert!(
        text.contains(&draft),
        "the letter carries the draft number {draft}: {text}"
    );
    session.screenshot("legal-entity-letter").await;
    session.click("[data-test=wizard-next]").await;

    // Signed, scanned, and brought in on a USB stick with the licence and the bank permit.
    let files = tempfile::tempdir().unwrap();
    let scan = files.path().join("signed-letter");
    run(
        "pdftoppm",
        &[
            "-r",
            "110",
            "-png",
            "-singlefile",
            &letter.display().to_string(),
            &scan.display().to_string(),
        ],
    );
    let licence = files.path().join("licence.png");
    let permit = files.path().join("permit.png");
    document_photo(&licence, 1);
    document_photo(&permit, 4);
    let (licence, permit) = match &photos {
        Some(photos) => (photos.licence.clone(), photos.permit.clone()),
        None => (licence, permit),
    };
    attach(&session, "business-licence", &licence).await;
    attach(&session, "risk-commitment", &scan.with_extension("png")).await;
    attach(&session, "bank-account-permit", &permit).await;
    // No platform answers here: the legal representative's real name goes to manual review,
    // with photos of both sides of the card.
    let (front, back) = (
        files.path().join("front.png"),
        files.path().join("back.png"),
    );
    document_photo(&front, 2);
    document_photo(&back, 5);
    let front = photos.map_or(front, |photos| photos.front);
    attach(&session, "id-front", &front).await;
    attach(&session, "id-back", &back).await;
    session.screenshot("legal-entity-captures").await;
    session.click("[data-test=wizard-next]").await;

    session
        .wait_for_text(
            "[data-test='summary-unit.uscc']",
            Duration::from_secs(15),
            |t| t.contains("91120116"),
        )
        .await;
    session.click("[data-test=wizard-submit]").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let number = loop {
        let state = session
            .client
            .execute(
                "return [document.querySelector('[data-test=application-number]')?.textContent ?? '',
                         document.querySelector('[data-test=register-problem]')?.textContent ?? null]",
                vec![],
            )
            .await
            .unwrap();
        let number = state[0].as_str().unwrap_or_default().trim().to_owned();
        if !number.is_empty() {
            break number;
        }
        if Instant::now() >= deadline || !state[1].is_null() {
            let shot = session.screenshot("legal-entity-not-submitted").await;
            panic!("not submitted: {state}; screenshot {}", shot.display());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    session.screenshot("legal-entity-done").await;
    assert_eq!(number, draft, "the application keeps its draft's number");

    let queued = kioskctl(&kiosk_dir, &["queue", "show", &number, "--json"], "");
    let queued: serde_json::Value = serde_json::from_str(&queued).unwrap();
    assert_eq!(
        queued["item"]["kind"], "legal-entity",
        "queued as a legal entity: {queued}"
    );
    assert_eq!(
        queued["item"]["state"], "submitted",
        "waiting in the queue: {queued}"
    );
    let mut slots: Vec<&str> = queued["attachments"]
        .as_array()
        .map(|list| list.iter().filter_map(|a| a["slot"].as_str()).collect())
        .unwrap_or_default();
    slots.sort_unstable();
    assert_eq!(
        slots,
        [
            "bank-account-permit",
            "business-licence",
            "id-back",
            "id-front",
            "risk-commitment"
        ],
        "the three documents and the ID photos travel with it: {queued}"
    );
    session.finish().await;
}
