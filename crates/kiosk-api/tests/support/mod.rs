//! Test support shared by the integration tests that need a real platform: an in-process
//! platformd on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::sync::Arc;

/// An in-process platformd on 127.0.0.1:0: the platform, its URL and a stop handle.
pub struct Running {
    pub platform: Arc<platform::Platform>,
    pub url: String,
    pub stop: tokio::sync::oneshot::Sender<()>,
    pub server: tokio::task::JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

impl Running {
    /// Stops the server and waits for it.
    pub async fn shut_down(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
    }
}

/// Starts platformd (system clock, its own temporary data directory) on a free loopback port.
pub async fn start_platform() -> Running {
    let dir = tempfile::tempdir().unwrap();
    let platform = Arc::new(
        platform::Platform::open(
            &platform::PlatformConfig {
                data_dir: dir.path().to_path_buf(),
            },
            Arc::new(platform::SystemClock::default()),
        )
        .unwrap(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(platform::serve(
        Arc::clone(&platform),
        listener,
        async move {
            let _ = stopped.await;
        },
    ));
    Running {
        platform,
        url,
        stop,
        server,
        _dir: dir,
    }
}
