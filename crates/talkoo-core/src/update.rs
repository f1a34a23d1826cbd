//! The app-update flow as a pure state machine, so "never a surprise reload" is a tested rule rather than a hope.
//!
//! The browser side feeds events in (a check started, a new service worker is
//! waiting, the controller changed) and carries out the returned [`Action`].
//! A reload is only ever returned after the user accepted the update.

/// How often an open app asks the server for a new version. Kiosks stay open
/// for days, so they rely on this timer rather than on restarts.
pub const CHECK_INTERVAL_MS: u32 = 15 * 60 * 1000;

/// Where the update flow stands, as shown in Settings and the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UpdateState {
    /// Nothing known yet (no check made in this session).
    #[default]
    Idle,
    /// A check is under way.
    Checking,
    /// The last check found no newer version.
    UpToDate,
    /// The last check could not reach the server.
    CheckFailed,
    /// A new version is installed and waiting; the prompt is shown.
    Available,
    /// The user closed the prompt; Settings still offers the update.
    Postponed,
    /// The user accepted; the new worker is taking over.
    Applying,
}

/// Something that happened in the browser or was done by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateEvent {
    /// A check was started (timer, app start or the Settings button).
    CheckStarted,
    /// The check finished and no new worker is installing or waiting.
    NoUpdate,
    /// The check failed, typically because the device is offline.
    CheckFailed,
    /// A new service worker finished installing and is waiting.
    WorkerWaiting,
    /// The user chose "reload" in the prompt or in Settings.
    UserAccepted,
    /// The user chose "later".
    UserPostponed,
    /// Another service worker took control of this page.
    ControllerChanged,
}

/// What the browser side must do after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Tell the waiting worker to activate.
    ActivateWaiting,
    /// Reload the page so it runs on the new version.
    Reload,
}

impl UpdateState {
    /// Applies one event. A found update is never forgotten by a later check,
    /// and a controller change reloads only after the user accepted.
    pub fn step(self, event: UpdateEvent) -> (UpdateState, Action) {
        use UpdateEvent as E;
        use UpdateState as S;
        match (self, event) {
            (S::Applying, E::ControllerChanged) => (S::Applying, Action::Reload),
            (S::Applying, _) => (S::Applying, Action::None),
            (S::Available | S::Postponed, E::UserAccepted) => {
                (S::Applying, Action::ActivateWaiting)
            }
            (S::Available, E::UserPostponed) => (S::Postponed, Action::None),
            // A waiting worker stays waiting, so later checks keep the offer.
            (S::Available | S::Postponed, _) => (self, Action::None),
            (_, E::WorkerWaiting) => (S::Available, Action::None),
            (_, E::CheckStarted) => (S::Checking, Action::None),
            (_, E::NoUpdate) => (S::UpToDate, Action::None),
            (_, E::CheckFailed) => (S::CheckFailed, Action::None),
            (_, E::UserAccepted | E::UserPostponed | E::ControllerChanged) => (self, Action::None),
        }
    }

    /// Whether the "new version available" prompt is on screen.
    pub fn shows_prompt(self) -> bool {
        matches!(self, UpdateState::Available | UpdateState::Applying)
    }

    /// The i18n key of the sentence Settings shows for this state.
    pub fn message_key(self) -> &'static str {
        match self {
            UpdateState::Idle => "update-state-idle",
            UpdateState::Checking => "update-state-checking",
            UpdateState::UpToDate => "update-state-up-to-date",
            UpdateState::CheckFailed => "update-state-failed",
            UpdateState::Available | UpdateState::Postponed => "update-state-available",
            UpdateState::Applying => "update-applying",
        }
    }

    /// Whether Settings offers to apply a waiting version.
    pub fn can_apply(self) -> bool {
        matches!(self, UpdateState::Available | UpdateState::Postponed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use UpdateEvent as E;
    use UpdateState as S;

    /// Runs a sequence of events from `Idle` and returns the final state and
    /// every action taken, so each case reads as a story.
    fn check(events: &[UpdateEvent], expected_state: UpdateState, expected_actions: &[Action]) {
        let mut state = S::Idle;
        let mut actions = Vec::new();
        for event in events {
            let (next, action) = state.step(*event);
            state = next;
            if action != Action::None {
                actions.push(action);
            }
        }
        assert_eq!(state, expected_state, "events {events:?}");
        assert_eq!(actions, expected_actions, "events {events:?}");
    }

    #[test]
    fn update_flow_cases() {
        check(&[E::CheckStarted, E::NoUpdate], S::UpToDate, &[]);
        check(&[E::CheckStarted, E::CheckFailed], S::CheckFailed, &[]);
        check(&[E::CheckStarted, E::WorkerWaiting], S::Available, &[]);
        check(
            &[E::WorkerWaiting, E::UserAccepted, E::ControllerChanged],
            S::Applying,
            &[Action::ActivateWaiting, Action::Reload],
        );
        check(&[E::WorkerWaiting, E::UserPostponed], S::Postponed, &[]);
        check(
            &[
                E::WorkerWaiting,
                E::UserPostponed,
                E::UserAccepted,
                E::ControllerChanged,
            ],
            S::Applying,
            &[Action::ActivateWaiting, Action::Reload],
        );
        // A later check that sees nothing new must not hide a waiting version.
        check(
            &[E::WorkerWaiting, E::CheckStarted, E::NoUpdate],
            S::Available,
            &[],
        );
    }

    #[test]
    fn never_a_surprise_reload() {
        // The first install claims the page and changes the controller: the
        // user asked for nothing, so nothing reloads.
        check(&[E::ControllerChanged], S::Idle, &[]);
        check(&[E::WorkerWaiting, E::ControllerChanged], S::Available, &[]);
        check(
            &[E::WorkerWaiting, E::UserPostponed, E::ControllerChanged],
            S::Postponed,
            &[],
        );
        // Accepting with nothing waiting does nothing.
        check(&[E::UserAccepted, E::ControllerChanged], S::Idle, &[]);
    }

    #[test]
    fn every_state_has_a_message_in_every_language() {
        let states = [
            S::Idle,
            S::Checking,
            S::UpToDate,
            S::CheckFailed,
            S::Available,
            S::Postponed,
            S::Applying,
        ];
        for lang in crate::Lang::ALL {
            let (ids, _) = crate::i18n::catalogue_report(lang);
            for state in states {
                assert!(
                    ids.contains(state.message_key()),
                    "{state:?} in {}",
                    lang.tag()
                );
            }
        }
    }

    #[test]
    fn prompt_visibility() {
        assert!(S::Available.shows_prompt());
        assert!(!S::Postponed.shows_prompt());
        assert!(S::Postponed.can_apply());
        assert!(!S::UpToDate.can_apply());
    }
}
