//! What the real-process tests share: running `kioskctl`, an in-process platformd on
//! loopback, and a TCP proxy between the two that can slow the link or swallow answers.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Deterministic pseudo-random bytes.
pub use kiosk_testkit::noise::bytes;

/// `kioskctl --data-dir DATA ARGS…` with piped output.
pub fn kioskctl(data_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kioskctl"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KIOSK_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Exit code and output, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Waits for `child` to exit, up to `limit`; kills it (SIGKILL) if it does not.
pub async fn wait_until(mut child: Child, limit: Duration) -> Output {
    let until = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    child.wait_with_output().unwrap()
}

/// A real platformd serving on 127.0.0.1 (a free port).
pub use kiosk_testkit::platformd::Loopback as RunningPlatform;

/// How the [`Proxy`] treats the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Link {
    /// Forwards both ways at full speed.
    Normal = 0,
    /// Forwards kiosk → platform at ~1.5 MB/s (16 KiB slices, 10 ms apart).
    Slow = 1,
    /// Forwards everything, but once a connection carried `POST /api/v1/submissions` the
    /// platform's answers on it never reach the kiosk: the platform has the application, the
    /// kiosk never hears so.
    SubmitAnswersLost = 2,
    /// Closes connections whose request is not a `GET` (uploads fail; the status feed works).
    GetOnly = 3,
}

/// A TCP proxy kiosk → platform whose [`Link`] can change while it runs.
#[derive(Clone)]
pub struct Proxy {
    /// Where the kiosk connects.
    pub addr: std::net::SocketAddr,
    link: Arc<AtomicU8>,
}

const SLICE: usize = 16 * 1024;
const SLICE_PAUSE: Duration = Duration::from_millis(10);

impl Proxy {
    /// Starts a proxy to `upstream` with the link set to `link`.
    pub async fn start(upstream: std::net::SocketAddr, link: Link) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(AtomicU8::new(link as u8));
        let shared = Arc::clone(&state);
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                tokio::spawn(forward(inbound, upstream, Arc::clone(&shared)));
            }
        });
        Self { addr, link: state }
    }

    /// Changes the link for new reads (connections already open follow too).
    pub fn set(&self, link: Link) {
        self.link.store(link as u8, Ordering::Relaxed);
    }

    fn is(link: &AtomicU8, which: Link) -> bool {
        link.load(Ordering::Relaxed) == which as u8
    }
}

async fn forward(inbound: TcpStream, upstream: std::net::SocketAddr, link: Arc<AtomicU8>) {
    let (mut ir, mut iw) = inbound.into_split();
    let mut first = vec![0u8; SLICE];
    let Ok(n) = ir.read(&mut first).await else {
        return;
    };
    if n == 0 || (Proxy::is(&link, Link::GetOnly) && !first.starts_with(b"GET ")) {
        return; // dropping both halves closes the kiosk's connection
    }
    let Ok(outbound) = TcpStream::connect(upstream).await else {
        return;
    };
    let (mut or, mut ow) = outbound.into_split();
    // Set before a submission is forwarded, so its answer is dropped.
    let answers_lost = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let submitted = |chunk: &[u8], link: &AtomicU8, lost: &std::sync::atomic::AtomicBool| {
        if Proxy::is(link, Link::SubmitAnswersLost)
            && chunk.starts_with(b"POST /api/v1/submissions")
        {
            lost.store(true, Ordering::SeqCst);
        }
    };
    submitted(&first[..n], &link, &answers_lost);
    if ow.write_all(&first[..n]).await.is_err() {
        return;
    }
    let up_link = Arc::clone(&link);
    let up_lost = Arc::clone(&answers_lost);
    let up = async move {
        let mut buf = vec![0u8; SLICE];
        while let Ok(n) = ir.read(&mut buf).await {
            if n == 0 {
                break;
            }
            submitted(&buf[..n], &up_link, &up_lost);
            if ow.write_all(&buf[..n]).await.is_err() {
                break;
            }
            if Proxy::is(&up_link, Link::Slow) {
                tokio::time::sleep(SLICE_PAUSE).await;
            }
        }
        let _ = ow.shutdown().await;
    };
    let down = async move {
        let mut buf = vec![0u8; SLICE];
        while let Ok(n) = or.read(&mut buf).await {
            if n == 0 {
                break;
            }
            if answers_lost.load(Ordering::SeqCst) {
                continue; // read and dropped: the kiosk waits for an answer that never comes
            }
            if iw.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        let _ = iw.shutdown().await;
    };
    tokio::join!(up, down);
}
