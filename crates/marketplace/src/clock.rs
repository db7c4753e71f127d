//! The service's clock: wall time, possibly faster, plus skips. The mock and
//! the server keep one each (in browser storage, in SQLite) so that a faster
//! clock, a skip and a restart work the same way on both.

use checkout_core::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Service time = `clock_start` + (wall ms − `wall_start_ms`) × `speed` / 1000
/// + `skipped`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub clock_start: Timestamp,
    pub wall_start_ms: i64,
    pub skipped: i64,
    /// Service seconds per real second.
    pub speed: u32,
}

impl Clock {
    /// A clock that reads `start` at `wall_ms`.
    pub fn starting(start: Timestamp, wall_ms: i64, speed: u32) -> Clock {
        Clock { clock_start: start, wall_start_ms: wall_ms, skipped: 0, speed: speed.max(1) }
    }

    /// The service time at this wall time.
    pub fn at(&self, wall_ms: i64) -> Timestamp {
        let elapsed_ms = wall_ms.saturating_sub(self.wall_start_ms).max(0);
        self.clock_start.plus(elapsed_ms.saturating_mul(i64::from(self.speed)) / 1000).plus(self.skipped)
    }

    /// The same clock at another speed: it goes on from the time reached,
    /// never jumps. `None` if the speed is the same.
    pub fn at_speed(&self, speed: u32, wall_ms: i64) -> Option<Clock> {
        let speed = speed.max(1);
        (speed != self.speed).then(|| Clock::starting(self.at(wall_ms), wall_ms, speed))
    }

    /// Moves the clock forward, as if that much time had passed.
    pub fn skip(&mut self, seconds: i64) {
        self.skipped = self.skipped.saturating_add(seconds.max(0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_faster_clock_runs_faster_and_a_new_speed_never_jumps() {
        let c = Clock::starting(Timestamp(1_000), 0, 60);
        assert_eq!(c.at(1_000), Timestamp(1_060));
        let slower = c.at_speed(1, 2_000).unwrap();
        assert_eq!(slower.at(2_000), Timestamp(1_120));
        assert_eq!(slower.at(3_000), Timestamp(1_121));
        assert!(c.at_speed(60, 5_000).is_none());
        let mut s = slower;
        s.skip(100);
        s.skip(-5);
        assert_eq!(s.at(2_000), Timestamp(1_220));
    }
}
