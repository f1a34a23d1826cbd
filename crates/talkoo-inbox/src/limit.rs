//! Rate limits per join code and per client address, counted in windows of a minute, and the clock they read.
//!
//! An inbox is reached by a handful of phones, and a phone's outbox sends a
//! few requests a minute at most, so a client far above that is broken or
//! hostile; limiting it keeps the inbox (and its one database) answering
//! everyone else. The per-address limit covers requests whatever their
//! code, unknown codes included, so guessing codes is slow; the per-code
//! limit keeps one volunteer's runaway phone from using up the allowance
//! of everyone behind the same address (a village hall's shared NAT).
//!
//! Each key's window starts with its first request and lasts a minute;
//! over the limit, the answer says how long until the window ends. Time
//! comes from a [`Clock`] given to the server, so tests move it forward
//! instead of sleeping through a minute.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a window lasts.
pub const WINDOW: Duration = Duration::from_secs(60);

/// Where the server's time comes from.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current moment.
    fn now(&self) -> Instant;
}

/// The system's monotonic clock, for a real server.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that stands still until moved, for tests.
#[derive(Debug)]
pub struct ManualClock {
    start: Instant,
    offset: Mutex<Duration>,
}

impl Default for ManualClock {
    fn default() -> ManualClock {
        ManualClock::new()
    }
}

impl ManualClock {
    /// A clock showing the moment it was made.
    pub fn new() -> ManualClock {
        ManualClock {
            start: Instant::now(),
            offset: Mutex::new(Duration::ZERO),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(|e| e.into_inner());
        *offset += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.offset.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Requests allowed per window; 0 turns a limit off (for an inbox behind a
/// proxy that limits on its own, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Per join code.
    pub per_token: u32,
    /// Per client address (an IPv6 client's /64 network).
    pub per_address: u32,
}

impl Default for Limits {
    /// Generous: a phone sends a handful of requests a minute, so 120 is
    /// far above any working app, and 600 from one address leaves room for
    /// a hall full of volunteers behind one NAT all sending at once.
    fn default() -> Limits {
        Limits {
            per_token: 120,
            per_address: 600,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    count: u32,
}

/// Counts requests per key, each key in windows of [`WINDOW`] from its
/// first request.
#[derive(Debug)]
pub struct Counter<K> {
    limit: u32,
    windows: HashMap<K, Window>,
    next_sweep: Option<Instant>,
}

impl<K: Hash + Eq> Counter<K> {
    /// A counter allowing `limit` requests per window (0: any number).
    pub fn new(limit: u32) -> Counter<K> {
        Counter {
            limit,
            windows: HashMap::new(),
            next_sweep: None,
        }
    }

    /// Counts a request by `key` at `now`, or refuses it with the time left
    /// until the key's window ends. A refused request is not counted, so a
    /// client that keeps knocking is let in again when its window is over.
    pub fn check(&mut self, key: K, now: Instant) -> Result<(), Duration> {
        if self.limit == 0 {
            return Ok(());
        }
        self.sweep(now);
        let window = self.windows.entry(key).or_insert(Window {
            start: now,
            count: 0,
        });
        if now.saturating_duration_since(window.start) >= WINDOW {
            *window = Window {
                start: now,
                count: 0,
            };
        }
        if window.count >= self.limit {
            return Err((window.start + WINDOW).saturating_duration_since(now));
        }
        window.count += 1;
        Ok(())
    }

    /// Forgets ended windows once a window's time, so the table holds only
    /// the keys seen in the last two minutes.
    fn sweep(&mut self, now: Instant) {
        if self.next_sweep.is_some_and(|at| now < at) {
            return;
        }
        self.windows
            .retain(|_, w| now.saturating_duration_since(w.start) < WINDOW);
        self.next_sweep = Some(now + WINDOW);
    }

    /// How many keys are remembered.
    pub fn len(&self) -> usize {
        self.windows.len()
    }

    /// Whether no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }
}

/// Both limits of a server.
#[derive(Debug)]
pub struct RateLimiter {
    per_token: Counter<String>,
    per_address: Counter<IpAddr>,
}

/// What a refused request was over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    /// The join code's limit.
    Token(Duration),
    /// The address's limit.
    Address(Duration),
}

impl Over {
    /// How long until the request would be let in.
    pub fn wait(self) -> Duration {
        match self {
            Over::Token(wait) | Over::Address(wait) => wait,
        }
    }
}

impl RateLimiter {
    /// A limiter with these limits.
    pub fn new(limits: Limits) -> RateLimiter {
        RateLimiter {
            per_token: Counter::new(limits.per_token),
            per_address: Counter::new(limits.per_address),
        }
    }

    /// Counts a request from `address`.
    pub fn address(&mut self, address: IpAddr, now: Instant) -> Result<(), Over> {
        self.per_address
            .check(address_key(address), now)
            .map_err(Over::Address)
    }

    /// Counts a request with the code whose public id is `code_id`.
    pub fn token(&mut self, code_id: &str, now: Instant) -> Result<(), Over> {
        self.per_token
            .check(code_id.to_owned(), now)
            .map_err(Over::Token)
    }
}

/// The key an address is counted under. An IPv6 client usually has a /64
/// network to itself and can pick any address in it, so the network is
/// what counts; an IPv4 address written as IPv6 counts as IPv4.
pub fn address_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
    }
}

/// A wait as the whole seconds of `Retry-After`: rounded up, so a client
/// that waits as told is let in, and at least 1.
pub fn retry_after_seconds(wait: Duration) -> u64 {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    seconds.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (seconds after the start of each request, limit, expected: None when
    /// let in, Some(seconds to wait) when refused)
    fn check(times: &[u64], limit: u32, expected: &[Option<u64>]) {
        let start = Instant::now();
        let mut counter = Counter::new(limit);
        let got: Vec<Option<u64>> = times
            .iter()
            .map(|t| {
                counter
                    .check("k", start + Duration::from_secs(*t))
                    .err()
                    .map(|wait| wait.as_secs())
            })
            .collect();
        assert_eq!(got, expected, "{times:?} with limit {limit}");
    }

    #[test]
    fn requests_over_the_limit_wait_for_the_window_to_end() {
        check(&[0, 1, 2], 2, &[None, None, Some(58)]);
        check(&[0, 10, 20, 59], 3, &[None, None, None, Some(1)]);
        // The window starts with the first request, not on the minute.
        check(&[30, 31, 89, 90], 2, &[None, None, Some(1), None]);
        // A refused request is not counted: the next window is whole.
        check(
            &[0, 1, 5, 6, 60, 61, 62],
            2,
            &[None, None, Some(55), Some(54), None, None, Some(58)],
        );
        check(&[0, 0, 0, 0], 0, &[None, None, None, None]);
    }

    #[test]
    fn keys_are_counted_apart_and_forgotten_when_their_window_ends() {
        let start = Instant::now();
        let mut counter = Counter::new(1);
        assert_eq!(counter.check("a", start), Ok(()));
        assert!(counter.check("a", start).is_err());
        assert_eq!(counter.check("b", start), Ok(()));
        assert_eq!(counter.len(), 2);
        let later = start + Duration::from_secs(61);
        assert_eq!(counter.check("c", later), Ok(()));
        assert_eq!(counter.len(), 1, "a and b are forgotten");
    }

    #[test]
    fn addresses_count_by_ipv4_address_or_ipv6_network() {
        for (address, key) in [
            ("192.0.2.7", "192.0.2.7"),
            ("::ffff:192.0.2.7", "192.0.2.7"),
            ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
            ("2001:db8:1:2:ffff::1", "2001:db8:1:2::"),
            ("::1", "::"),
        ] {
            let address: IpAddr = address.parse().expect("address");
            assert_eq!(address_key(address), key.parse::<IpAddr>().expect("key"));
        }
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        for (wait, seconds) in [
            (Duration::from_secs(58), 58),
            (Duration::from_millis(58_001), 59),
            (Duration::from_millis(1), 1),
            (Duration::ZERO, 1),
        ] {
            assert_eq!(retry_after_seconds(wait), seconds, "{wait:?}");
        }
    }

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let clock = ManualClock::new();
        let before = clock.now();
        assert_eq!(clock.now(), before);
        clock.advance(Duration::from_secs(61));
        assert_eq!(clock.now() - before, Duration::from_secs(61));
    }
}
