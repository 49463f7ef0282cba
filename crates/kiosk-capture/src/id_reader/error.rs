//! Why a card could not be read, in words a visitor or a clerk can act on.

use std::path::PathBuf;
use std::time::Duration;

use kiosk_core::problem::UserFacing;

use super::frame::Command;
use super::status::ReaderStatus;

/// Everything that can go wrong between the kiosk and an ID-card reader.
#[derive(Debug, thiserror::Error)]
pub enum IdReaderError {
    /// The device path does not exist (never plugged in, or a wrong path).
    #[error("no device at {path}")]
    NotFound {
        /// The path tried.
        path: PathBuf,
    },
    /// The device went away while in use (unplugged, or the USB bus reset).
    #[error("reader at {path} unplugged")]
    Unplugged {
        /// The device's path.
        path: PathBuf,
    },
    /// Another program holds the port.
    #[error("serial port {path} is in use by another program")]
    Busy {
        /// The port.
        path: PathBuf,
    },
    /// The kiosk account may not open the port (not in group `dialout`).
    #[error("no permission to open {path}")]
    Permission {
        /// The port.
        path: PathBuf,
    },
    /// The path is not a serial port.
    #[error("{path} is not a serial port")]
    NotSerial {
        /// The path.
        path: PathBuf,
    },
    /// The reader did not answer `command` within the time allowed.
    #[error("no answer to command {command} within {} ms", timeout.as_millis())]
    Timeout {
        /// The command sent.
        command: Command,
        /// How long the kiosk waited.
        timeout: Duration,
    },
    /// The answers kept arriving with a bad checksum (interference, a loose cable).
    #[error("answer to command {command} had a bad checksum twice")]
    Checksum {
        /// The command sent.
        command: Command,
    },
    /// The reader answered, but not as the protocol says (lengths that do not add up).
    #[error("malformed answer to command {command}: {detail}")]
    Malformed {
        /// The command sent.
        command: Command,
        /// What was wrong (no card data).
        detail: String,
    },
    /// There is no card on the reader.
    #[error("no card on the reader")]
    NoCard,
    /// The card left the reader between finding it and reading it.
    #[error("card removed during the read ({status:?})")]
    CardRemoved {
        /// The status the reader gave.
        status: ReaderStatus,
    },
    /// The reader reported a failure status.
    #[error("reader status {:02X} for command {command}", status.sw3())]
    Status {
        /// The command sent.
        command: Command,
        /// The status.
        status: ReaderStatus,
    },
    /// A USB reader without a serial interface (it needs its vendor's USB driver).
    #[error("USB reader {vid_pid} has no serial interface")]
    UsbWithoutSerial {
        /// `vvvv:pppp`.
        vid_pid: String,
    },
    /// Reading or writing the port failed otherwise.
    #[error("serial port {path}: {source}")]
    Io {
        /// The port.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
}

impl IdReaderError {
    /// The error for a failed `open` or I/O call on `path`, by the system's error number.
    pub fn from_io(path: &std::path::Path, error: std::io::Error) -> Self {
        let path = path.to_path_buf();
        match error.raw_os_error() {
            Some(code) if code == rustix::io::Errno::NOENT.raw_os_error() => {
                Self::NotFound { path }
            }
            Some(code)
                if code == rustix::io::Errno::ACCESS.raw_os_error()
                    || code == rustix::io::Errno::PERM.raw_os_error() =>
            {
                Self::Permission { path }
            }
            Some(code)
                if code == rustix::io::Errno::BUSY.raw_os_error()
                    || code == rustix::io::Errno::WOULDBLOCK.raw_os_error() =>
            {
                Self::Busy { path }
            }
            Some(code)
                if code == rustix::io::Errno::IO.raw_os_error()
                    || code == rustix::io::Errno::NXIO.raw_os_error()
                    || code == rustix::io::Errno::NODEV.raw_os_error() =>
            {
                Self::Unplugged { path }
            }
            Some(code) if code == rustix::io::Errno::NOTTY.raw_os_error() => {
                Self::NotSerial { path }
            }
            _ => Self::Io {
                path,
                source: error,
            },
        }
    }
}

impl UserFacing for IdReaderError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "ID_READER_NOT_FOUND",
            Self::Unplugged { .. } => "ID_READER_UNPLUGGED",
            Self::Busy { .. } => "ID_READER_PORT_BUSY",
            Self::Permission { .. } => "ID_READER_PERMISSION",
            Self::NotSerial { .. } => "ID_READER_NOT_SERIAL",
            Self::Timeout { .. } => "ID_READER_TIMEOUT",
            Self::Checksum { .. } => "ID_READER_CHECKSUM",
            Self::Malformed { .. } => "ID_READER_MALFORMED",
            Self::NoCard => "ID_READER_NO_CARD",
            Self::CardRemoved { .. } => "ID_READER_CARD_REMOVED",
            Self::Status { status, .. } => status.code(),
            Self::UsbWithoutSerial { .. } => "ID_READER_USB_UNSUPPORTED",
            Self::Io { .. } => "ID_READER_IO",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::NotFound { path } => format!(
                "找不到读卡器（{}）。请检查读卡器的 USB 线是否插好，或改为手工填写。",
                path.display()
            ),
            Self::Unplugged { .. } => {
                "读卡器连接已断开。请工作人员重新插好读卡器的 USB 线后再试；现在可以手工填写。"
                    .to_owned()
            }
            Self::Busy { path } => format!(
                "读卡器端口（{}）正被其他程序使用。请关闭厂商的读卡工具或其他读卡程序后再试。",
                path.display()
            ),
            Self::Permission { path } => format!(
                "终端账户没有权限使用读卡器端口（{}）。请管理员执行 `adduser <终端账户> dialout` 后重新登录。",
                path.display()
            ),
            Self::NotSerial { path } => format!(
                "{} 不是串口设备，不能作为读卡器使用。请选择读卡器对应的端口。",
                path.display()
            ),
            Self::Timeout { .. } => {
                "读卡器没有响应。请确认读卡器已通电（指示灯亮）并连接好，再试一次；仍无响应请手工填写。"
                    .to_owned()
            }
            Self::Checksum { .. } => {
                "读卡器传来的数据有误（可能是数据线接触不良或受到干扰）。请重试；多次出现请检查读卡器连接线。"
                    .to_owned()
            }
            Self::Malformed { .. } => {
                "读卡器的应答格式不正确，可能不是身份证读卡器或型号不兼容。请联系工作人员。".to_owned()
            }
            Self::NoCard => "读卡器上没有证件。请将证件平放在读卡器上。".to_owned(),
            Self::CardRemoved { .. } => {
                "读取过程中证件被移开或未放稳。请将证件平放在读卡器上，读完前不要移动，再试一次。"
                    .to_owned()
            }
            Self::Status { status, .. } => status.zh(),
            Self::UsbWithoutSerial { vid_pid } => format!(
                "此读卡器（USB {vid_pid}）只提供厂商专用的 USB 接口，本终端暂不支持。请改用串口（USB 转串口）型号，或手工填写。"
            ),
            Self::Io { .. } => {
                "与读卡器通信失败。请重新插拔读卡器后再试；仍然失败请手工填写。".to_owned()
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::NotFound { path } => format!(
                "No card reader at {}. Check that the reader's USB cable is plugged in, or type the details by hand.",
                path.display()
            ),
            Self::Unplugged { .. } => {
                "The card reader was disconnected. Ask staff to plug its USB cable back in and try again; you can type the details by hand meanwhile."
                    .to_owned()
            }
            Self::Busy { path } => format!(
                "The card reader's port ({}) is used by another program. Close the vendor's reading tool or other reading programs and try again.",
                path.display()
            ),
            Self::Permission { path } => format!(
                "The kiosk account may not use the card reader's port ({}). An administrator must run `adduser <kiosk account> dialout`, then sign in again.",
                path.display()
            ),
            Self::NotSerial { path } => format!(
                "{} is not a serial port and cannot be a card reader. Choose the reader's port.",
                path.display()
            ),
            Self::Timeout { .. } => {
                "The card reader does not answer. Check it has power (its light is on) and is connected, then try again; otherwise type the details by hand."
                    .to_owned()
            }
            Self::Checksum { .. } => {
                "The card reader sent garbled data (perhaps a loose cable or interference). Try again; if it keeps happening, check the reader's cable."
                    .to_owned()
            }
            Self::Malformed { .. } => {
                "The card reader's answer is malformed: it may not be an ID-card reader, or an incompatible model. Ask staff."
                    .to_owned()
            }
            Self::NoCard => "There is no card on the reader. Lay the card flat on it.".to_owned(),
            Self::CardRemoved { .. } => {
                "The card was moved or lifted during the read. Lay it flat on the reader, keep it still until the read is done, and try again."
                    .to_owned()
            }
            Self::Status { status, .. } => status.en(),
            Self::UsbWithoutSerial { vid_pid } => format!(
                "This card reader (USB {vid_pid}) only offers its vendor's own USB interface, which the kiosk does not support yet. Use a serial (USB-serial) model, or type the details by hand."
            ),
            Self::Io { .. } => {
                "Talking to the card reader failed. Unplug and replug it and try again; otherwise type the details by hand."
                    .to_owned()
            }
        }
    }
}

impl kiosk_core::Catalogued for IdReaderError {
    /// One sample per code; a reader status gets one sample per code it maps to.
    fn samples() -> Vec<Self> {
        use ReaderStatus as S;
        let path = || PathBuf::from("/dev/ttyUSB0");
        let command = Command::new(0x30, 0x01);
        let mut all = vec![
            Self::NotFound { path: path() },
            Self::Unplugged { path: path() },
            Self::Busy { path: path() },
            Self::Permission { path: path() },
            Self::NotSerial { path: path() },
            Self::Timeout {
                command,
                timeout: Duration::from_millis(1500),
            },
            Self::Checksum { command },
            Self::Malformed {
                command,
                detail: "<原因> / <reason>".into(),
            },
            Self::NoCard,
            Self::CardRemoved {
                status: S::ReadFailed,
            },
            Self::UsbWithoutSerial {
                vid_pid: "0400:c35a".into(),
            },
            Self::Io {
                path: path(),
                source: std::io::Error::other("<原因> / <reason>"),
            },
        ];
        let statuses = [
            S::NoContent,
            S::HostChecksum,
            S::CommandRefused,
            S::NotPermitted,
            S::Unidentified,
            S::CardRejectedReader,
            S::WrongCard,
            S::SelfTestFailed,
            S::NotAuthorised,
        ];
        all.extend(
            statuses
                .into_iter()
                .map(|status| Self::Status { command, status }),
        );
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_errors_map_to_what_the_clerk_must_do() {
        let path = std::path::Path::new("/dev/ttyUSB0");
        let code = |errno: rustix::io::Errno| {
            IdReaderError::from_io(
                path,
                std::io::Error::from_raw_os_error(errno.raw_os_error()),
            )
            .code()
        };
        assert_eq!(code(rustix::io::Errno::ACCESS), "ID_READER_PERMISSION");
        assert_eq!(code(rustix::io::Errno::PERM), "ID_READER_PERMISSION");
        assert_eq!(code(rustix::io::Errno::BUSY), "ID_READER_PORT_BUSY");
        assert_eq!(code(rustix::io::Errno::NOENT), "ID_READER_NOT_FOUND");
        assert_eq!(code(rustix::io::Errno::IO), "ID_READER_UNPLUGGED");
        assert_eq!(code(rustix::io::Errno::NODEV), "ID_READER_UNPLUGGED");
        assert_eq!(code(rustix::io::Errno::NOTTY), "ID_READER_NOT_SERIAL");
        assert_eq!(code(rustix::io::Errno::INVAL), "ID_READER_IO");
        let permission = IdReaderError::Permission {
            path: path.to_path_buf(),
        };
        assert!(permission.zh().contains("dialout") && permission.en().contains("dialout"));
    }
}
