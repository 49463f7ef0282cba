//! The reader code against the simulated reader on a real pseudo-terminal: the serial line
//! set-up, the frames, every failure the simulator can produce, and the photo decoder
//! loaded from a real shared library.

use std::path::Path;
use std::time::{Duration, Instant};

use kiosk_capture::id_reader::detect::{self, DetectConfig, PortKind, ProbeCache, ReaderState};
use kiosk_capture::id_reader::{IdReader, Timeouts, WltDecoder};
use kiosk_core::id_card::ChipCardKind;
use kiosk_core::problem::UserFacing;
use kiosk_testkit::idcard_sim::{Delays, Fault, IdCardSim, SimCard, SimConfig, photo_block};

fn quick() -> Timeouts {
    Timeouts {
        command: Duration::from_millis(400),
        read: Duration::from_millis(800),
        total: Duration::from_millis(2000),
    }
}

fn open(sim: &IdCardSim) -> IdReader<kiosk_capture::id_reader::SerialPort> {
    IdReader::open(sim.path(), quick()).expect("the pty opens as a serial port")
}

#[test]
fn every_kind_of_card_is_read_through_the_pty() {
    let sim = IdCardSim::with_cards(&["zhang-san", "foreign-2023", "foreign-2017", "permit-hk"]);
    let mut reader = open(&sim);
    let expected = [
        (ChipCardKind::ResidentId, "11010519491231002X"),
        (
            ChipCardKind::ForeignPermanentResidence2023,
            "911840198506210010",
        ),
        (
            ChipCardKind::ForeignPermanentResidence2017,
            "USA110085062101",
        ),
        (ChipCardKind::ResidencePermit, "810000199408230021"),
    ];
    for (i, (kind, number)) in expected.into_iter().enumerate() {
        if i > 0 {
            assert!(sim.place_next());
        }
        let read = reader.read_card().expect("a card lies on the reader");
        assert_eq!(read.card.kind, kind);
        assert_eq!(read.card.number, number);
        assert_eq!(
            read.photo_wlt,
            photo_block(1),
            "the photo block arrives intact"
        );
    }
    let zhang = {
        sim.place(SimCard::preset("zhang-san").unwrap());
        reader.read_card().unwrap().card
    };
    assert_eq!(zhang.name, "张三");
    assert_eq!(zhang.valid_until, "长期");
    assert_eq!(zhang.ethnicity_code.as_deref(), Some("01"));
    assert_eq!(
        &sim.commands()[..3],
        [(0x20, 0x01), (0x20, 0x02), (0x30, 0x01)],
        "find, select, read"
    );
}

#[test]
fn an_empty_reader_and_a_card_lifted_midway_are_told_apart() {
    let sim = IdCardSim::start(SimConfig {
        cards: vec![SimCard::preset("li-si").unwrap()],
        start_empty: true,
        ..SimConfig::default()
    });
    let mut reader = open(&sim);
    assert!(!reader.card_present().unwrap());
    assert_eq!(reader.read_card().unwrap_err().code(), "ID_READER_NO_CARD");
    assert!(sim.place_next());
    assert!(reader.card_present().unwrap());
    sim.set_fault(Fault::RemovedAfterSelect);
    assert_eq!(
        reader.read_card().unwrap_err().code(),
        "ID_READER_CARD_REMOVED"
    );
    assert!(!reader.card_present().unwrap(), "the card is gone");
}

#[test]
fn checksums_silence_garbage_and_reader_failures_have_their_codes() {
    let sim = IdCardSim::with_cards(&["li-si"]);
    let mut reader = open(&sim);

    sim.set_fault(Fault::BadChecksumOnce);
    assert_eq!(
        reader.read_card().unwrap().card.number,
        "110101199003071233",
        "one garbled answer is asked again"
    );
    sim.set_fault(Fault::BadChecksum);
    assert_eq!(reader.read_card().unwrap_err().code(), "ID_READER_CHECKSUM");

    sim.set_fault(Fault::Garbage);
    assert_eq!(
        reader.read_card().unwrap().card.name,
        "李四",
        "noise before the answers is skipped"
    );

    sim.set_fault(Fault::WrongCard);
    assert_eq!(
        reader.read_card().unwrap_err().code(),
        "ID_READER_WRONG_CARD"
    );
    sim.set_fault(Fault::SamFailure);
    assert_eq!(reader.sam_id().unwrap_err().code(), "ID_READER_SELF_TEST");

    sim.set_fault(Fault::Silent);
    let started = Instant::now();
    let silent = reader.read_card().unwrap_err();
    assert_eq!(silent.code(), "ID_READER_TIMEOUT");
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "the find command's own timeout, not more: {:?}",
        started.elapsed()
    );
}

#[test]
fn the_whole_read_is_bounded() {
    let sim = IdCardSim::start(SimConfig {
        cards: vec![SimCard::preset("zhang-san").unwrap()],
        delays: Delays {
            find_ms: 300,
            select_ms: 300,
            read_ms: 300,
        },
        ..SimConfig::default()
    });
    let mut reader = IdReader::open(
        sim.path(),
        Timeouts {
            command: Duration::from_millis(500),
            read: Duration::from_millis(500),
            total: Duration::from_millis(700),
        },
    )
    .unwrap();
    let started = Instant::now();
    let error = reader.read_card().unwrap_err();
    assert_eq!(error.code(), "ID_READER_TIMEOUT");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(650) && took < Duration::from_millis(1000),
        "stopped at the total bound: {took:?}"
    );
}

#[test]
fn a_second_program_finds_the_port_busy_and_unplugging_is_reported() {
    let mut sim = IdCardSim::with_cards(&["zhang-san"]);
    let mut reader = open(&sim);
    let busy = IdReader::open(sim.path(), quick()).unwrap_err();
    assert_eq!(busy.code(), "ID_READER_PORT_BUSY");
    assert!(reader.card_present().unwrap());
    sim.unplug();
    let gone = reader.read_card().unwrap_err();
    assert_eq!(gone.code(), "ID_READER_UNPLUGGED", "{gone:?}");
    let missing = IdReader::open(Path::new("/dev/ttyUSB-nonexistent"), quick()).unwrap_err();
    assert_eq!(missing.code(), "ID_READER_NOT_FOUND");
    let not_serial = IdReader::open(Path::new("/dev/null"), quick()).unwrap_err();
    assert_eq!(not_serial.code(), "ID_READER_NOT_SERIAL");
}

#[test]
fn a_configured_pty_is_probed_and_listed_ready() {
    let sim = IdCardSim::with_cards(&[]);
    let config = DetectConfig {
        dev_dir: "/nonexistent/dev".into(),
        sys_dir: "/nonexistent/sys".into(),
        configured: vec![sim.path().to_path_buf()],
        ..DetectConfig::default()
    };
    let mut cache = ProbeCache::default();
    let list = detect::list(&config, &mut cache);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].kind, PortKind::Configured);
    assert_eq!(list[0].state, ReaderState::Ready, "{:?}", list[0].problem);
    assert_eq!(
        list[0].sam_id.as_deref(),
        Some("050001001A2B3C4D0102030405060708")
    );
    let probes = sim.commands().len();
    let again = detect::list(&config, &mut cache);
    assert_eq!(again, list);
    assert_eq!(sim.commands().len(), probes, "the cached result is reused");

    let silent = IdCardSim::start(SimConfig {
        fault: Fault::Silent,
        ..SimConfig::default()
    });
    let config = DetectConfig {
        configured: vec![silent.path().to_path_buf()],
        probe_timeout: Duration::from_millis(150),
        ..config
    };
    let list = detect::list(&config, &mut ProbeCache::default());
    assert_eq!(list[0].state, ReaderState::NoAnswer);
}

#[test]
fn the_photo_goes_through_a_real_shared_library() {
    let dir = tempfile::tempdir().unwrap();
    let library = kiosk_testkit::idcard_sim::fake_wlt_decoder(dir.path());
    let decoder = WltDecoder::load(&library).unwrap();
    let wlt = photo_block(9);
    let portrait = decoder.decode(&wlt).unwrap();
    assert_eq!(portrait.dimensions(), (102, 126));
    assert_eq!(portrait.get_pixel(10, 20).0, [10, 20, wlt[30]]);
    let png = decoder.decode_png(&wlt).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert_eq!(
        decoder.decode(&wlt[..100]).unwrap_err().code(),
        "ID_PHOTO_UNREADABLE"
    );
    let found = WltDecoder::find(&WltDecoder::candidates(
        None,
        Some(library.display().to_string()),
    ))
    .unwrap();
    assert_eq!(found.path(), library);
}
