//! The single writer: one thread owns the write connection and runs jobs one at a time.
//!
//! Jobs arrive over a channel; each gets its answer back over a `tokio` oneshot channel, which
//! sync callers await with a blocking receive and async callers with `.await`, so an async
//! runtime is never blocked and writes never race.

use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::StoreError;

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// Handle to the writer thread.
#[derive(Debug)]
pub(crate) struct Writer {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts the writer thread, which takes ownership of `conn`.
    pub(crate) fn start(mut conn: Connection) -> Result<Self, StoreError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("kiosk-store-writer".into())
            .spawn(move || {
                for job in queue {
                    // A panicking job (a bug) must not take the writer down with it: its open
                    // transaction rolls back on unwind and its caller gets `WriterGone`.
                    let run = std::panic::AssertUnwindSafe(|| job(&mut conn));
                    if std::panic::catch_unwind(run).is_err() {
                        log::error!("a database write job panicked; it was rolled back");
                    }
                }
            })
            .map_err(|e| StoreError::io("kiosk-store-writer thread", e))?;
        Ok(Self {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Queues `job` for the writer thread; `deliver` receives its result there.
    fn submit<T, F, D>(&self, job: F, deliver: D) -> Result<(), StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
        D: FnOnce(Result<T, StoreError>) + Send + 'static,
    {
        let boxed: Job = Box::new(move |conn| deliver(job(conn)));
        self.jobs
            .as_ref()
            .ok_or(StoreError::WriterGone)?
            .send(boxed)
            .map_err(|_| StoreError::WriterGone)
    }

    /// Runs `job` on the writer thread and waits for it. Blocking, but safe anywhere: on a
    /// tokio worker thread it holds that worker for the length of one short write (a std
    /// channel, unlike tokio's `blocking_recv`, does not refuse to wait inside a runtime).
    pub(crate) fn run<T, F>(&self, job: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = std::sync::mpsc::sync_channel(1);
        // The caller may have given up waiting; then nobody needs the answer.
        self.submit(job, move |result| {
            let _ = reply.send(result);
        })?;
        answer.recv().map_err(|_| StoreError::WriterGone)?
    }

    /// Runs `job` on the writer thread; the future resolves when it is done.
    pub(crate) async fn run_async<T, F>(&self, job: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.submit(job, move |result| {
            let _ = reply.send(result);
        })?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop once queued jobs are done.
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            log::error!("the database writer thread panicked");
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_job_is_reported_and_the_writer_keeps_working() {
        let writer = Writer::start(Connection::open_in_memory().unwrap()).unwrap();
        writer
            .run(|c| Ok(c.execute_batch("CREATE TABLE t (x INTEGER)")?))
            .unwrap();
        let failed: Result<(), StoreError> = writer.run(|c| {
            let tx = c.transaction()?;
            tx.execute("INSERT INTO t VALUES (1)", [])?;
            panic!("bug in a job");
        });
        assert!(matches!(failed, Err(StoreError::WriterGone)), "{failed:?}");
        let rows: i64 = writer
            .run(|c| Ok(c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(rows, 0, "the panicking job's transaction was rolled back");
    }

    #[tokio::test]
    async fn async_jobs_are_answered_without_blocking() {
        let writer = Writer::start(Connection::open_in_memory().unwrap()).unwrap();
        let answer = writer
            .run_async(|c| Ok(c.query_row("SELECT 41 + 1", [], |r| r.get::<_, i64>(0))?))
            .await
            .unwrap();
        assert_eq!(answer, 42);
    }
}
