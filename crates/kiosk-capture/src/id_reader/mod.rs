//! Second-generation ID-card readers (GA 467 "SAM" protocol) on serial ports.
//!
//! - [`frame`]: the byte frames to and from the reader, and a decoder that never panics.
//! - [`status`]: the reader's status byte (SW3) and what each value means.
//! - [`text`]: the chip's 256-byte text block in its four layouts.
//! - [`serial`]: the serial line (115200 8N1, raw mode, exclusive) with deadlines.
//! - [`reader`]: commands and the whole card read (find, select, read text and photo).
//! - [`photo`]: the portrait, through the vendor's decoder library when it is installed.
//! - [`detect`]: which ports have readers (sysfs and `/dev`, probed with the SAM id).
//! - [`error`]: every failure with a stable code and advice in Chinese and English.

pub mod detect;
pub mod error;
pub mod frame;
pub mod photo;
pub mod reader;
pub mod serial;
pub mod status;
pub mod text;

pub use detect::{DetectConfig, ProbeCache, ReaderInfo, ReaderState};
pub use error::IdReaderError;
pub use photo::{PhotoError, WltDecoder};
pub use reader::{CardRead, IdReader, Timeouts};
pub use serial::{Link, SerialPort};
