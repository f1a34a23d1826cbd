//! Dates and times as the app's language writes them, and what a volunteer types read back, so the browser's own language never decides.
//!
//! Finnish and Swedish in Finland write day before month with full stops
//! (`2.12.2026`, a date without the year `5.12.`) and the time with a full
//! stop (`14.30`), on a 24-hour clock. The app's English follows British
//! usage (`2 Dec 2026`, `14:30`). A no-break space joins the parts of a date
//! and a weekday to its date, so a line never breaks inside one.
//!
//! Reading is lenient and the same in every language, because every form the
//! app offers is day-first: `2.12.2026`, `2.12.26`, `2.12.` or `2.12` (this
//! year), `2/12/2026`, `2 Dec 2026`, `2 December` and ISO `2026-12-02` all
//! read as the 2nd of December; `14.30`, `14:30`, `1430`, `14` and `9.05`
//! read as times of day. A comma works wherever a full stop does
//! (`2,12,2026`, `14,30`), because the form asks phones for their decimal
//! keypad, which in Finnish and Swedish has a comma and no full stop.

use crate::i18n::Lang;
use crate::time::{Date, DateTime};

const NBSP: char = '\u{a0}';

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Weekday abbreviations, Monday first, as each language writes them before
/// a date (`ti 5.12.`, `tis 5.12.`, `Tue 5 Dec`).
fn weekday_abbr(lang: Lang, iso_weekday: u32) -> &'static str {
    const FI: [&str; 7] = ["ma", "ti", "ke", "to", "pe", "la", "su"];
    const SV: [&str; 7] = ["mån", "tis", "ons", "tors", "fre", "lör", "sön"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = (iso_weekday.clamp(1, 7) - 1) as usize;
    match lang {
        Lang::Fi => FI[i],
        Lang::Sv => SV[i],
        Lang::En => EN[i],
    }
}

fn month_abbr_en(month: u32) -> &'static str {
    MONTHS_EN
        .get(month.wrapping_sub(1) as usize)
        .map(|m| &m[..3])
        .unwrap_or("")
}

/// A full date: `2.12.2026` in Finnish and Swedish, `2 Dec 2026` in English.
pub fn date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Fi | Lang::Sv => format!("{}.{}.{}", d.day, d.month, d.year),
        Lang::En => format!("{}{NBSP}{}{NBSP}{}", d.day, month_abbr_en(d.month), d.year),
    }
}

/// A date without its year: `5.12.` in Finnish and Swedish, `5 Dec` in English.
pub fn day_month(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Fi | Lang::Sv => format!("{}.{}.", d.day, d.month),
        Lang::En => format!("{}{NBSP}{}", d.day, month_abbr_en(d.month)),
    }
}

/// A date with its weekday, `ti 5.12.` (or `ti 5.12.2026` with the year):
/// how an event's day is written, so nobody has to work out the weekday.
pub fn weekday_date(d: Date, lang: Lang, with_year: bool) -> String {
    let day = if with_year {
        date(d, lang)
    } else {
        day_month(d, lang)
    };
    format!("{}{NBSP}{day}", weekday_abbr(lang, d.weekday()))
}

/// A time of day from minutes since midnight: `14.30` in Finnish and
/// Swedish, `14:30` in English, always on a 24-hour clock.
pub fn time(minutes: u32, lang: Lang) -> String {
    let sep = match lang {
        Lang::Fi | Lang::Sv => '.',
        Lang::En => ':',
    };
    format!("{:02}{sep}{:02}", minutes / 60, minutes % 60)
}

/// How a time is introduced after a date: `klo 14.00`, `kl. 14.00`, and a
/// comma in English (`Tue 5 Dec, 14:00`). A no-break space keeps the word
/// with its time.
fn at(minutes: u32, lang: Lang) -> String {
    match lang {
        Lang::Fi => format!("klo{NBSP}{}", time(minutes, lang)),
        Lang::Sv => format!("kl.{NBSP}{}", time(minutes, lang)),
        Lang::En => time(minutes, lang),
    }
}

/// Joins a weekday date and what follows it: a space in Finnish and
/// Swedish, a comma in English.
fn date_then(date: &str, rest: &str, lang: Lang) -> String {
    match lang {
        Lang::Fi | Lang::Sv => format!("{date} {rest}"),
        Lang::En => format!("{date}, {rest}"),
    }
}

/// Minutes since midnight of a feed time (seconds are dropped).
fn minutes_of(t: &DateTime) -> u32 {
    t.seconds / 60
}

/// One moment with its weekday, in local time as the feed writes it:
/// `su 23.1. klo 23.59`, `sön 23.1. kl. 23.59`, `Sun 23 Jan, 23:59`. The
/// year is written only when it is not `today`'s.
pub fn moment(t: DateTime, lang: Lang, today: Date) -> String {
    let day = weekday_date(t.date, lang, t.date.year != today.year);
    date_then(&day, &at(minutes_of(&t), lang), lang)
}

/// When an event happens, from its start and end in local time as the feed
/// writes them: `ti 5.12. klo 10.00–14.00`, `tis 5.12. kl. 10.00–14.00`,
/// `Tue 5 Dec, 10:00–14:00`. An event that ends at midnight ends at
/// `24.00` on its own day; one over several days names both days
/// (`la 5.12. klo 10.00 – su 6.12. klo 14.00`). The year is written only
/// when the event is not in `today`'s year, and then on both ends.
pub fn span(start: DateTime, end: DateTime, lang: Lang, today: Date) -> String {
    let (from, to) = (minutes_of(&start), minutes_of(&end));
    let ends_at_midnight =
        to == 0 && end.date.days_since_epoch() == start.date.days_since_epoch() + 1 && from > 0;
    if start.date == end.date || ends_at_midnight {
        let with_year = start.date.year != today.year;
        let day = weekday_date(start.date, lang, with_year);
        let to = if ends_at_midnight { 24 * 60 } else { to };
        let times = if from == to {
            at(from, lang)
        } else {
            format!("{}–{}", at(from, lang), time(to, lang))
        };
        return date_then(&day, &times, lang);
    }
    let with_year = start.date.year != today.year || end.date.year != today.year;
    let side = |t: DateTime| {
        let day = weekday_date(t.date, lang, with_year);
        date_then(&day, &at(minutes_of(&t), lang), lang)
    };
    format!("{} – {}", side(start), side(end))
}

/// A date from the feed (`2026-12-05`, or the date of an RFC 3339 time)
/// written as [`date`] does, so cards and events share one style; text
/// that is not a date is returned as it is.
pub fn feed_date(text: &str, lang: Lang) -> String {
    text.get(..10)
        .and_then(Date::parse)
        .map(|d| date(d, lang))
        .unwrap_or_else(|| text.to_owned())
}

/// A time of day from the feed (`HH:MM`) written as [`time`] does
/// (`14.00`, `14:00`); text that is not a time is returned as it is.
pub fn feed_time(text: &str, lang: Lang) -> String {
    parse_time(text).map_or_else(|| text.to_owned(), |m| time(m, lang))
}

/// Opening hours from the feed, `opens`–`closes`: `10.00–14.00`.
pub fn feed_hours(opens: &str, closes: &str, lang: Lang) -> String {
    format!("{}–{}", feed_time(opens, lang), feed_time(closes, lang))
}

/// One day from the feed with its hours, as an event's day is written:
/// `la 5.12. 10.00–14.00`, `Sat 5 Dec, 10:00–14:00`; the year only when it
/// is not `today`'s.
pub fn feed_day_hours(date: &str, opens: &str, closes: &str, lang: Lang, today: Date) -> String {
    let hours = feed_hours(opens, closes, lang);
    match Date::parse(date) {
        Some(d) => date_then(&weekday_date(d, lang, d.year != today.year), &hours, lang),
        None => format!("{date} {hours}"),
    }
}

/// Days from the feed, `from` to `until` inclusive, with their weekdays:
/// `ti 24.12.`, or `ti 24.12. – to 26.12.` (spaced, as a range of days
/// is). The year is written only when either end is not in `today`'s year,
/// and then on both ends; text that is not a date is kept as it is.
pub fn feed_days(from: &str, until: Option<&str>, lang: Lang, today: Date) -> String {
    let until = until.filter(|u| *u != from);
    let (start, end) = (Date::parse(from), until.map(Date::parse));
    let with_year = start.is_some_and(|d| d.year != today.year)
        || end.flatten().is_some_and(|d| d.year != today.year);
    let day = |text: &str, d: Option<Date>| {
        d.map_or_else(|| text.to_owned(), |d| weekday_date(d, lang, with_year))
    };
    match (until, end) {
        (Some(until), Some(end)) => format!("{} – {}", day(from, start), day(until, end)),
        _ => day(from, start),
    }
}

/// The dates a schedule applies, from the feed: `1.9.2026–31.5.2027`, in
/// English `1 Sep 2026 – 31 May 2027` (spaced, since its dates have
/// spaces).
pub fn feed_date_range(from: &str, until: &str, lang: Lang) -> String {
    let dash = match lang {
        Lang::Fi | Lang::Sv => "–",
        Lang::En => " – ",
    };
    format!("{}{dash}{}", feed_date(from, lang), feed_date(until, lang))
}

/// Reads a typed date (see the module's list of forms). A date without a
/// year is in `today`'s year, or the year before when that would put it in
/// the future, since volunteers log what they have done. `None` when the
/// text is not a real date.
pub fn parse_date(text: &str, today: Date) -> Option<Date> {
    let text = text.trim().trim_end_matches(['.', ',']).trim();
    if text.is_empty() {
        return None;
    }
    if let Some(iso) = Date::parse(text) {
        return Some(iso);
    }
    let parts: Vec<&str> = text
        .split(|c: char| matches!(c, '.' | ',' | '/' | '-' | NBSP) || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    let (day, month, year) = match parts.as_slice() {
        [d, m] => (*d, *m, None),
        [d, m, y] => (*d, *m, Some(*y)),
        _ => return None,
    };
    let day = number(day, 2)?;
    let month = number(month, 2).or_else(|| month_by_name(month))?;
    let year = match year {
        Some(y) if y.len() == 4 => number(y, 4)? as i32,
        Some(y) if y.len() == 2 => 2000 + number(y, 2)? as i32,
        Some(_) => return None,
        None => {
            let this_year = Date {
                year: today.year,
                month,
                day,
            };
            if this_year > today {
                today.year - 1
            } else {
                today.year
            }
        }
    };
    Date::parse(&format!("{year:04}-{month:02}-{day:02}"))
}

/// Reads a typed time of day into minutes since midnight: `14.30`, `14:30`,
/// `14,30`, `1430`, `930`, `14` or `9.05`; `24.00` is allowed as the end of
/// a day.
pub fn parse_time(text: &str) -> Option<u32> {
    let text = text.trim();
    let (h, m) = match text.split_once(['.', ':', ',']) {
        Some((h, m)) if m.len() == 2 => (h, m),
        Some(_) => return None,
        None if text.len() >= 3 => text.split_at_checked(text.len() - 2)?,
        None => (text, "00"),
    };
    let (h, m) = (number(h, 2)?, number(m, 2)?);
    (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
}

/// Minutes since midnight as `HH:MM`, the form entries are stored in.
pub fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// One or `max_len` ASCII digits.
fn number(text: &str, max_len: usize) -> Option<u32> {
    (!text.is_empty() && text.len() <= max_len && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// An English month name or its three-letter start, in any case.
fn month_by_name(text: &str) -> Option<u32> {
    let lower = text.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS_EN
        .iter()
        .position(|m| m.to_ascii_lowercase().starts_with(&lower))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date {
        year: 2026,
        month: 12,
        day: 2,
    };

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        let check = |iso: &str, lang: Lang, full: &str, short: &str, weekday: &str| {
            let date_ = d(iso);
            assert_eq!(date(date_, lang), full, "{iso} {lang:?}");
            assert_eq!(day_month(date_, lang), short, "{iso} {lang:?}");
            assert_eq!(weekday_date(date_, lang, false), weekday, "{iso} {lang:?}");
        };
        // 2026-12-02 is a Wednesday, 2026-12-05 a Saturday, 2027-01-04 a Monday.
        check(
            "2026-12-02",
            Lang::Fi,
            "2.12.2026",
            "2.12.",
            "ke\u{a0}2.12.",
        );
        check(
            "2026-12-05",
            Lang::Sv,
            "5.12.2026",
            "5.12.",
            "lör\u{a0}5.12.",
        );
        check(
            "2026-12-02",
            Lang::En,
            "2\u{a0}Dec\u{a0}2026",
            "2\u{a0}Dec",
            "Wed\u{a0}2\u{a0}Dec",
        );
        check("2027-01-04", Lang::Fi, "4.1.2027", "4.1.", "ma\u{a0}4.1.");
        assert_eq!(
            weekday_date(d("2026-12-08"), Lang::Fi, true),
            "ti\u{a0}8.12.2026"
        );
        assert_eq!(
            weekday_date(d("2026-12-06"), Lang::Sv, true),
            "sön\u{a0}6.12.2026"
        );
    }

    #[test]
    fn times_are_on_a_24_hour_clock() {
        let check = |minutes: u32, lang: Lang, expected: &str| {
            assert_eq!(time(minutes, lang), expected, "{minutes} {lang:?}");
        };
        check(14 * 60 + 30, Lang::Fi, "14.30");
        check(9 * 60 + 5, Lang::Sv, "09.05");
        check(23 * 60 + 59, Lang::En, "23:59");
        check(0, Lang::En, "00:00");
        assert_eq!(hhmm(9 * 60 + 5), "09:05");
    }

    fn dt(text: &str) -> DateTime {
        DateTime::parse(text).unwrap()
    }

    #[test]
    fn event_spans_name_the_weekday_and_the_times() {
        let check = |start: &str, end: &str, lang: Lang, expected: &str| {
            assert_eq!(
                span(dt(start), dt(end), lang, TODAY).replace('\u{a0}', "_"),
                expected,
                "{start} – {end} {lang:?}"
            );
        };
        // 2026-12-05 is a Saturday; today is 2026-12-02.
        let (s, e) = ("2026-12-05T10:00:00+02:00", "2026-12-05T14:00:00+02:00");
        check(s, e, Lang::Fi, "la_5.12. klo_10.00–14.00");
        check(s, e, Lang::Sv, "lör_5.12. kl._10.00–14.00");
        check(s, e, Lang::En, "Sat_5_Dec, 10:00–14:00");
        // Seconds are not shown.
        check(
            "2026-12-08T09:05:30+02:00",
            "2026-12-08T11:30:00+02:00",
            Lang::Fi,
            "ti_8.12. klo_09.05–11.30",
        );
        // Another year is written out.
        check(
            "2027-01-26T17:00:00+02:00",
            "2027-01-26T20:00:00+02:00",
            Lang::Fi,
            "ti_26.1.2027 klo_17.00–20.00",
        );
        check(
            "2027-05-18T17:00:00+03:00",
            "2027-05-18T20:00:00+03:00",
            Lang::En,
            "Tue_18_May_2027, 17:00–20:00",
        );
        // Until midnight is until 24.00 on the same day.
        check(
            "2026-12-31T20:00:00+02:00",
            "2027-01-01T00:00:00+02:00",
            Lang::Sv,
            "tors_31.12. kl._20.00–24.00",
        );
        // Several days name both ends.
        check(
            "2026-12-05T10:00:00+02:00",
            "2026-12-06T14:00:00+02:00",
            Lang::Fi,
            "la_5.12. klo_10.00 – su_6.12. klo_14.00",
        );
        check(
            "2026-12-05T10:00:00+02:00",
            "2026-12-06T14:00:00+02:00",
            Lang::En,
            "Sat_5_Dec, 10:00 – Sun_6_Dec, 14:00",
        );
        // Across the new year both ends carry their year.
        check(
            "2026-12-31T18:00:00+02:00",
            "2027-01-01T02:00:00+02:00",
            Lang::Fi,
            "to_31.12.2026 klo_18.00 – pe_1.1.2027 klo_02.00",
        );
        // A moment without a length is one time.
        check(
            "2026-12-05T10:00:00+02:00",
            "2026-12-05T10:00:00+02:00",
            Lang::Sv,
            "lör_5.12. kl._10.00",
        );
    }

    #[test]
    fn moments_and_feed_dates() {
        let check = |t: &str, lang: Lang, expected: &str| {
            assert_eq!(moment(dt(t), lang, TODAY).replace('\u{a0}', "_"), expected);
        };
        check(
            "2027-01-23T23:59:00+02:00",
            Lang::Fi,
            "la_23.1.2027 klo_23.59",
        );
        check(
            "2026-12-13T16:00:00+02:00",
            Lang::Sv,
            "sön_13.12. kl._16.00",
        );
        check("2026-12-13T16:00:00+02:00", Lang::En, "Sun_13_Dec, 16:00");
        let check = |text: &str, lang: Lang, expected: &str| {
            assert_eq!(feed_date(text, lang).replace('\u{a0}', "_"), expected);
        };
        check("2026-11-20T08:40:00Z", Lang::Fi, "20.11.2026");
        check("2026-12-05", Lang::En, "5_Dec_2026");
        check("joskus", Lang::Sv, "joskus");
    }

    /// Issue 10: a card's schedule and a place's hours showed the feed's
    /// `2026-12-05 10:00–14:00`; they are written as events are.
    #[test]
    fn feed_schedules_are_written_as_events_are() {
        let check = |got: String, expected: &str| {
            assert_eq!(got.replace('\u{a0}', "_"), expected);
        };
        check(feed_hours("10:00", "14:30", Lang::Fi), "10.00–14.30");
        check(feed_hours("09:05", "24:00", Lang::Sv), "09.05–24.00");
        check(feed_hours("10:00", "14:30", Lang::En), "10:00–14:30");
        check(feed_hours("aamulla", "14:30", Lang::Fi), "aamulla–14.30");
        check(feed_time("klo 9", Lang::Fi), "klo 9");
        // 2026-12-05 is a Saturday; today is 2026-12-02.
        let day = |date, lang| feed_day_hours(date, "10:00", "14:00", lang, TODAY);
        check(day("2026-12-05", Lang::Fi), "la_5.12. 10.00–14.00");
        check(day("2026-12-05", Lang::Sv), "lör_5.12. 10.00–14.00");
        check(day("2026-12-05", Lang::En), "Sat_5_Dec, 10:00–14:00");
        check(day("2027-01-04", Lang::Fi), "ma_4.1.2027 10.00–14.00");
        check(day("pian", Lang::Fi), "pian 10.00–14.00");
        let days = |from, until, lang| feed_days(from, until, lang, TODAY);
        check(days("2026-12-24", None, Lang::Fi), "to_24.12.");
        check(
            days("2026-12-24", Some("2026-12-24"), Lang::Sv),
            "tors_24.12.",
        );
        check(
            days("2026-12-24", Some("2026-12-26"), Lang::Fi),
            "to_24.12. – la_26.12.",
        );
        check(
            days("2026-12-24", Some("2027-01-06"), Lang::En),
            "Thu_24_Dec_2026 – Wed_6_Jan_2027",
        );
        check(
            days("2026-12-24", Some("loppiainen"), Lang::Fi),
            "to_24.12. – loppiainen",
        );
        check(
            feed_date_range("2026-09-01", "2027-05-31", Lang::Fi),
            "1.9.2026–31.5.2027",
        );
        check(
            feed_date_range("2026-09-01", "2027-05-31", Lang::En),
            "1_Sep_2026 – 31_May_2027",
        );
    }

    #[test]
    fn typed_dates_read_day_first() {
        let check = |text: &str, expected: Option<&str>| {
            assert_eq!(
                parse_date(text, TODAY),
                expected.map(d),
                "{text:?} should read as {expected:?}"
            );
        };
        check("2.12.2026", Some("2026-12-02"));
        check("02.12.2026", Some("2026-12-02"));
        check(" 2.12.2026 ", Some("2026-12-02"));
        check("2.12.26", Some("2026-12-02"));
        check("1.12.", Some("2026-12-01"));
        check("1.12", Some("2026-12-01"));
        // Without a year, a day later than today is last year's.
        check("24.12.", Some("2025-12-24"));
        check("2/12/2026", Some("2026-12-02"));
        // A decimal keypad in Finnish or Swedish has only a comma.
        check("2,12,2026", Some("2026-12-02"));
        check("1,12,", Some("2026-12-01"));
        check("2 Dec 2026", Some("2026-12-02"));
        check("2\u{a0}Dec\u{a0}2026", Some("2026-12-02"));
        check("2 december 2026", Some("2026-12-02"));
        check("15 Sept", Some("2026-09-15"));
        check("2026-12-02", Some("2026-12-02"));
        check("29.2.2024", Some("2024-02-29"));
        check("29.2.2026", None);
        check("31.11.2026", None);
        check("12/31/2026", None);
        check("2.12.202", None);
        check("2 De 2026", None);
        check("", None);
        check("eilen", None);
        check("1.2.3.4", None);
    }

    #[test]
    fn typed_times_read_with_either_separator() {
        let check = |text: &str, expected: Option<u32>| {
            assert_eq!(parse_time(text), expected, "{text:?}");
        };
        check("14.30", Some(14 * 60 + 30));
        check("14:30", Some(14 * 60 + 30));
        check("14,30", Some(14 * 60 + 30));
        check("9.05", Some(9 * 60 + 5));
        check(" 09:05 ", Some(9 * 60 + 5));
        check("1430", Some(14 * 60 + 30));
        check("930", Some(9 * 60 + 30));
        check("14", Some(14 * 60));
        check("9", Some(9 * 60));
        check("24.00", Some(24 * 60));
        check("24.01", None);
        check("25", None);
        check("14.3", None);
        check("14.60", None);
        check("2 pm", None);
        check("", None);
    }

    #[test]
    fn what_is_written_reads_back() {
        for lang in Lang::ALL {
            for iso in ["2026-01-01", "2025-02-28", "2024-02-29", "2026-12-02"] {
                let written = date(d(iso), lang);
                assert_eq!(parse_date(&written, TODAY), Some(d(iso)), "{written}");
            }
            for minutes in [0, 9 * 60 + 5, 23 * 60 + 59] {
                assert_eq!(parse_time(&time(minutes, lang)), Some(minutes));
            }
        }
    }
}
