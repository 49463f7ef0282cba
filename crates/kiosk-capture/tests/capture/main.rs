//! Integration tests of kiosk-capture on inputs made in the test: rotated EXIF photos, 12 MP
//! noisy photos, tiny images, a PNG bomb, truncated files, alpha, SANE's test scanner, and
//! the ID-card reader code against the simulated reader on a pseudo-terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod id_reader;
mod inputs;
mod letter;
mod scanner;
