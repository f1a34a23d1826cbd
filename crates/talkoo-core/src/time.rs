//! Dates and times as the feed writes them, and the Europe/Helsinki offset, without a date library in the wasm.
//!
//! The feed carries RFC 3339 strings; events are local Helsinki time with
//! the offset in force that day (`+02:00` in winter, `+03:00` in summer,
//! switching on the last Sundays of March and October at 01:00 UTC).

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

/// A moment with the offset it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    /// Local date as written.
    pub date: Date,
    /// Local seconds since midnight as written.
    pub seconds: u32,
    /// Offset from UTC in minutes (`+02:00` is 120).
    pub offset_minutes: i32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = digits(&text[0..4])? as i32;
        let month = digits(&text[5..7])?;
        let day = digits(&text[8..10])?;
        let date = Date { year, month, day };
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(date)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// ISO weekday, Monday = 1 … Sunday = 7.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        ((self.days_since_epoch() + 3).rem_euclid(7) + 1) as u32
    }
}

/// `YYYY-MM-DD`, the form `Date::parse` reads and `<input type=date>` uses.
impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn digits(text: &str) -> Option<u32> {
    text.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse().ok())
        .flatten()
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parses local time `HH:MM` into minutes since midnight; `24:00` is allowed
/// as the end of a day.
pub fn parse_hhmm(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m) = (digits(h)?, digits(m)?);
    (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
}

impl DateTime {
    /// Parses RFC 3339 (`2026-12-05T10:00:00+02:00`, `…Z`, optional
    /// fractional seconds).
    pub fn parse(text: &str) -> Option<DateTime> {
        let (date, rest) = text.split_at_checked(10)?;
        let date = Date::parse(date)?;
        let rest = rest.strip_prefix(['T', 't'])?;
        let time = rest.get(0..8)?;
        let (h, m, s) = (
            digits(time.get(0..2)?)?,
            digits(time.get(3..5)?)?,
            digits(time.get(6..8)?)?,
        );
        if time.as_bytes()[2] != b':' || time.as_bytes()[5] != b':' || h > 23 || m > 59 || s > 60 {
            return None;
        }
        let mut zone = &rest[8..];
        if let Some(fraction) = zone.strip_prefix('.') {
            let end = fraction
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(fraction.len());
            if end == 0 {
                return None;
            }
            zone = &fraction[end..];
        }
        let offset_minutes = match zone {
            "Z" | "z" => 0,
            _ => {
                let sign = match zone.as_bytes().first()? {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let (oh, om) = zone[1..].split_once(':')?;
                if oh.len() != 2 || om.len() != 2 {
                    return None;
                }
                let (oh, om) = (digits(oh)? as i32, digits(om)? as i32);
                if oh > 23 || om > 59 {
                    return None;
                }
                sign * (oh * 60 + om)
            }
        };
        Some(DateTime {
            date,
            seconds: h * 3600 + m * 60 + s,
            offset_minutes,
        })
    }

    /// Seconds since the Unix epoch.
    pub fn unix(self) -> i64 {
        self.date.days_since_epoch() * 86_400 + i64::from(self.seconds)
            - i64::from(self.offset_minutes) * 60
    }
}

/// The UTC offset in minutes that Europe/Helsinki uses at a moment (EU
/// rule: summer time from the last Sunday of March to the last Sunday of
/// October, changing at 01:00 UTC).
pub fn helsinki_offset_minutes(unix_seconds: i64) -> i32 {
    let year = Date::from_days(unix_seconds.div_euclid(86_400)).year;
    let last_sunday = |month: u32| {
        let last = Date {
            year,
            month,
            day: 31,
        };
        last.days_since_epoch() - i64::from(last.weekday() % 7)
    };
    let starts = last_sunday(3) * 86_400 + 3_600;
    let ends = last_sunday(10) * 86_400 + 3_600;
    if (starts..ends).contains(&unix_seconds) {
        180
    } else {
        120
    }
}

/// Whether the timestamp's offset is the one Helsinki uses at that moment;
/// the feed requires event times in local Helsinki time.
pub fn is_helsinki_local(time: &DateTime) -> bool {
    helsinki_offset_minutes(time.unix()) == time.offset_minutes
}

/// A moment given in milliseconds since the epoch as RFC 3339 UTC with
/// milliseconds (`2026-12-02T15:41:56.123Z`), as JavaScript's
/// `toISOString` writes it; entries record when they were saved this way.
pub fn rfc3339_utc(unix_ms: i64) -> String {
    let days = unix_ms.div_euclid(86_400_000);
    let ms = unix_ms.rem_euclid(86_400_000);
    let date = Date::from_days(days);
    format!(
        "{date}T{:02}:{:02}:{:02}.{:03}Z",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_read_as_iso_strings() {
        let check = |ms: i64, text: &str| {
            assert_eq!(rfc3339_utc(ms), text, "{ms}");
            assert_eq!(
                DateTime::parse(text).map(DateTime::unix),
                Some(ms.div_euclid(1000))
            );
        };
        check(0, "1970-01-01T00:00:00.000Z");
        check(1_796_312_516_123, "2026-12-03T15:41:56.123Z");
        check(-1, "1969-12-31T23:59:59.999Z");
        check(951_782_400_000, "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn dates_display_as_they_parse() {
        for text in ["2026-11-20", "0999-01-05", "2024-02-29"] {
            assert_eq!(Date::parse(text).expect("date").to_string(), text);
        }
    }

    #[test]
    fn dates() {
        let check = |text: &str, ok: bool| assert_eq!(Date::parse(text).is_some(), ok, "{text}");
        check("2026-12-05", true);
        check("2028-02-29", true);
        check("2027-02-29", false);
        check("2026-13-01", false);
        check("2026-1-01", false);
        check("26-12-05xx", false);
        for days in [-1, 0, 19_000, 20_424, 40_000] {
            assert_eq!(Date::from_days(days).days_since_epoch(), days);
        }
        assert_eq!(
            Date::parse("2026-11-23").map(Date::weekday),
            Some(1),
            "a Monday"
        );
        assert_eq!(
            Date::parse("2027-03-28").map(Date::weekday),
            Some(7),
            "a Sunday"
        );
    }

    #[test]
    fn times() {
        let check =
            |text: &str, expected: Option<u32>| assert_eq!(parse_hhmm(text), expected, "{text}");
        check("00:00", Some(0));
        check("10:30", Some(630));
        check("24:00", Some(1440));
        check("24:30", None);
        check("9:30", None);
        check("10:60", None);
    }

    #[test]
    fn rfc3339() {
        let unix = |text: &str| DateTime::parse(text).map(DateTime::unix);
        assert_eq!(unix("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(unix("1970-01-01T02:00:00+02:00"), Some(0));
        assert_eq!(
            unix("2026-11-23T10:00:00.250Z"),
            unix("2026-11-23T10:00:00Z")
        );
        for bad in [
            "2026-11-23 10:00:00Z",
            "2026-11-23T10:00Z",
            "2026-11-23T10:00:00",
            "2026-11-23T25:00:00Z",
            "2026-11-23T10:00:00+2:00",
        ] {
            assert_eq!(DateTime::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn helsinki_offsets_follow_the_eu_rule() {
        let check = |text: &str, local: bool| {
            let time = DateTime::parse(text).expect(text);
            assert_eq!(is_helsinki_local(&time), local, "{text}");
        };
        check("2026-12-05T10:00:00+02:00", true);
        check("2026-12-05T10:00:00+03:00", false);
        check("2027-06-15T18:00:00+03:00", true);
        check("2027-06-15T18:00:00+02:00", false);
        // Summer time begins 2027-03-28 at 03:00 local (01:00 UTC).
        check("2027-03-28T02:59:00+02:00", true);
        check("2027-03-28T04:00:00+03:00", true);
        // And ends 2026-10-25 at 04:00 local summer time.
        check("2026-10-25T03:59:00+03:00", true);
        check("2026-10-25T03:30:00+02:00", true);
    }
}
