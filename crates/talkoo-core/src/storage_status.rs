//! What Settings says about on-device storage: persistence and usage, in words a volunteer understands.

use crate::i18n::Lang;

/// What the browser reported about storage. Each part is optional because
/// some browsers, and private windows, do not answer every question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StorageStatus {
    /// Whether the browser promised not to evict our data under pressure.
    pub persisted: Option<bool>,
    /// Bytes used by this origin.
    pub usage: Option<u64>,
    /// Bytes this origin may use.
    pub quota: Option<u64>,
}

impl StorageStatus {
    /// The share of the quota in use, in whole percent, rounded up so that a
    /// nearly empty store never reads as 0 % once anything is stored.
    pub fn percent_used(&self) -> Option<u8> {
        let (usage, quota) = (self.usage?, self.quota?);
        if quota == 0 {
            return None;
        }
        let percent = (usage.saturating_mul(100)).div_ceil(quota).min(100);
        u8::try_from(percent).ok()
    }
}

/// Formats a byte count with the unit and decimal separator of the language
/// (Finnish and Swedish use a decimal comma).
pub fn format_bytes(bytes: u64, lang: Lang) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let text = if unit == 0 || value >= 100.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    let text = match lang {
        Lang::Fi | Lang::Sv => text.replace('.', ","),
        Lang::En => text,
    };
    // A no-break space keeps number and unit together on narrow phones.
    format!("{text}\u{a0}{}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: u64, lang: Lang, expected: &str) {
        assert_eq!(
            format_bytes(bytes, lang),
            expected.replace(' ', "\u{a0}"),
            "{bytes} in {lang:?}"
        );
    }

    #[test]
    fn byte_formatting() {
        check(0, Lang::En, "0 B");
        check(999, Lang::Fi, "999 B");
        check(1_500, Lang::En, "1.5 kB");
        check(1_500, Lang::Fi, "1,5 kB");
        check(2_345_678, Lang::Sv, "2,3 MB");
        check(123_456_789, Lang::En, "123 MB");
        check(60_000_000_000, Lang::Fi, "60,0 GB");
    }

    #[test]
    fn percent_used() {
        let status = |usage, quota| StorageStatus {
            persisted: None,
            usage,
            quota,
        };
        assert_eq!(status(Some(1), Some(1_000_000)).percent_used(), Some(1));
        assert_eq!(status(Some(0), Some(1_000)).percent_used(), Some(0));
        assert_eq!(status(Some(500), Some(1_000)).percent_used(), Some(50));
        assert_eq!(status(Some(5), Some(0)).percent_used(), None);
        assert_eq!(status(None, Some(10)).percent_used(), None);
    }
}
