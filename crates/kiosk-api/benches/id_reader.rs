//! Read-to-form time with the simulated reader: from the moment a card is laid on the reader
//! (the simulator flips to "card present") to the mapped field list being returned, through
//! the same functions the app uses — the watcher that polls "find card" every 300 ms and
//! reports the card, then `read_for_form` (find, select, read text and photo, decode, map onto
//! MOST's natural-person form). The webview's IPC round trip is not included.
//!
//! `cargo bench -p kiosk-api --bench id_reader` — once with the simulator answering at once,
//! once with a real reader's timing (find 20 ms, select 30 ms, read 800 ms).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kiosk_api::capture::id_reader::{
    self, ApplicationKind, DetectConfig, FormTarget, IdReaders, PersonRole, ReaderTimeouts,
};
use kiosk_testkit::idcard_sim::{Delays, IdCardSim, SimCard, SimConfig};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn run(name: &str, delays: Delays, rounds: usize) {
    let sim = IdCardSim::start(SimConfig {
        start_empty: true,
        delays,
        ..SimConfig::default()
    });
    let readers = Arc::new(IdReaders::new(
        DetectConfig {
            dev_dir: "/nonexistent/dev".into(),
            sys_dir: "/nonexistent/sys".into(),
            configured: vec![sim.path().to_path_buf()],
            ..DetectConfig::default()
        },
        Vec::new(),
    ));
    let (tx, rx) = mpsc::channel();
    id_reader::watch_start(
        &readers,
        None,
        Box::new(move |presence| {
            let _ = tx.send((Instant::now(), presence));
        }),
    );
    let target = FormTarget {
        profile: "most",
        kind: ApplicationKind::NaturalPerson,
        role: PersonRole::Person,
    };
    let card = SimCard::preset("zhang-san").unwrap();
    let wait_for = |present: bool| loop {
        let (at, presence) = rx
            .recv_timeout(Duration::from_secs(5))
            .expect("watcher event");
        if presence.present == present && presence.problem.is_none() {
            return at;
        }
    };
    wait_for(false);
    let mut total = Vec::new();
    let mut noticed = Vec::new();
    for round in 0..rounds {
        // Lay the card at a random point of the watcher's 300 ms cycle.
        std::thread::sleep(Duration::from_millis(37 * (round as u64 % 8)));
        sim.place(card.clone());
        let placed = sim.placed_at().unwrap();
        let seen = wait_for(true);
        let form = id_reader::read_for_form(
            &readers,
            None,
            Some(target),
            ReaderTimeouts::default(),
            1_795_451_400_000,
        )
        .expect("read");
        let done = Instant::now();
        assert_eq!(form.fill.as_ref().unwrap().fields.len(), 8);
        total.push(done - placed);
        noticed.push(seen - placed);
        sim.remove();
        wait_for(false);
    }
    id_reader::watch_stop(&readers);
    total.sort();
    noticed.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<34} {rounds:>3} reads: placed→fields median {:>6.0} ms, p90 {:>6.0} ms, max {:>6.0} ms \
         (card noticed after median {:.0} ms, max {:.0} ms)",
        ms(percentile(&total, 0.5)),
        ms(percentile(&total, 0.9)),
        ms(*total.last().unwrap()),
        ms(percentile(&noticed, 0.5)),
        ms(*noticed.last().unwrap()),
    );
}

fn main() {
    run("simulator without delays", Delays::default(), 24);
    run(
        "simulator with a real reader's timing",
        Delays::REALISTIC,
        16,
    );
}
