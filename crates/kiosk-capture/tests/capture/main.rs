//! Integration tests of kiosk-capture on inputs made in the test: rotated EXIF photos, 12 MP
//! noisy photos, tiny images, a PNG bomb, truncated files, alpha, SANE's test scanner.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod inputs;
mod letter;
mod scanner;
