//! Giving the freed heap back to the system (glibc's `malloc_trim`), and
//! deciding when it is worth it: pages given back are faulted in again the
//! next time the heap grows, which costs more than keeping them when the
//! next workbook will use them anyway.

use std::sync::atomic::{AtomicU64, Ordering};

/// How much the process may grow past its size after the last give-back
/// before [`give_back_when_grown`] gives the free heap back again: about
/// the memory of one workbook of the size of the real plans in progress.
pub const REGROWTH: u64 = 256 * 1024 * 1024;

/// Resident bytes measured right after the last give-back.
static AFTER_LAST: AtomicU64 = AtomicU64::new(0);

/// Returns the heap's free pages to the system now.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the system.
    unsafe {
        libc::malloc_trim(0);
    }
    if let Some(after) = resident_bytes() {
        AFTER_LAST.store(after, Ordering::Relaxed);
    }
}

/// Gives the free heap back only when the process has grown by
/// [`REGROWTH`] since the last give-back (or its size cannot be read).
pub fn give_back_when_grown() {
    if due(resident_bytes(), AFTER_LAST.load(Ordering::Relaxed)) {
        give_back();
    }
}

/// Whether a process of `resident` bytes, which measured `after_last`
/// right after the last give-back, should give its free heap back.
fn due(resident: Option<u64>, after_last: u64) -> bool {
    resident.is_none_or(|now| now >= after_last.saturating_add(REGROWTH))
}

/// The process's resident size, from `/proc/self/statm` (Linux only).
fn resident_bytes() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
        let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
        // SAFETY: sysconf only reads a system constant.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        u64::try_from(page).ok().map(|p| pages * p)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_back_only_after_growing_by_the_allowance() {
        let mib = 1024 * 1024;
        assert!(due(Some(300 * mib), 0), "never given back yet");
        assert!(!due(Some(500 * mib), 400 * mib), "grown less than the allowance");
        assert!(due(Some(400 * mib + REGROWTH), 400 * mib), "grown by the allowance");
        assert!(!due(Some(100 * mib), 400 * mib), "smaller than after the last time");
        assert!(due(None, 400 * mib), "size unknown: give back, as before");
        assert!(due(Some(u64::MAX), u64::MAX), "no overflow");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_resident_size_is_read() {
        let bytes = resident_bytes().expect("statm");
        assert!(bytes > 1024 * 1024, "a test process holds more than 1 MiB: {bytes}");
    }
}
