//! Table tests of the sync plan: each row is a situation and the plan expected for it.

use super::*;
use crate::client::AttachmentRef;
use crate::outbox::OutgoingAttachment;
use crate::trust::TrustError;

fn ids(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

fn upload(id: &str) -> Step {
    Step::Upload { id: id.to_owned() }
}

fn pull(name: &str, etag: Option<&str>) -> Step {
    Step::PullMaster {
        name: name.to_owned(),
        etag: etag.map(str::to_owned),
    }
}

fn reason(code: &str) -> PlatformReason {
    PlatformReason {
        code: code.into(),
        zh: "中".into(),
        en: "en".into(),
    }
}

fn view<'a>(
    recovered: bool,
    due: &'a [String],
    feed: Feed,
    master: &'a [(String, Option<String>)],
) -> RoundView<'a> {
    RoundView {
        recovered,
        due,
        feed,
        master,
    }
}

#[test]
fn a_round_recovers_then_uploads_then_reads_the_feed_then_master_data() {
    let due = ids(&["a", "b", "c"]);
    let master = [
        ("industries".to_owned(), Some("\"e1\"".to_owned())),
        ("legal-entity-natures".to_owned(), None),
    ];
    let limits = RoundLimits { batch: 2 };
    let (due, master) = (&due[..], &master[..]);
    let rows: Vec<(&str, RoundView<'_>, Vec<Step>)> = vec![
        (
            "a round starts by putting back what a crash left in flight",
            view(false, due, Feed::From(0), master),
            vec![Step::RecoverInterrupted],
        ),
        (
            "due entries go first, oldest first, one batch at a time",
            view(true, due, Feed::From(0), master),
            vec![upload("a"), upload("b")],
        ),
        (
            "nothing due: the feed from its stored cursor",
            view(true, &[], Feed::From(41), master),
            vec![Step::PollFeed {
                after: 41,
                limit: FEED_PAGE,
            }],
        ),
        (
            "feed read: every wanted dataset, conditional on its ETag",
            view(true, &[], Feed::Done, master),
            vec![
                pull("industries", Some("\"e1\"")),
                pull("legal-entity-natures", None),
            ],
        ),
        (
            "all done: the round is over",
            view(true, &[], Feed::Done, &[]),
            vec![],
        ),
    ];
    for (situation, view, expected) in rows {
        assert_eq!(plan_round(&view, limits), expected, "{situation}");
    }
    let zero = RoundLimits { batch: 0 };
    assert_eq!(
        plan_round(&view(true, due, Feed::Done, &[]), zero),
        vec![upload("a")],
        "a batch of 0 still moves the queue"
    );
}

fn outgoing(attempts: u32, blobs: &[&str]) -> Outgoing {
    Outgoing {
        id: "app".into(),
        sealed_payload: vec![1, 2, 3],
        attachments: blobs
            .iter()
            .map(|sha| OutgoingAttachment {
                reference: AttachmentRef {
                    slot: "id-front".into(),
                    sha256: (*sha).to_owned(),
                    size: 3,
                    media_type: "image/jpeg".into(),
                },
                sealed: vec![0; 3],
            })
            .collect(),
        attempts,
    }
}

fn blob(attachment: usize, start: BlobStart) -> UploadStep {
    UploadStep::SendBlob { attachment, start }
}

#[test]
fn an_upload_sends_attachments_first_resuming_only_on_a_retry() {
    let rows = [
        (
            "no attachments: just the submission",
            outgoing(1, &[]),
            vec![UploadStep::Submit],
        ),
        (
            "first attempt: blobs from byte 0, no round trip to ask",
            outgoing(1, &["s1", "s1"]),
            vec![
                blob(0, BlobStart::FromZero),
                blob(1, BlobStart::FromZero),
                UploadStep::Submit,
            ],
        ),
        (
            "a retry (maybe after a crash mid-upload): ask and resume",
            outgoing(2, &["s1"]),
            vec![blob(0, BlobStart::Resume), UploadStep::Submit],
        ),
        (
            "an item recovered without a counted attempt starts from zero",
            outgoing(0, &["s1"]),
            vec![blob(0, BlobStart::FromZero), UploadStep::Submit],
        ),
    ];
    for (situation, item, expected) in rows {
        assert_eq!(plan_upload(&item), expected, "{situation}");
    }
}

/// A situation, what the platform holds, the blob's size, the chunk size, the chunks sent.
type ChunkRow = (
    &'static str,
    Option<u64>,
    usize,
    usize,
    &'static [(usize, usize)],
);

#[test]
fn blob_chunks_resume_at_the_platforms_offset() {
    let rows: [ChunkRow; 7] = [
        ("the platform holds it all", None, 10, 4, &[]),
        ("from zero", Some(0), 10, 4, &[(0, 4), (4, 8), (8, 10)]),
        ("resume mid-blob", Some(6), 10, 4, &[(6, 10)]),
        ("resume at a chunk edge", Some(8), 10, 4, &[(8, 10)]),
        (
            "an offset at the end starts again",
            Some(10),
            10,
            4,
            &[(0, 4), (4, 8), (8, 10)],
        ),
        (
            "an offset past the end starts again",
            Some(u64::MAX),
            3,
            4,
            &[(0, 3)],
        ),
        ("an empty blob sends nothing", Some(0), 0, 4, &[]),
    ];
    let pairs = |ranges: Vec<Range<usize>>| -> Vec<(usize, usize)> {
        ranges.into_iter().map(|r| (r.start, r.end)).collect()
    };
    for (situation, held, total, chunk, expected) in rows {
        assert_eq!(
            pairs(blob_chunks(held, total, chunk)),
            expected,
            "{situation}"
        );
    }
    assert_eq!(
        pairs(blob_chunks(Some(0), 3, 0)),
        [(0, 1), (1, 2), (2, 3)],
        "chunk 0 is 1"
    );
}

/// A situation, the upload's outcome, attempts, jitter, the settlement expected.
type SettleRow = (
    &'static str,
    Result<Receipt, SyncError>,
    u32,
    f64,
    Settlement,
);

#[test]
fn an_outcome_settles_as_delivered_give_up_or_retry_backed_off() {
    let backoff = Backoff {
        base: Duration::from_secs(1),
        cap: Duration::from_secs(10),
    };
    let receipt = Receipt {
        id: "a".into(),
        receipt: "R1".into(),
        state: "accepted".into(),
        reason: None,
        received_at: 0,
    };
    let transient = || SyncError::Transient("reset".into());
    let retry = |at_ms, error| Settlement::RetryAt { at_ms, error };
    let refused = SyncError::Refused(reason("PAYLOAD_UNREADABLE"));
    let throttled = SyncError::Throttled(reason("TOO_MANY"));
    let forged = SyncError::Untrusted(TrustError::Forged);
    let unauthorised = SyncError::Unauthorised(reason("SIGNATURE_STALE"));
    let rows: Vec<SettleRow> = vec![
        (
            "a receipt: delivered",
            Ok(receipt.clone()),
            1,
            0.5,
            Settlement::Delivered(receipt),
        ),
        (
            "refused on content: give up, a person decides",
            Err(refused),
            1,
            0.5,
            Settlement::GiveUp(reason("PAYLOAD_UNREADABLE")),
        ),
        (
            "offline after the first attempt: base delay, full jitter",
            Err(transient()),
            1,
            1.0,
            retry(1_001_000, transient()),
        ),
        (
            "third attempt: 4x, jitter floor is half",
            Err(transient()),
            3,
            0.0,
            retry(1_002_000, transient()),
        ),
        (
            "many attempts: capped",
            Err(throttled.clone()),
            40,
            1.0,
            retry(1_010_000, throttled),
        ),
        (
            "a forged or stale answer is not a delivery: retry",
            Err(forged.clone()),
            2,
            1.0,
            retry(1_002_000, forged),
        ),
        (
            "the platform does not accept the kiosk (clock, revoked): retry",
            Err(unauthorised.clone()),
            1,
            1.0,
            retry(1_001_000, unauthorised),
        ),
        (
            "attempt 0 counts as the first",
            Err(transient()),
            0,
            1.0,
            retry(1_001_000, transient()),
        ),
    ];
    for (situation, outcome, attempts, jitter, expected) in rows {
        assert_eq!(
            settle(outcome, attempts, &backoff, jitter, 1_000_000),
            expected,
            "{situation}"
        );
    }
    assert_eq!(
        settle(Err(transient()), 1, &backoff, 1.0, i64::MAX - 5),
        retry(i64::MAX, transient()),
        "no overflow at the end of time"
    );
}

#[test]
fn failures_end_the_round_only_when_the_kiosk_itself_fails() {
    let feed = Step::PollFeed {
        after: 0,
        limit: FEED_PAGE,
    };
    let master = pull("industries", None);
    let rows = [
        (
            "the feed offline: note it, next round",
            &feed,
            SyncError::Transient("down".into()),
            AfterFailure::NoteAndEndPhase,
        ),
        (
            "the feed's answer forged: note it, next round",
            &feed,
            SyncError::Untrusted(TrustError::Forged),
            AfterFailure::NoteAndEndPhase,
        ),
        (
            "the feed refused on content: the round fails",
            &feed,
            SyncError::Refused(reason("BAD_CURSOR")),
            AfterFailure::Abort,
        ),
        (
            "a dataset the platform does not serve: keep the shipped copy",
            &master,
            SyncError::Refused(reason(DATASET_UNKNOWN)),
            AfterFailure::Skip,
        ),
        (
            "master data throttled: note it, next round",
            &master,
            SyncError::Throttled(reason("SLOW_DOWN")),
            AfterFailure::NoteAndEndPhase,
        ),
        (
            "master data refused otherwise: the round fails",
            &master,
            SyncError::Refused(reason("NOPE")),
            AfterFailure::Abort,
        ),
        (
            "the queue failed while recovering: the round fails",
            &Step::RecoverInterrupted,
            SyncError::Store("disk".into()),
            AfterFailure::Abort,
        ),
        (
            "a sealed-locally item: the round fails (enrol first)",
            &upload("a"),
            SyncError::NotEnrolled("sealed locally".into()),
            AfterFailure::Abort,
        ),
    ];
    for (situation, step, error, expected) in rows {
        assert_eq!(on_failure(step, &error), expected, "{situation}");
    }
}

#[test]
fn a_worker_pass_probes_then_rounds_and_beats_when_due() {
    use PassStep::{Heartbeat, Probe, Round};
    let pace = Pace {
        poll: Duration::from_secs(15),
        round_every: Duration::from_secs(120),
        heartbeat_every: Duration::from_secs(60),
        backoff: Backoff::default(),
    };
    let secs = |s| Some(Duration::from_secs(s));
    let base = PassView {
        enrolled: true,
        forced: false,
        work_due: false,
        since_round: secs(10),
        since_heartbeat: secs(10),
    };
    let rows = [
        (
            "not enrolled: nothing to do",
            PassView {
                enrolled: false,
                forced: true,
                work_due: true,
                ..base
            },
            vec![],
        ),
        ("idle and recent: only the probe", base, vec![Probe]),
        (
            "just started: round and heartbeat",
            PassView {
                since_round: None,
                since_heartbeat: None,
                ..base
            },
            vec![Probe, Round, Heartbeat],
        ),
        (
            "sync now",
            PassView {
                forced: true,
                ..base
            },
            vec![Probe, Round],
        ),
        (
            "work due",
            PassView {
                work_due: true,
                ..base
            },
            vec![Probe, Round],
        ),
        (
            "the feed and master data are pulled every two minutes",
            PassView {
                since_round: secs(120),
                ..base
            },
            vec![Probe, Round],
        ),
        (
            "a heartbeat a minute",
            PassView {
                since_heartbeat: secs(60),
                ..base
            },
            vec![Probe, Heartbeat],
        ),
    ];
    for (situation, view, expected) in rows {
        assert_eq!(plan_pass(&view, &pace), expected, "{situation}");
    }
    let rows = [
        ("online: poll", 0, 0.3, Duration::from_secs(15)),
        (
            "one failure: base, full jitter",
            1,
            1.0,
            Duration::from_secs(2),
        ),
        (
            "three failures: 8 s at full jitter",
            3,
            1.0,
            Duration::from_secs(8),
        ),
        (
            "three failures: half at no jitter",
            3,
            0.0,
            Duration::from_secs(4),
        ),
        ("long offline: capped", 30, 1.0, Duration::from_secs(300)),
    ];
    for (situation, failures, jitter, expected) in rows {
        assert_eq!(pause(failures, jitter, &pace), expected, "{situation}");
    }
}

#[test]
fn the_plan_does_no_io_and_reads_no_clock() {
    let source = include_str!("plan.rs");
    for forbidden in [
        "tokio",
        "reqwest",
        "std::fs",
        "std::net",
        "SystemTime",
        "Instant",
        "now_ms()",
        "random_jitter",
        "getrandom",
        "crate::client::PlatformClient",
    ] {
        assert!(!source.contains(forbidden), "plan.rs uses {forbidden}");
    }
}
