//! One run at a time, and never a dropped request: a run asked for while one is going happens right after it.
//!
//! Sync and the outbox are started by many triggers (start, `online`, the
//! page becoming visible, timers, buttons, a new subscription). A trigger
//! that arrives during a run must not be lost, because the run under way
//! may have started before the change that trigger is about (a region
//! chosen, an entry saved).

use std::cell::Cell;

/// The run-again flag of one kind of run. `forced` requests (a button, the
/// device coming online) win over unforced ones (a timer) when merged.
#[derive(Debug, Default)]
pub struct Rerun {
    running: Cell<bool>,
    again: Cell<Option<bool>>,
}

impl Rerun {
    /// A new flag with nothing running.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks for a run. Returns `true` when the caller must start it now;
    /// `false` when one is under way, which will run once more when it ends.
    pub fn request(&self, forced: bool) -> bool {
        if self.running.get() {
            let merged = self.again.get().unwrap_or(false) || forced;
            self.again.set(Some(merged));
            false
        } else {
            self.running.set(true);
            true
        }
    }

    /// Called when a run ends. Returns `Some(forced)` when another run was
    /// asked for meanwhile (the caller runs again and stays running), or
    /// `None` when it is done.
    pub fn finish(&self) -> Option<bool> {
        match self.again.take() {
            Some(forced) => Some(forced),
            None => {
                self.running.set(false);
                None
            }
        }
    }

    /// Whether a run is under way.
    pub fn running(&self) -> bool {
        self.running.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_during_a_run_runs_once_more_and_merges_forced() {
        let rerun = Rerun::new();
        assert!(rerun.request(false), "nothing running: start now");
        assert!(rerun.running());
        assert!(!rerun.request(false), "running: queued");
        assert!(!rerun.request(true), "a second request merges");
        assert!(!rerun.request(false));
        assert_eq!(rerun.finish(), Some(true), "one more run, forced");
        assert!(rerun.running(), "still running for that run");
        assert_eq!(rerun.finish(), None);
        assert!(!rerun.running());
        assert!(rerun.request(false), "idle again: start now");
    }
}
