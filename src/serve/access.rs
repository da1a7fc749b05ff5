//! Who may use the page when it has a password: the sessions of logged-in
//! browsers, which end after a while, and the pause that follows repeated
//! wrong passwords from one address. Pure bookkeeping over instants the
//! caller supplies, so that the rules are tested without waiting.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// A session unused for this long ends (a browser left open overnight).
pub const SESSION_IDLE: Duration = Duration::from_secs(8 * 3600);
/// A session ends this long after the login in any case: once a day.
pub const SESSION_MAX: Duration = Duration::from_secs(24 * 3600);
/// Wrong passwords in a row, from one address, before it must wait.
pub const FAILURES_BEFORE_PAUSE: u32 = 5;
/// How long an address waits after [`FAILURES_BEFORE_PAUSE`] wrong
/// passwords; a wrong password after a longer quiet starts the count anew.
pub const PAUSE: Duration = Duration::from_secs(5 * 60);
/// At most this many addresses are remembered (a flood of addresses
/// cannot fill memory; the oldest are forgotten first).
const MAX_ADDRESSES: usize = 10_000;

/// One logged-in browser.
#[derive(Debug, Clone, Copy)]
struct Session {
    opened: Instant,
    used: Instant,
}

/// Wrong passwords from one address.
#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// What a login attempt gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The address must wait this long; the password was not even checked.
    Wait(Duration),
    /// Wrong password (counted).
    Wrong,
    /// Right password: the address's count starts again.
    Right,
}

/// The sessions and the failed logins of a server.
#[derive(Debug, Default)]
pub struct Access {
    sessions: HashMap<String, Session>,
    failures: HashMap<IpAddr, Failures>,
}

impl Access {
    /// A new session for a browser that gave the right password; ended
    /// sessions are forgotten meanwhile.
    pub fn open(&mut self, token: String, now: Instant) {
        self.sessions.retain(|_, s| s.alive(now));
        self.sessions.insert(token, Session { opened: now, used: now });
    }

    /// Whether `token` is a live session; using it keeps it alive.
    pub fn check(&mut self, token: &str, now: Instant) -> bool {
        match self.sessions.get_mut(token) {
            Some(s) if s.alive(now) => {
                s.used = now;
                true
            }
            Some(_) => {
                self.sessions.remove(token);
                false
            }
            None => false,
        }
    }

    /// Ends a session (the «Esci» button).
    pub fn close(&mut self, token: &str) {
        self.sessions.remove(token);
    }

    /// A login from `who`: refused while it must wait (the right password
    /// included), else checked with `right` and counted. One call under one
    /// lock, so that concurrent guesses cannot slip past the pause.
    pub fn attempt(&mut self, who: IpAddr, now: Instant, right: impl FnOnce() -> bool) -> Attempt {
        if let Some(wait) = self.waiting(who, now) {
            Attempt::Wait(wait)
        } else if right() {
            self.succeeded(who);
            Attempt::Right
        } else {
            self.failed(who, now);
            Attempt::Wrong
        }
    }

    /// How long `who` must still wait before trying a password, if at all.
    fn waiting(&self, who: IpAddr, now: Instant) -> Option<Duration> {
        let f = self.failures.get(&who)?;
        let end = f.last + PAUSE;
        (f.count >= FAILURES_BEFORE_PAUSE && now < end).then(|| end - now)
    }

    /// A wrong password from `who`.
    fn failed(&mut self, who: IpAddr, now: Instant) {
        self.failures.retain(|_, f| now.saturating_duration_since(f.last) < PAUSE);
        if self.failures.len() >= MAX_ADDRESSES
            && !self.failures.contains_key(&who)
            && let Some(oldest) = self.failures.iter().min_by_key(|(_, f)| f.last).map(|(ip, _)| *ip)
        {
            self.failures.remove(&oldest);
        }
        let f = self.failures.entry(who).or_insert(Failures { count: 0, last: now });
        f.count += 1;
        f.last = now;
    }

    /// The right password from `who`: its count starts again.
    fn succeeded(&mut self, who: IpAddr) {
        self.failures.remove(&who);
    }
}

impl Session {
    fn alive(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.used) < SESSION_IDLE
            && now.saturating_duration_since(self.opened) < SESSION_MAX
    }
}

/// «5 minuti», «1 minuto»: a wait as the page says it, rounded up.
pub fn minutes(wait: Duration) -> String {
    let m = wait.as_secs().div_ceil(60).max(1);
    if m == 1 { "1 minuto".to_string() } else { format!("{m} minuti") }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: Duration = Duration::from_secs(3600);

    #[test]
    fn a_session_ends_after_hours_unused_or_a_day_after_login() {
        let t0 = Instant::now();
        let mut a = Access::default();
        a.open("s".into(), t0);
        assert!(a.check("s", t0 + 7 * H), "used within the idle limit");
        assert!(a.check("s", t0 + 14 * H), "each use keeps it alive");
        assert!(!a.check("s", t0 + 14 * H + SESSION_IDLE), "unused for the idle limit");
        assert!(!a.check("s", t0 + 14 * H), "an ended session stays ended");

        a.open("d".into(), t0);
        for h in 1..24 {
            assert!(a.check("d", t0 + h * H), "hour {h}");
        }
        assert!(!a.check("d", t0 + SESSION_MAX), "a day after the login, however much it was used");
        assert!(!a.check("mai-aperta", t0));

        a.open("e".into(), t0);
        a.close("e");
        assert!(!a.check("e", t0));
    }

    #[test]
    fn ended_sessions_are_forgotten_when_a_new_one_opens() {
        let t0 = Instant::now();
        let mut a = Access::default();
        for i in 0..100 {
            a.open(format!("s{i}"), t0);
        }
        a.open("nuova".into(), t0 + SESSION_MAX);
        assert_eq!(a.sessions.len(), 1);
    }

    #[test]
    fn five_wrong_passwords_make_an_address_wait_and_others_not() {
        let t0 = Instant::now();
        let mut a = Access::default();
        let who: IpAddr = "192.168.1.20".parse().expect("ip");
        let other: IpAddr = "192.168.1.21".parse().expect("ip");
        for i in 0..FAILURES_BEFORE_PAUSE {
            assert_eq!(a.waiting(who, t0), None, "attempt {i}");
            a.failed(who, t0);
        }
        assert_eq!(a.waiting(who, t0), Some(PAUSE));
        assert_eq!(a.waiting(who, t0 + PAUSE / 2), Some(PAUSE / 2));
        assert_eq!(a.waiting(other, t0), None, "another address is not touched");
        assert_eq!(a.waiting(who, t0 + PAUSE), None, "after the pause it may try again");
        // After the pause one more wrong password starts the count anew.
        a.failed(who, t0 + PAUSE);
        assert_eq!(a.waiting(who, t0 + PAUSE), None);
    }

    #[test]
    fn while_an_address_waits_even_the_right_password_is_not_checked() {
        let t0 = Instant::now();
        let mut a = Access::default();
        let who: IpAddr = "192.168.1.30".parse().expect("ip");
        for _ in 0..FAILURES_BEFORE_PAUSE {
            assert_eq!(a.attempt(who, t0, || false), Attempt::Wrong);
        }
        let mut checked = false;
        assert_eq!(
            a.attempt(who, t0, || {
                checked = true;
                true
            }),
            Attempt::Wait(PAUSE)
        );
        assert!(!checked, "the password is not compared while waiting");
        assert_eq!(a.attempt(who, t0 + PAUSE, || true), Attempt::Right);
    }

    #[test]
    fn the_right_password_starts_the_count_again() {
        let t0 = Instant::now();
        let mut a = Access::default();
        let who: IpAddr = "10.0.0.7".parse().expect("ip");
        for _ in 0..FAILURES_BEFORE_PAUSE - 1 {
            a.failed(who, t0);
        }
        a.succeeded(who);
        for _ in 0..FAILURES_BEFORE_PAUSE - 1 {
            a.failed(who, t0);
        }
        assert_eq!(a.waiting(who, t0), None);
    }

    #[test]
    fn a_flood_of_addresses_is_bounded() {
        let t0 = Instant::now();
        let mut a = Access::default();
        for i in 0..(MAX_ADDRESSES as u32 + 50) {
            a.failed(IpAddr::from(i.to_be_bytes()), t0 + Duration::from_millis(u64::from(i)));
        }
        assert_eq!(a.failures.len(), MAX_ADDRESSES);
    }

    #[test]
    fn waits_are_said_in_whole_minutes() {
        assert_eq!(minutes(PAUSE), "5 minuti");
        assert_eq!(minutes(Duration::from_secs(61)), "2 minuti");
        assert_eq!(minutes(Duration::from_secs(1)), "1 minuto");
    }
}
