//! The app's memory holds ID numbers, names, photos and passwords as they are typed: a crash
//! must not leave them in a core file. So the app sets its core-file limit to zero first thing
//! in [`crate::run`]; the web view's processes inherit the limit.
//!
//! (Marking the process undumpable with `PR_SET_DUMPABLE` would also hide it from its own
//! user's tools, such as the operator's `ps`-based checks; the core limit is what keeps the
//! data off the disk.)

/// Turns core dumps off for this process and its children. A failure is logged, not fatal: the
/// kiosk still serves visitors.
pub fn forbid() {
    #[cfg(target_os = "linux")]
    {
        use nix::sys::resource::{Resource, setrlimit};
        if let Err(e) = setrlimit(Resource::RLIMIT_CORE, 0, 0) {
            log::warn!("core-file limit not set to zero: {e}");
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    #[test]
    fn the_process_can_no_longer_dump_core() {
        use nix::sys::resource::{Resource, getrlimit};
        super::forbid();
        assert_eq!(getrlimit(Resource::RLIMIT_CORE).unwrap(), (0, 0));
    }
}
