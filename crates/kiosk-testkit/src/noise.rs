//! Deterministic pseudo-random data: attachments that do not compress and differ per seed.

/// `len` pseudo-random bytes from `seed` (xorshift); the same seed always gives the same bytes.
pub fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect()
}
