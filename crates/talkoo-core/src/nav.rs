//! The app's routes and sections: which page an address draws, and which section it belongs to, so the navigation marks the current section on every page, a card's and a place's included.

/// A section of the app: one entry of the main navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Search and the cards (`/`, `/services/:id`).
    Catalogue,
    /// Events (`/events`, `/events/:id`).
    Events,
    /// The volunteer's hours (`/hours` and everything under it).
    Hours,
    /// The association directory.
    Organisations,
    /// Meeting places (`/places`, `/places/:id`).
    Places,
    /// Badges.
    Badges,
    /// Settings.
    Settings,
}

impl Section {
    /// The most used sections, which the bottom bar of a narrow screen shows
    /// beside "More" (four items, as installed apps have them).
    pub const BAR: [Section; 3] = [Section::Catalogue, Section::Events, Section::Hours];

    /// The sections behind "More" on a narrow screen; a wide screen shows
    /// them after [`Section::BAR`] in one row.
    pub const MORE: [Section; 4] = [
        Section::Organisations,
        Section::Places,
        Section::Badges,
        Section::Settings,
    ];

    /// The section's own address, relative to the app's base.
    pub fn route(self) -> &'static str {
        match self {
            Section::Catalogue => "/",
            Section::Events => "/events",
            Section::Hours => "/hours",
            Section::Organisations => "/organisations",
            Section::Places => "/places",
            Section::Badges => "/badges",
            Section::Settings => "/settings",
        }
    }

    /// The message key of its name in the navigation.
    pub fn label_key(self) -> &'static str {
        match self {
            Section::Catalogue => "nav-catalogue",
            Section::Events => "nav-events",
            Section::Hours => "nav-hours",
            Section::Organisations => "nav-organisations",
            Section::Places => "nav-places",
            Section::Badges => "nav-badges",
            Section::Settings => "nav-settings",
        }
    }

    /// Whether a narrow screen keeps it behind "More".
    pub fn in_more(self) -> bool {
        Section::MORE.contains(&self)
    }

    /// The section an app path (without the base, query or fragment)
    /// belongs to, that of the page it draws ([`Route::of`]); `None` for
    /// an address no route knows and for a kiosk's set-up page.
    pub fn of(path: &str) -> Option<Section> {
        match Route::of(path) {
            Route::Catalogue | Route::Service(_) => Some(Section::Catalogue),
            Route::Events | Route::Event(_) => Some(Section::Events),
            Route::Places | Route::Place(_) => Some(Section::Places),
            Route::Hours => Some(Section::Hours),
            Route::Organisations => Some(Section::Organisations),
            Route::Badges => Some(Section::Badges),
            Route::Settings => Some(Section::Settings),
            Route::KioskSetup | Route::NotFound => None,
        }
    }
}

/// Whether an app path (without the base, query or fragment) is personal:
/// hours, badges (Check a badge too), settings, or a kiosk's set-up. A
/// kiosk refuses every such address, however deep, before any route draws
/// it, so a visitor reaches no one's data and cannot set the kiosk up anew.
pub fn personal(path: &str) -> bool {
    let first = path.trim_start_matches('/').split('/').next();
    matches!(first, Some("hours" | "badges" | "settings" | "kiosk"))
}

/// The page an app path (without the base, query or fragment) draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: search and the cards.
    Catalogue,
    /// `/services/:id`: a card.
    Service(String),
    /// `/organisations`.
    Organisations,
    /// `/places`.
    Places,
    /// `/places/:id`.
    Place(String),
    /// `/events`.
    Events,
    /// `/events/:id`.
    Event(String),
    /// `/hours` and every address under it (the badges module draws them).
    Hours,
    /// `/badges` and every address under it (the badges module draws them).
    Badges,
    /// `/settings`.
    Settings,
    /// `/kiosk/setup`: the page a kiosk set-up link opens.
    KioskSetup,
    /// An address no route knows.
    NotFound,
}

impl Route {
    /// The route of an app path. One trailing slash is ignored, as is an
    /// empty path (the front page); an id is one whole segment.
    pub fn of(path: &str) -> Route {
        let path = path.strip_suffix('/').unwrap_or(path);
        let mut parts = path.split('/');
        // A path starts with '/', so the first part is empty; one that
        // does not is no app path.
        if parts.next() != Some("") {
            return Route::NotFound;
        }
        let parts: Vec<&str> = parts.collect();
        let id = |make: fn(String) -> Route| -> Route {
            match parts.as_slice() {
                [_, id] if !id.is_empty() => make((*id).to_owned()),
                _ => Route::NotFound,
            }
        };
        match parts.as_slice() {
            [] => Route::Catalogue,
            ["organisations"] => Route::Organisations,
            ["places"] => Route::Places,
            ["events"] => Route::Events,
            ["settings"] => Route::Settings,
            ["kiosk", "setup"] => Route::KioskSetup,
            ["hours", ..] => Route::Hours,
            ["badges", ..] => Route::Badges,
            ["services", _] => id(Route::Service),
            ["places", _] => id(Route::Place),
            ["events", _] => id(Route::Event),
            _ => Route::NotFound,
        }
    }

    /// The id a card's, a place's or an event's address names.
    pub fn id(&self) -> Option<&str> {
        match self {
            Route::Service(id) | Route::Place(id) | Route::Event(id) => Some(id),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_belongs_to_its_section() {
        // Issue 10: a card showed no current section at all.
        let check = |path: &str, expected: Option<Section>| {
            assert_eq!(Section::of(path), expected, "{path:?}");
        };
        check("/", Some(Section::Catalogue));
        check("", Some(Section::Catalogue));
        check("/services/kainuu-ystava-1", Some(Section::Catalogue));
        check("/events", Some(Section::Events));
        check("/events/joulumyyjaiset", Some(Section::Events));
        check("/places/", Some(Section::Places));
        check("/places/kahvila-1", Some(Section::Places));
        check("/hours", Some(Section::Hours));
        check("/hours/new", Some(Section::Hours));
        check("/hours/edit/0f0e", Some(Section::Hours));
        check("/organisations", Some(Section::Organisations));
        check("/badges", Some(Section::Badges));
        check("/badges/check", Some(Section::Badges));
        check("/settings", Some(Section::Settings));
        check("/services", None);
        check("/services/a/b", None);
        check("/settings/x", None);
        check("/no-such-page", None);
    }

    #[test]
    fn the_bar_and_more_list_every_section_once() {
        let all: Vec<Section> = Section::BAR.into_iter().chain(Section::MORE).collect();
        assert_eq!(all.len(), 7);
        for section in &all {
            assert_eq!(Section::of(section.route()), Some(*section));
            assert_eq!(all.iter().filter(|s| *s == section).count(), 1);
            assert_eq!(section.in_more(), Section::MORE.contains(section));
        }
    }

    #[test]
    fn personal_paths_are_every_address_under_a_personal_section() {
        for path in [
            "/hours",
            "/hours/new",
            "/hours/edit/x",
            "/badges",
            "/badges/check",
            "/badges/a/b",
            "/settings",
            "/kiosk/setup",
        ] {
            assert!(personal(path), "{path}");
        }
        for path in [
            "/",
            "/events",
            "/events/e1",
            "/places/p",
            "/organisations",
            "/hoursx",
            "/services/s",
        ] {
            assert!(!personal(path), "{path}");
        }
    }
    #[test]
    fn every_address_draws_its_page() {
        // The routes the app had with leptos_router's `path!` patterns,
        // which this matching replaces (issue 13).
        let check = |path: &str, expected: Route| {
            assert_eq!(Route::of(path), expected, "{path:?}");
        };
        let id = |s: &str| s.to_owned();
        check("", Route::Catalogue);
        check("/", Route::Catalogue);
        check(
            "/services/kainuu-ystava-1",
            Route::Service(id("kainuu-ystava-1")),
        );
        check(
            "/services/kainuu-ystava-1/",
            Route::Service(id("kainuu-ystava-1")),
        );
        check("/services", Route::NotFound);
        check("/services/", Route::NotFound);
        check("/services/a/b", Route::NotFound);
        check("/organisations", Route::Organisations);
        check("/organisations/x", Route::NotFound);
        check("/places", Route::Places);
        check("/places/", Route::Places);
        check("/places/kahvila-1", Route::Place(id("kahvila-1")));
        check("/events", Route::Events);
        check("/events/joulumyyjaiset", Route::Event(id("joulumyyjaiset")));
        check("/events//", Route::NotFound);
        check("/hours", Route::Hours);
        check("/hours/new", Route::Hours);
        check("/hours/edit/0f0e", Route::Hours);
        check("/badges", Route::Badges);
        check("/badges/check", Route::Badges);
        check("/settings", Route::Settings);
        check("/settings/x", Route::NotFound);
        check("/kiosk/setup", Route::KioskSetup);
        check("/kiosk", Route::NotFound);
        check("/hoursx", Route::NotFound);
        check("/no-such-page", Route::NotFound);
        check("no-slash", Route::NotFound);
        assert_eq!(Route::of("/events/e1").id(), Some("e1"));
        assert_eq!(Route::of("/events").id(), None);
    }
}
