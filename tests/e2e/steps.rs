//! Steps a visitor or a staff member takes in the real app's wizards, shared by the journeys:
//! typing into fields, Element Plus selects and date pickers, the division cascader, files
//! through a capture panel's file tab, SMS codes read from the platform's outbox.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use image::{Rgb, RgbImage};

use crate::harness::Session;

/// A photographed-looking official document: off-white paper, a red frame, a seal and lines of
/// dark "text" — enough detail for the capture pipeline's quality gates.
pub fn document_photo(path: &Path, seed: u32) {
    let (width, height) = (1400, 1000);
    let mut img = RgbImage::from_pixel(width, height, Rgb([236, 232, 222]));
    for (x, y, pixel) in img.enumerate_pixels_mut() {
        let frame = x < 40 || y < 40 || x >= width - 40 || y >= height - 40;
        let inner = (60..80).contains(&x) || (60..80).contains(&y);
        let line = y > 140 && (y / 18) % 3 == 0 && x > 120 && x < width - 120;
        let word = !(x / 23 + y / 18 + seed).is_multiple_of(7);
        let (cx, cy) = (i64::from(x) - 1100, i64::from(y) - 760);
        let seal = (110 * 110..130 * 130).contains(&(cx * cx + cy * cy));
        if frame || inner || seal {
            *pixel = Rgb([178, 34, 34]);
        } else if line && word {
            *pixel = Rgb([30, 30, 36]);
        }
    }
    img.save(path).unwrap();
}

/// Picks `option` in the Element Plus select of `field`.
pub async fn choose(session: &Session, field: &str, option: &str) {
    session.click(&format!("[data-test='field-{field}']")).await;
    let picked = session
        .client
        .execute(
            "const item = [...document.querySelectorAll('.el-select-dropdown__item')]
               .find((li) => li.textContent.trim() === arguments[0]);
             if (!item) return false; item.click(); return true;",
            vec![option.into()],
        )
        .await
        .unwrap();
    assert_eq!(
        picked,
        serde_json::json!(true),
        "{option} offered for {field}"
    );
}

/// Province, city, district in the division cascader of `path` (loaded lazily from Rust).
pub async fn pick_division(session: &Session, path: &str, names: [&str; 3]) {
    session
        .click(&format!("[data-test='division-{path}'] .el-cascader"))
        .await;
    for (level, name) in names.iter().enumerate() {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let clicked = session
                .client
                .execute(
                    "const [level, name] = arguments;
                     const open = [...document.querySelectorAll('.el-cascader__dropdown')]
                       .filter((d) => getComputedStyle(d).display !== 'none');
                     if (open.length !== 1) return false;
                     const menus = [...open[0].querySelectorAll('.el-cascader-menu')];
                     const node = [...(menus[level]?.querySelectorAll('.el-cascader-node') ?? [])]
                       .find((n) => n.textContent.trim() === name);
                     if (!node) return false; node.click(); return true;",
                    vec![level.into(), (*name).into()],
                )
                .await
                .unwrap();
            if clicked == serde_json::json!(true) {
                break;
            }
            assert!(Instant::now() < deadline, "{name} never offered for {path}");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }
    // The dropdown closes after the district is picked; the next picker opens its own.
    let deadline = Instant::now() + Duration::from_secs(10);
    while session
        .client
        .execute(
            "return [...document.querySelectorAll('.el-cascader__dropdown')]
               .some((d) => getComputedStyle(d).display !== 'none')",
            vec![],
        )
        .await
        .unwrap()
        == serde_json::json!(true)
    {
        assert!(
            Instant::now() < deadline,
            "the picker of {path} stayed open"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Hands `file` to the capture panel of `slot` through its file tab.
pub async fn attach(session: &Session, slot: &str, file: &Path) {
    let panel = format!("[data-test='slot-{slot}']");
    session
        .click(&format!("{panel} [data-test=capture-tab-file]"))
        .await;
    let input = session
        .client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(&format!("{panel} [data-test=file-input]")))
        .await
        .unwrap();
    input.send_keys(&file.display().to_string()).await.unwrap();
    session
        .wait_for_text(
            &format!("{panel} [data-test=capture-count]"),
            Duration::from_secs(30),
            |t| t.starts_with("1 /"),
        )
        .await;
}

/// Types `text` into the field at `path` of the wizard.
pub async fn fill(session: &Session, path: &str, text: &str) {
    session
        .type_into(&format!("[data-test='field-{path}']"), text)
        .await;
}

/// Types a date (`YYYY-MM-DD`) into the date picker at `path` and confirms it with Enter.
pub async fn date(session: &Session, path: &str, value: &str) {
    let css = format!("[data-test='field-{path}'] input");
    session.type_into(&css, value).await;
    session.type_into(&css, "\u{E007}").await;
}

/// Ticks the Element Plus checkbox at `data_test` the way its label does.
pub async fn tick(session: &Session, data_test: &str) {
    let ticked = session
        .client
        .execute(
            "const box = document.querySelector(arguments[0]); if (!box) return false; box.click(); return true;",
            vec![format!("[data-test='{data_test}']").into()],
        )
        .await
        .unwrap();
    assert_eq!(
        ticked,
        serde_json::Value::Bool(true),
        "{data_test} is there"
    );
}

/// Goes on to the next step of the wizard.
pub async fn next(session: &Session) {
    session.click("[data-test=wizard-next]").await;
}

/// Waits until the wizard shows step `key`.
pub async fn on_step(session: &Session, key: &str) {
    let shown = session
        .client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(&format!(
            "[data-test='step-{key}']:not([style*='display: none'])"
        )))
        .await;
    if let Err(error) = shown {
        let shot = session.screenshot(&format!("step-{key}-missing")).await;
        panic!(
            "step {key} never shown ({error}); screenshot {}",
            shot.display()
        );
    }
}

/// Sends the SMS code of `code_path`, reads it as the visitor would from the message the
/// platform sent (its outbox file) and verifies it.
pub async fn verify_sms(session: &Session, outbox: &Path, code_path: &str, phone: &str) {
    session
        .click(&format!("[data-test='sms-send-{code_path}']"))
        .await;
    let deadline = Instant::now() + Duration::from_secs(15);
    let code = loop {
        if let Ok(Some(code)) = platform::sms::outbox_latest_code(outbox, phone) {
            break code;
        }
        if Instant::now() >= deadline {
            // What the visitor saw: a problem under the field, "verify later", or nothing.
            let shot = session.screenshot("sms-code-missing").await;
            panic!("no code texted to {phone}; screenshot {}", shot.display());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    fill(session, code_path, &code).await;
    session
        .click(&format!("[data-test='sms-verify-{code_path}']"))
        .await;
    session
        .wait_for_text(
            &format!("[data-test='sms-verified-{code_path}']"),
            Duration::from_secs(15),
            |t| !t.is_empty(),
        )
        .await;
}

/// Submits the summary and waits for the receipt; returns the application number.
pub async fn submit(session: &Session, name: &str) -> String {
    session.click("[data-test=wizard-submit]").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
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
            session.screenshot(&format!("{name}-done")).await;
            return number;
        }
        if Instant::now() >= deadline || !state[1].is_null() {
            let shot = session.screenshot(&format!("{name}-not-submitted")).await;
            panic!("not submitted: {state}; screenshot {}", shot.display());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
