//! The serial line to a reader: 115200 baud, 8 data bits, no parity, one stop bit, raw mode,
//! no flow control (termios through `rustix`; no libudev, no unsafe code).
//!
//! The port is opened non-blocking and locked twice against other programs: `flock` (which
//! holds for root too) and `TIOCEXCL` (which refuses further opens by non-root programs).
//! Every read and write waits with `poll` until a deadline, so nothing blocks forever.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::fs::{FlockOperation, Mode, OFlags};
use rustix::termios::{
    ControlModes, OptionalActions, QueueSelector, SpecialCodeIndex, tcflush, tcgetattr, tcsetattr,
};

use super::error::IdReaderError;

/// The line speed of GA 467 readers.
pub const BAUD: u32 = 115_200;

/// A byte link to a reader with deadlines: the serial port, or anything a test puts there.
pub trait Link {
    /// Sends all of `bytes` before `deadline`.
    fn send(&mut self, bytes: &[u8], deadline: Instant) -> Result<(), IdReaderError>;

    /// Receives what is there (at least one byte) into `buf`, waiting until `deadline`;
    /// `Ok(0)` when the deadline passed without data.
    fn receive(&mut self, buf: &mut [u8], deadline: Instant) -> Result<usize, IdReaderError>;

    /// Drops bytes received but not read yet (a late answer to an earlier command).
    fn discard_input(&mut self) -> Result<(), IdReaderError>;
}

/// An open serial port, in raw mode at [`BAUD`].
#[derive(Debug)]
pub struct SerialPort {
    file: File,
    path: PathBuf,
}

impl SerialPort {
    /// Opens `path` for exclusive use and sets the line up. Errors say what to do: not found,
    /// busy, permission denied (group `dialout`), not a serial port.
    pub fn open(path: &Path) -> Result<Self, IdReaderError> {
        let flags = OFlags::RDWR | OFlags::NOCTTY | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd = rustix::fs::open(path, flags, Mode::empty())
            .map_err(|e| IdReaderError::from_io(path, e.into()))?;
        if !rustix::termios::isatty(&fd) {
            return Err(IdReaderError::NotSerial {
                path: path.to_path_buf(),
            });
        }
        rustix::fs::flock(&fd, FlockOperation::NonBlockingLockExclusive)
            .map_err(|e| IdReaderError::from_io(path, e.into()))?;
        // Further opens by non-root programs fail with EBUSY from now on; best effort.
        let _ = rustix::termios::ioctl_tiocexcl(&fd);
        let mut termios = tcgetattr(&fd).map_err(|e| IdReaderError::from_io(path, e.into()))?;
        termios.make_raw();
        termios.control_modes |= ControlModes::CLOCAL | ControlModes::CREAD | ControlModes::CS8;
        termios.control_modes -=
            ControlModes::CSTOPB | ControlModes::PARENB | ControlModes::CRTSCTS;
        termios.special_codes[SpecialCodeIndex::VMIN] = 0;
        termios.special_codes[SpecialCodeIndex::VTIME] = 0;
        termios
            .set_speed(BAUD)
            .map_err(|e| IdReaderError::from_io(path, e.into()))?;
        tcsetattr(&fd, OptionalActions::Now, &termios)
            .map_err(|e| IdReaderError::from_io(path, e.into()))?;
        tcflush(&fd, QueueSelector::IOFlush).map_err(|e| IdReaderError::from_io(path, e.into()))?;
        Ok(Self {
            file: File::from(fd),
            path: path.to_path_buf(),
        })
    }

    /// The port's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, error: impl Into<std::io::Error>) -> IdReaderError {
        IdReaderError::from_io(&self.path, error.into())
    }

    /// Waits until the port is ready for `events` or `deadline` passes; `Ok(false)` on
    /// timeout. A hang-up (the device went away) is an error.
    fn wait(&self, events: PollFlags, deadline: Instant) -> Result<bool, IdReaderError> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let timeout = Timespec::try_from(left).unwrap_or(Timespec {
                tv_sec: 1,
                tv_nsec: 0,
            });
            let mut fds = [PollFd::new(&self.file, events)];
            match rustix::event::poll(&mut fds, Some(&timeout)) {
                Ok(0) if left.is_zero() => return Ok(false),
                Ok(0) => continue,
                Ok(_) => {
                    let revents = fds[0].revents();
                    if revents.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
                        && !revents.contains(PollFlags::IN)
                    {
                        return Err(IdReaderError::Unplugged {
                            path: self.path.clone(),
                        });
                    }
                    return Ok(true);
                }
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(self.error(e)),
            }
        }
    }
}

impl Link for SerialPort {
    fn send(&mut self, mut bytes: &[u8], deadline: Instant) -> Result<(), IdReaderError> {
        while !bytes.is_empty() {
            match self.file.write(bytes) {
                Ok(0) => {
                    return Err(IdReaderError::Unplugged {
                        path: self.path.clone(),
                    });
                }
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if !self.wait(PollFlags::OUT, deadline)? {
                        return Err(IdReaderError::Io {
                            path: self.path.clone(),
                            source: std::io::Error::from(std::io::ErrorKind::TimedOut),
                        });
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.error(e)),
            }
        }
        Ok(())
    }

    fn receive(&mut self, buf: &mut [u8], deadline: Instant) -> Result<usize, IdReaderError> {
        loop {
            match self.file.read(buf) {
                Ok(0) => {
                    // Raw mode with VMIN=0: nothing there yet.
                    if !self.wait(PollFlags::IN, deadline)? {
                        return Ok(0);
                    }
                    if Instant::now() >= deadline {
                        // Readable but empty at the deadline: a pty whose other end is gone.
                        return Ok(0);
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if !self.wait(PollFlags::IN, deadline)? {
                        return Ok(0);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.error(e)),
            }
        }
    }

    fn discard_input(&mut self) -> Result<(), IdReaderError> {
        tcflush(&self.file, QueueSelector::IFlush).map_err(|e| self.error(e))
    }
}
