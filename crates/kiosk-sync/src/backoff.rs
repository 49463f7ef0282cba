//! Exponential backoff with jitter, capped.

use std::time::Duration;

/// Retry delays: `base * 2^(attempt-1)`, capped at `cap`, then jittered down to half.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Delay after the first failure.
    pub base: Duration,
    /// Longest delay.
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(2),
            cap: Duration::from_secs(300),
        }
    }
}

impl Backoff {
    /// The delay after failed attempt number `attempt` (1-based); `jitter` in `[0, 1)` picks a
    /// point between half and all of the exponential delay.
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = attempt.saturating_sub(1).min(30);
        let full = self.base.saturating_mul(1u32 << exp).min(self.cap);
        let jitter = jitter.clamp(0.0, 1.0);
        full.mul_f64(0.5 + 0.5 * jitter)
    }
}

/// A jitter value in `[0, 1)` from the OS random source (0.5 if it fails).
pub fn random_jitter() -> f64 {
    let mut b = [0u8; 4];
    if getrandom::fill(&mut b).is_err() {
        return 0.5;
    }
    f64::from(u32::from_le_bytes(b)) / (f64::from(u32::MAX) + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_doubles_until_the_cap_and_jitter_stays_within_half_to_full() {
        let b = Backoff {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(10),
        };
        assert_eq!(b.delay(1, 1.0), Duration::from_secs(1), "first retry: base");
        assert_eq!(b.delay(3, 1.0), Duration::from_secs(4), "third: 4x");
        assert_eq!(b.delay(40, 1.0), Duration::from_secs(10), "capped");
        assert_eq!(
            b.delay(3, 0.0),
            Duration::from_secs(2),
            "jitter floor is half"
        );
        let j = random_jitter();
        assert!((0.0..1.0).contains(&j), "jitter in [0,1): {j}");
    }
}
