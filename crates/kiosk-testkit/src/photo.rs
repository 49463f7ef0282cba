//! A photo-like test image for the normalisation benchmarks: a desk gradient, a printed sheet
//! with lines of "text", and mild sensor noise (which is what makes JPEG work hard). The same
//! `seed` gives the same pixels, so the criterion bench and bench/run measure the same photo.

/// `width × height` RGB pixels, row by row, three bytes each.
pub fn photo_rgb(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut state = 7u32.wrapping_add(seed.wrapping_mul(0x9E37_79B9)) | 1;
    let (cw, ch) = (width * 60 / 100, height * 70 / 100);
    let (cx0, cy0) = ((width - cw) / 2, (height - ch) / 2);
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..height {
        for x in 0..width {
            let base = if x >= cx0 && x < cx0 + cw && y >= cy0 && y < cy0 + ch {
                let (u, v) = (x - cx0, y - cy0);
                let print = (v / 40) % 3 != 2 && v % 40 < 24 && (u / 18) % 6 != 0 && u % 18 < 11;
                if print { 50 } else { 225 }
            } else {
                70 + (x + y) * 60 / (width + height)
            };
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            for shift in [0, 8, 16] {
                let noisy = ((state >> shift) % 9) as i64 - 4 + i64::from(base);
                pixels.push(noisy.clamp(0, 255) as u8);
            }
        }
    }
    pixels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_seed_gives_one_photo_and_another_seed_another() {
        let a = photo_rgb(40, 30, 0);
        assert_eq!(a.len(), 40 * 30 * 3);
        assert_eq!(a, photo_rgb(40, 30, 0));
        assert_ne!(a, photo_rgb(40, 30, 1));
    }
}
