//! A real `platformd`, in process, on a free loopback port, with its own data directory.
//!
//! Kiosk-side tests (store sync, export, doctor, the CLI, the updater) talk to it over HTTP
//! exactly as a kiosk in a hall talks to the provincial platform.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use platform::{Platform, PlatformConfig, SystemClock};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running platform; stopped by [`Loopback::stop`] or, without waiting, when dropped.
#[derive(Debug)]
pub struct Loopback {
    /// The platform itself, for issuing enrolment codes and looking at what it holds.
    pub platform: Arc<Platform>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    dir: tempfile::TempDir,
}

impl Loopback {
    /// Starts a platform with a fresh data directory on the current tokio runtime.
    pub async fn start() -> Self {
        Self::start_with_clock(Arc::new(SystemClock::default())).await
    }

    /// [`Loopback::start`] with the platform reading time from `clock` (tests that let minutes
    /// pass on the platform, e.g. for SMS codes to expire).
    pub async fn start_with_clock(clock: Arc<dyn platform::Clock>) -> Self {
        Self::start_with(clock, |p| p).await
    }

    /// A platform whose real-name checks answer at any hour (the simulated population
    /// database's 08:00-18:00 would make tests depend on when they run), reading time from
    /// `clock`.
    pub async fn start_all_day(clock: Arc<dyn platform::Clock>) -> Self {
        Self::start_with(clock, |p| {
            p.with_population_hours(platform::checks::ServiceHours {
                opens: 0,
                closes: 24 * 60,
            })
        })
        .await
    }

    /// [`Loopback::start_with_clock`], with the platform configured by `configure`.
    pub async fn start_with(
        clock: Arc<dyn platform::Clock>,
        configure: impl FnOnce(Platform) -> Platform,
    ) -> Self {
        let (platform, dir) = open_configured(clock, configure);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(platform::serve(
            Arc::clone(&platform),
            listener,
            async move {
                let _ = stopped.await;
            },
        ));
        Self {
            platform,
            addr,
            stop: Some(stop),
            task: Some(task),
            dir,
        }
    }

    /// Like [`Loopback::start`], but the platform runs on its own runtime and OS threads, as
    /// a separate server process would: its request handling never shares a scheduler with
    /// the kiosk under test (benchmarks compare the kiosk with curl on equal terms this way).
    pub async fn start_detached() -> Self {
        let (platform, dir) = open();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let (stop, stopped) = oneshot::channel::<()>();
        let served = Arc::clone(&platform);
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("platform runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                platform::serve(served, listener, async move {
                    let _ = stopped.await;
                })
                .await
            })
        });
        let task = tokio::task::spawn_blocking(move || {
            thread
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("platform thread panicked")))
        });
        Self {
            platform,
            addr,
            stop: Some(stop),
            task: Some(task),
            dir,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address, for a proxy to forward to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The platform's data directory (its database, blobs and update folder).
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// A one-time enrolment code for a kiosk called `kiosk`.
    pub fn enrolment_code(&self, kiosk: &str) -> String {
        self.platform
            .issue_enrolment_code(kiosk)
            .expect("issue an enrolment code")
    }

    /// Stops the server and waits until it has let go of its port.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// A running platform is used like the platform it serves.
impl std::ops::Deref for Loopback {
    type Target = Arc<Platform>;

    fn deref(&self) -> &Arc<Platform> {
        &self.platform
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn open() -> (Arc<Platform>, tempfile::TempDir) {
    open_configured(Arc::new(SystemClock::default()), |p| p)
}

fn open_configured(
    clock: Arc<dyn platform::Clock>,
    configure: impl FnOnce(Platform) -> Platform,
) -> (Arc<Platform>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("platform data dir");
    let platform = Platform::open(
        &PlatformConfig {
            data_dir: dir.path().to_path_buf(),
        },
        clock,
    )
    .expect("open the platform");
    (Arc::new(configure(platform)), dir)
}
