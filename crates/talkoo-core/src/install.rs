//! When to offer installing the app, and how: the browser's own prompt where it has one, Add to Home Screen steps on iPhone and iPad, and never where it would only nag.
//!
//! Most volunteers do not know that a web app can be installed, but an offer
//! that keeps coming back is worse than none. So the offer after the first
//! region download appears once per device; Settings always explains it.

/// How this browser installs web apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallWay {
    /// The browser has handed over its install prompt (`beforeinstallprompt`).
    Prompt,
    /// Safari on iPhone or iPad: Share, then Add to Home Screen.
    HomeScreen,
}

/// What the page knows about the browser and the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InstallFacts {
    /// Already running as an installed app (`display-mode: standalone`).
    pub installed: bool,
    /// A screen many people use (a library kiosk); nobody should install
    /// the app there for everybody.
    pub shared_screen: bool,
    /// The browser's install prompt is waiting to be used.
    pub can_prompt: bool,
    /// An iPhone or iPad, where installing is a manual step.
    pub ios: bool,
}

impl InstallFacts {
    /// How to install here, or `None` when the app is installed, the screen
    /// is shared, or the browser offers no way.
    pub fn way(self) -> Option<InstallWay> {
        if self.installed || self.shared_screen {
            None
        } else if self.can_prompt {
            Some(InstallWay::Prompt)
        } else if self.ios {
            Some(InstallWay::HomeScreen)
        } else {
            None
        }
    }

    /// Whether to show the one-time offer: there is a way, a region has
    /// been downloaded (so the app has something to keep offline) and the
    /// offer has not been made on this device before.
    pub fn offer_once(self, region_downloaded: bool, offered_before: bool) -> Option<InstallWay> {
        self.way().filter(|_| region_downloaded && !offered_before)
    }
}

/// Whether a browser is on an iPhone, iPad or iPod, from its user agent and
/// touch points: iPadOS Safari calls itself a Mac, but Macs have no touch
/// screen.
pub fn is_ios(user_agent: &str, max_touch_points: u32) -> bool {
    ["iPhone", "iPad", "iPod"]
        .iter()
        .any(|d| user_agent.contains(d))
        || (user_agent.contains("Macintosh") && max_touch_points > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    const IPAD_AS_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    const ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

    #[test]
    fn ios_is_told_from_its_user_agent() {
        let check = |ua: &str, touch: u32, expected: bool| {
            assert_eq!(is_ios(ua, touch), expected, "{ua} {touch}");
        };
        check(IPHONE, 5, true);
        check(IPAD_AS_MAC, 5, true);
        check(IPAD_AS_MAC, 0, false);
        check(ANDROID, 5, false);
        check("", 0, false);
    }

    #[test]
    fn the_offer_never_nags() {
        let facts = |installed, shared_screen, can_prompt, ios| InstallFacts {
            installed,
            shared_screen,
            can_prompt,
            ios,
        };
        let check = |f: InstallFacts, way: Option<InstallWay>, once: Option<InstallWay>| {
            assert_eq!(f.way(), way, "{f:?}");
            assert_eq!(f.offer_once(true, false), once, "{f:?}");
        };
        use InstallWay::*;
        check(facts(false, false, true, false), Some(Prompt), Some(Prompt));
        check(
            facts(false, false, false, true),
            Some(HomeScreen),
            Some(HomeScreen),
        );
        // Chrome on an iPad that hands over a prompt uses it.
        check(facts(false, false, true, true), Some(Prompt), Some(Prompt));
        check(facts(true, false, true, true), None, None);
        check(facts(false, true, true, true), None, None);
        check(facts(false, false, false, false), None, None);
        let prompt = facts(false, false, true, false);
        assert_eq!(prompt.offer_once(false, false), None, "before any region");
        assert_eq!(prompt.offer_once(true, true), None, "offered before");
    }
}
