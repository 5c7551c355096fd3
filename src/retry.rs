//! One backoff policy for everything that retries (GitHub API calls, smoke
//! requests, waiting for a deploy): exponential with real jitter, so that
//! concurrent retries do not fire in lockstep.

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Exponential backoff: `base · 2^(attempt-1)`, capped at `max`, plus up to 50% jitter.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// Wait before the second attempt.
    pub base: Duration,
    /// Longest wait (before jitter).
    pub max: Duration,
}

impl Backoff {
    /// The wait before attempt `attempt` (1-based: attempt 1 is the first retry).
    pub fn delay(&self, attempt: u32) -> Duration {
        let exp = 2u32.saturating_pow(attempt.saturating_sub(1).min(30));
        let d = self.base.saturating_mul(exp).min(self.max);
        d + d.mul_f64(jitter_fraction() / 2.0)
    }
}

/// A uniformly distributed number in `[0, 1)`, different per call, per thread
/// and per process (std's randomly keyed hasher over a global counter).
pub fn jitter_fraction() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Seconds from an HTTP `Retry-After` value (delta-seconds form), capped.
pub fn retry_after(value: Option<&str>, cap: Duration) -> Option<Duration> {
    let secs: u64 = value?.trim().parse().ok()?;
    Some(Duration::from_secs(secs).min(cap))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_caps_and_jitters() {
        let b = Backoff {
            base: Duration::from_millis(100),
            max: Duration::from_secs(1),
        };
        let d1 = b.delay(1);
        assert!(d1 >= Duration::from_millis(100) && d1 <= Duration::from_millis(150));
        let d10 = b.delay(10);
        assert!(d10 >= Duration::from_secs(1) && d10 <= Duration::from_millis(1500));
        assert!(b.delay(u32::MAX) <= Duration::from_millis(1500));
        // Two calls in a row almost never give the same jitter.
        let xs: Vec<f64> = (0..32).map(|_| jitter_fraction()).collect();
        let distinct = xs.iter().filter(|x| **x != xs[0]).count();
        assert!(distinct >= 30, "{xs:?}");
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        assert_eq!(
            retry_after(Some(" 3 "), Duration::from_secs(60)),
            Some(Duration::from_secs(3))
        );
        assert_eq!(retry_after(Some("soon"), Duration::from_secs(60)), None);
    }
}
