//! Tries counted per key in a fixed window. Tracking an order by number and
//! email needs no account, so it is limited per client and per order number:
//! guessing numbers or emails is slow, and the answer says when to try again
//! (429 with `Retry-After`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Tries {
    max: u32,
    window: Duration,
    seen: Mutex<HashMap<String, (Instant, u32)>>,
}

/// Keys kept before old windows are swept: memory stays bounded whatever
/// the clients send.
const SWEEP_AT: usize = 10_000;

impl Tries {
    pub fn new(max: u32, window: Duration) -> Tries {
        Tries { max, window, seen: Mutex::new(HashMap::new()) }
    }

    /// Counts one try for each key; the wait until every key may try again
    /// if any is over its limit.
    pub fn count(&self, keys: &[String]) -> Result<(), Duration> {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > SWEEP_AT {
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let mut wait: Option<Duration> = None;
        for key in keys {
            let entry = seen.entry(key.clone()).or_insert((now, 0));
            if now.duration_since(entry.0) >= self.window {
                *entry = (now, 0);
            }
            entry.1 = entry.1.saturating_add(1);
            if entry.1 > self.max {
                let left = self.window.saturating_sub(now.duration_since(entry.0));
                wait = Some(wait.map_or(left, |w| w.max(left)));
            }
        }
        wait.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_over_its_limit_waits_for_its_window_and_others_do_not() {
        let tries = Tries::new(2, Duration::from_secs(60));
        let a = || vec!["client:a".to_owned()];
        assert!(tries.count(&a()).is_ok());
        assert!(tries.count(&a()).is_ok());
        let wait = tries.count(&a()).unwrap_err();
        assert!(wait > Duration::from_secs(55) && wait <= Duration::from_secs(60), "{wait:?}");
        assert!(tries.count(&["client:b".to_owned()]).is_ok(), "another client");
        assert!(tries.count(&["client:b".to_owned(), "client:a".to_owned()]).is_err(), "any key over refuses");
    }
}
