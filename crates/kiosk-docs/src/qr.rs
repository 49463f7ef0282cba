//! QR code of the application number, drawn as vector rectangles (sharp at any resolution,
//! a few hundred bytes in the PDF).

use qrcode::{Color, EcLevel, QrCode};

use crate::DocsError;
use crate::canvas::Page;

/// Modules of white space that scanners need around the code.
const QUIET_ZONE: usize = 4;

/// A QR code ready to draw.
#[derive(Debug, Clone)]
pub(crate) struct Qr {
    width: usize,
    dark: Vec<bool>,
}

impl Qr {
    /// Encodes `data` with error correction level M (survives a stamp edge or a fold).
    pub fn encode(data: &str) -> Result<Self, DocsError> {
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
            .map_err(|_| DocsError::QrTooLong { length: data.len() })?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(Self { width, dark })
    }

    /// Side of the code in modules, quiet zone included.
    fn modules_with_margin(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// Draws the code with its quiet zone into the square at (`x`, `y`) of side `size` mm.
    /// Each run of dark modules in a row becomes one rectangle.
    pub fn draw(&self, page: &mut Page, x: f32, y: f32, size: f32) {
        let module = size / self.modules_with_margin() as f32;
        for row in 0..self.width {
            let mut col = 0;
            while col < self.width {
                if !self.is_dark(col, row) {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < self.width && self.is_dark(col, row) {
                    col += 1;
                }
                page.fill(
                    x + (start + QUIET_ZONE) as f32 * module,
                    y + (row + QUIET_ZONE) as f32 * module,
                    (col - start) as f32 * module,
                    // A hair taller than a module so rows merge without hairline gaps.
                    module * 1.02,
                );
            }
        }
    }

    fn is_dark(&self, col: usize, row: usize) -> bool {
        self.dark
            .get(row * self.width + col)
            .copied()
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_number_encodes() {
        let qr = Qr::encode("TJ-20261123-000042").expect("short numbers encode");
        assert!(qr.width >= 21, "a QR code is at least 21 modules wide");
        assert!(qr.dark.iter().any(|d| *d), "some modules are dark");
    }

    #[test]
    fn oversized_data_is_an_error_not_a_panic() {
        let err = Qr::encode(&"9".repeat(10_000)).unwrap_err();
        assert!(
            matches!(err, DocsError::QrTooLong { length: 10_000 }),
            "{err:?}"
        );
    }
}
