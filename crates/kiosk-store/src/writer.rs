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
                    job(&mut conn);
                }
            })
            .map_err(|e| StoreError::io("kiosk-store-writer thread", e))?;
        Ok(Self {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    fn submit<T, F>(&self, job: F) -> Result<oneshot::Receiver<Result<T, StoreError>>, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let boxed: Job = Box::new(move |conn| {
            // The caller may have given up waiting; then nobody needs the answer.
            let _ = reply.send(job(conn));
        });
        self.jobs
            .as_ref()
            .ok_or(StoreError::WriterGone)?
            .send(boxed)
            .map_err(|_| StoreError::WriterGone)?;
        Ok(answer)
    }

    /// Runs `job` on the writer thread and waits for it (blocking: not for async contexts).
    pub(crate) fn run<T, F>(&self, job: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.submit(job)?
            .blocking_recv()
            .map_err(|_| StoreError::WriterGone)?
    }

    /// Runs `job` on the writer thread; the future resolves when it is done.
    pub(crate) async fn run_async<T, F>(&self, job: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.submit(job)?
            .await
            .map_err(|_| StoreError::WriterGone)?
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
