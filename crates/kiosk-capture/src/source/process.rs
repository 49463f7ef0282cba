//! Running a device program (e.g. `scanimage`) with a time limit, without a shell.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::CaptureError;

/// What a finished program produced.
#[derive(Debug)]
pub struct Finished {
    /// Whether it exited with status 0.
    pub success: bool,
    /// Its standard output.
    pub stdout: Vec<u8>,
    /// Its standard error (device messages; never shown to visitors as-is).
    pub stderr: String,
}

/// Runs `command`, collecting stdout (at most `max_stdout` bytes) and stderr. Kills the child
/// if it is still running after `timeout`.
pub fn run(
    mut command: Command,
    timeout: Duration,
    max_stdout: u64,
) -> Result<Finished, CaptureError> {
    let program = command.get_program().to_string_lossy().into_owned();
    let failed = |detail: String| CaptureError::Device { detail };
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("cannot start {program}: {e}")))?;
    let mut stdout_pipe = child
        .stdout
        .take()
        .ok_or_else(|| failed("no stdout".to_owned()))?;
    let mut stderr_pipe = child
        .stderr
        .take()
        .ok_or_else(|| failed("no stderr".to_owned()))?;
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let result = (&mut stdout_pipe)
            .take(max_stdout + 1)
            .read_to_end(&mut buf);
        // Drain the rest so the child never blocks on a full pipe.
        let _ = std::io::copy(&mut stdout_pipe, &mut std::io::sink());
        result.map(|_| buf)
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stderr_pipe).take(64 * 1024).read_to_end(&mut buf);
        let _ = std::io::copy(&mut stderr_pipe, &mut std::io::sink());
        String::from_utf8_lossy(&buf).into_owned()
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(failed(format!(
                "{program} did not finish within {timeout:?}"
            )));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout = out_reader
        .join()
        .map_err(|_| failed("stdout reader failed".to_owned()))??;
    let stderr = err_reader.join().unwrap_or_default();
    if stdout.len() as u64 > max_stdout {
        return Err(CaptureError::FileTooLarge {
            actual: stdout.len() as u64,
            limit: max_stdout,
        });
    }
    Ok(Finished {
        success: status.success(),
        stdout,
        stderr,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn collects_output_of_a_quick_program() {
        let mut command = Command::new("printf");
        command.arg("hello");
        let done = run(command, Duration::from_secs(5), 100).unwrap();
        assert!(done.success);
        assert_eq!(done.stdout, b"hello");
    }

    #[test]
    fn kills_a_program_that_overruns_its_time() {
        let mut command = Command::new("sleep");
        command.arg("5");
        let started = Instant::now();
        let err = run(command, Duration::from_millis(200), 100).unwrap_err();
        assert!(matches!(err, CaptureError::Device { .. }), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(3), "killed early");
    }

    #[test]
    fn missing_program_is_a_device_error() {
        let err = run(
            Command::new("/nonexistent/scanimage"),
            Duration::from_secs(1),
            10,
        )
        .unwrap_err();
        assert!(matches!(err, CaptureError::Device { .. }), "{err:?}");
    }
}
