//! Rounds of a sync engine until its outbox holds nothing waiting (a test's and a benchmark's
//! loop; the app's worker paces its own rounds).

use std::time::Duration;

use kiosk_sync::{Outbox, RoundReport, SyncEngine, SyncError};

/// Rounds until the outbox holds nothing waiting (sleeping until retries fall due), or until
/// `deadline` passes; the reports summed.
pub async fn drain<O: Outbox>(
    engine: &SyncEngine<O>,
    outbox: &dyn Outbox,
    pause: Duration,
    deadline: Duration,
) -> Result<RoundReport, SyncError> {
    let stop = tokio::time::Instant::now() + deadline;
    let mut total = RoundReport::default();
    loop {
        let r = engine.run_once().await?;
        total.delivered += r.delivered;
        total.refused += r.refused;
        total.retried += r.retried;
        total.status_events += r.status_events;
        total.master_updated += r.master_updated;
        if outbox.waiting()? == 0 || tokio::time::Instant::now() >= stop {
            return Ok(total);
        }
        tokio::time::sleep(pause.min(Duration::from_millis(500))).await;
    }
}
