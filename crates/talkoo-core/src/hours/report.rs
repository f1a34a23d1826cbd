//! Totals for the "My hours" page: per month, organisation and category, milestones, and the chart's scale.
//!
//! Everything is worked out from the entries on the device and a period the
//! page passes in; "today" is always an argument, so the same totals come out
//! in the browser and in tests.

use std::collections::HashMap;
use std::fmt;

use super::{Category, Entry};
use crate::time::{Date, DateTime};

/// An inclusive range of days, the span a summary covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    /// The first day in the period.
    pub from: Date,
    /// The last day in the period (included).
    pub to: Date,
}

impl Period {
    /// The whole calendar month `date` falls in.
    pub fn month_of(date: Date) -> Period {
        let month = YearMonth::of(date);
        Period {
            from: month.first_day(),
            to: month.last_day(),
        }
    }

    /// The whole calendar year `date` falls in.
    pub fn year_of(date: Date) -> Period {
        Period {
            from: Date {
                year: date.year,
                month: 1,
                day: 1,
            },
            to: Date {
                year: date.year,
                month: 12,
                day: 31,
            },
        }
    }

    /// The twelve calendar months ending with today's month, whole months at
    /// both ends so the first and the last bar of the chart are comparable.
    pub fn last_12_months(today: Date) -> Period {
        let end = YearMonth::of(today);
        let mut start = end;
        for _ in 0..11 {
            start = start.previous();
        }
        Period {
            from: start.first_day(),
            to: end.last_day(),
        }
    }

    /// Whether `date` is in the period, both ends included.
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }
}

/// A calendar month; ordered by year, then month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// The year, e.g. 2026.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
}

impl YearMonth {
    /// The month `date` falls in.
    pub fn of(date: Date) -> YearMonth {
        YearMonth {
            year: date.year,
            month: date.month,
        }
    }

    /// The month after this one.
    pub fn next(self) -> YearMonth {
        if self.month >= 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month before this one.
    pub fn previous(self) -> YearMonth {
        if self.month <= 1 {
            YearMonth {
                year: self.year - 1,
                month: 12,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The month's first day.
    pub fn first_day(self) -> Date {
        Date {
            year: self.year,
            month: self.month,
            day: 1,
        }
    }

    /// The month's last day, found as the day before the next month's first
    /// so that leap years come from the calendar code in `time`.
    pub fn last_day(self) -> Date {
        Date::from_days(self.next().first_day().days_since_epoch() - 1)
    }
}

impl From<Date> for YearMonth {
    fn from(date: Date) -> YearMonth {
        YearMonth::of(date)
    }
}

impl fmt::Display for YearMonth {
    /// `2026-11`, the form used as a chart key and in tests.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The totals shown on the "My hours" page for one period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// How many entries fall in the period.
    pub count: usize,
    /// Their minutes added up.
    pub total_minutes: u32,
    /// Minutes per month, every month of the period in order, months without
    /// entries included as zero so the chart has a bar (or a gap) for each.
    pub by_month: Vec<(YearMonth, u32)>,
    /// Minutes per organisation, shown with the name of its latest entry
    /// (spaces tidied), most first, then by name.
    pub by_organisation: Vec<(String, u32)>,
    /// Minutes per category in [`Category::ALL`] order, categories without
    /// minutes left out.
    pub by_category: Vec<(Category, u32)>,
}

/// How organisations are told apart: by feed id when the entry has one,
/// otherwise by the typed name regardless of case and spacing, so
/// "Kainuun Martat" and "kainuun martat " are one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum OrgKey {
    Id(String),
    Name(String),
}

impl OrgKey {
    fn of(entry: &Entry) -> OrgKey {
        match entry.organisation.id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => OrgKey::Id(id.to_owned()),
            _ => OrgKey::Name(crate::case::lowercase(&tidy(&entry.organisation.name))),
        }
    }
}

/// A typed name without leading, trailing or repeated spaces.
fn tidy(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One organisation's running total and the entry its name is taken from.
struct OrgTotal<'a> {
    minutes: u32,
    latest: &'a Entry,
    latest_day: Date,
}

/// Whether `a` was logged for a later day than `b`, ties going to the one
/// edited later; the later entry carries the organisation's current name.
fn is_later(a: (&Entry, Date), b: (&Entry, Date)) -> bool {
    if a.1 != b.1 {
        return a.1 > b.1;
    }
    let unix = |e: &Entry| DateTime::parse(&e.modified).map(DateTime::unix);
    unix(a.0) > unix(b.0)
}

/// Adds up `entries` within `period` (all of them when `None`). Entries
/// whose date does not parse are skipped: they cannot be placed in a month.
/// Without a period the months run from the first entry's to the last one's.
pub fn summary(entries: &[Entry], period: Option<Period>) -> Summary {
    let dated: Vec<(&Entry, Date)> = entries
        .iter()
        .filter_map(|e| e.day().map(|d| (e, d)))
        .filter(|(_, d)| period.is_none_or(|p| p.contains(*d)))
        .collect();

    let months = match period {
        Some(p) => Some((YearMonth::of(p.from), YearMonth::of(p.to))),
        None => dated
            .iter()
            .map(|(_, d)| YearMonth::of(*d))
            .min()
            .zip(dated.iter().map(|(_, d)| YearMonth::of(*d)).max()),
    };
    let mut by_month = Vec::new();
    if let Some((first, last)) = months {
        let mut month = first;
        while month <= last {
            by_month.push((month, 0u32));
            month = month.next();
        }
    }

    let mut total_minutes = 0u32;
    let mut orgs: HashMap<OrgKey, OrgTotal> = HashMap::new();
    let mut categories = [0u32; Category::ALL.len()];
    for &(entry, day) in &dated {
        total_minutes = total_minutes.saturating_add(entry.minutes);
        let month = YearMonth::of(day);
        // The months are in order, so a binary search finds the bar.
        if let Ok(i) = by_month.binary_search_by(|(m, _)| m.cmp(&month)) {
            by_month[i].1 = by_month[i].1.saturating_add(entry.minutes);
        }
        let org = orgs.entry(OrgKey::of(entry)).or_insert(OrgTotal {
            minutes: 0,
            latest: entry,
            latest_day: day,
        });
        org.minutes = org.minutes.saturating_add(entry.minutes);
        if is_later((entry, day), (org.latest, org.latest_day)) {
            org.latest = entry;
            org.latest_day = day;
        }
        if let Some(i) = Category::ALL.iter().position(|c| *c == entry.category) {
            categories[i] = categories[i].saturating_add(entry.minutes);
        }
    }

    let mut by_organisation: Vec<(String, u32)> = orgs
        .into_values()
        .map(|o| (tidy(&o.latest.organisation.name), o.minutes))
        .collect();
    by_organisation.sort_by(|(a_name, a), (b_name, b)| {
        b.cmp(a)
            .then_with(|| crate::case::lowercase(a_name).cmp(&crate::case::lowercase(b_name)))
            .then_with(|| a_name.cmp(b_name))
    });
    let by_category = Category::ALL
        .into_iter()
        .zip(categories)
        .filter(|(_, minutes)| *minutes > 0)
        .collect();

    Summary {
        count: dated.len(),
        total_minutes,
        by_month,
        by_organisation,
        by_category,
    }
}

/// The hour totals worth celebrating, in order.
pub const MILESTONES_HOURS: [u32; 4] = [50, 100, 250, 500];

/// Progress toward one milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Milestone {
    /// The milestone, in hours.
    pub hours: u32,
    /// Whether the total has got there.
    pub reached: bool,
    /// How far along, 0–100, rounded down so 99 % never shows as reached.
    pub percent: u8,
}

/// Every milestone in [`MILESTONES_HOURS`] with the progress `total_minutes`
/// makes toward it.
pub fn milestones(total_minutes: u32) -> Vec<Milestone> {
    MILESTONES_HOURS
        .into_iter()
        .map(|hours| {
            let goal = u64::from(hours) * 60;
            let done = u64::from(total_minutes);
            Milestone {
                hours,
                reached: done >= goal,
                percent: (done * 100 / goal).min(100) as u8,
            }
        })
        .collect()
}

/// The minutes other entries already have on `date` (`YYYY-MM-DD`), leaving
/// out the entry being edited (`except_id`) so it is not counted twice in
/// the form's long-day warning. Takes borrowed entries so the form can pass
/// the stored records' entries on every keystroke without copying them.
pub fn minutes_on<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    date: &str,
    except_id: Option<&str>,
) -> u32 {
    let date = date.trim();
    entries
        .into_iter()
        .filter(|e| e.date == date && Some(e.id.as_str()) != except_id)
        .fold(0u32, |sum, e| sum.saturating_add(e.minutes))
}

/// The top of the month chart's axis in hours: the smallest of 1, 2, 5, 10,
/// 20, 50, … that is at least `max_minutes` (the largest bar), so the
/// gridlines fall on round numbers. Never less than one hour.
pub fn axis_max_hours(max_minutes: u32) -> u32 {
    let needed = u64::from(max_minutes);
    let mut magnitude: u64 = 1;
    loop {
        for step in [1, 2, 5] {
            let top = step * magnitude;
            if top * 60 >= needed {
                return u32::try_from(top).unwrap_or(u32::MAX);
            }
        }
        magnitude *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::super::{uuid_v4, OrgRef};
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).expect(text)
    }

    fn entry(n: u8, day: &str, minutes: u32, org: (Option<&str>, &str), c: Category) -> Entry {
        Entry {
            id: uuid_v4([n; 16]),
            date: day.to_owned(),
            start: None,
            end: None,
            minutes,
            organisation: OrgRef {
                id: org.0.map(str::to_owned),
                name: org.1.to_owned(),
            },
            service: None,
            category: c,
            note: String::new(),
            created: format!("{day}T12:00:00+02:00"),
            modified: format!("{day}T12:00:00+02:00"),
        }
    }

    /// Entries across two years, three organisations (one typed twice with
    /// different case and spacing, one renamed in the feed), five
    /// categories, and one with an impossible date.
    fn entries() -> Vec<Entry> {
        use Category::*;
        let setlementti = Some("kainuu-org-1");
        vec![
            entry(
                1,
                "2026-01-15",
                120,
                (setlementti, "Kajaanin Setlementti"),
                Guidance,
            ),
            entry(2, "2026-01-20", 60, (None, "Kainuun Martat"), Events),
            entry(3, "2026-03-02", 90, (None, " kainuun  martat "), Events),
            entry(
                4,
                "2026-03-05",
                30,
                (setlementti, "Kajaanin Setlementti ry"),
                Transport,
            ),
            entry(
                5,
                "2026-11-20",
                45,
                (None, "Sámi Duodji – Anár"),
                PeerSupport,
            ),
            entry(6, "2026-02-30", 600, (None, "Nobody"), Other),
            entry(
                7,
                "2025-11-30",
                240,
                (Some("oulu-org-9"), "Oulun Diakonissalaitos"),
                Office,
            ),
        ]
    }

    type Totals<'a, T> = &'a [(T, u32)];

    /// Checks one summary: count, total, months (as `YYYY-MM`), organisations
    /// and categories, in order.
    fn check(
        period: Option<Period>,
        count: usize,
        total: u32,
        months: Totals<&str>,
        orgs: Totals<&str>,
        categories: Totals<Category>,
    ) {
        let s = summary(&entries(), period);
        let got_months: Vec<(String, u32)> = s
            .by_month
            .iter()
            .map(|(m, v)| (m.to_string(), *v))
            .collect();
        let want_months: Vec<(String, u32)> =
            months.iter().map(|(m, v)| ((*m).to_owned(), *v)).collect();
        let want_orgs: Vec<(String, u32)> =
            orgs.iter().map(|(o, v)| ((*o).to_owned(), *v)).collect();
        assert_eq!(s.count, count, "{period:?}");
        assert_eq!(s.total_minutes, total, "{period:?}");
        assert_eq!(got_months, want_months, "{period:?}");
        assert_eq!(s.by_organisation, want_orgs, "{period:?}");
        assert_eq!(s.by_category, categories, "{period:?}");
        let month_sum: u32 = s.by_month.iter().map(|(_, v)| v).sum();
        assert_eq!(month_sum, total, "the months add up to the total");
    }

    #[test]
    fn summaries_by_period() {
        use Category::*;
        // Everything: from the first entry's month to the last one's, empty
        // months included; the impossible date is left out.
        check(
            None,
            6,
            585,
            &[
                ("2025-11", 240),
                ("2025-12", 0),
                ("2026-01", 180),
                ("2026-02", 0),
                ("2026-03", 120),
                ("2026-04", 0),
                ("2026-05", 0),
                ("2026-06", 0),
                ("2026-07", 0),
                ("2026-08", 0),
                ("2026-09", 0),
                ("2026-10", 0),
                ("2026-11", 45),
            ],
            // Martat and the Setlementti tie at 150 and go by name; each is
            // shown with the name of its latest entry.
            &[
                ("Oulun Diakonissalaitos", 240),
                ("kainuun martat", 150),
                ("Kajaanin Setlementti ry", 150),
                ("Sámi Duodji – Anár", 45),
            ],
            &[
                (Guidance, 120),
                (Transport, 30),
                (Events, 150),
                (PeerSupport, 45),
                (Office, 240),
            ],
        );
        check(
            Some(Period::month_of(date("2026-03-31"))),
            2,
            120,
            &[("2026-03", 120)],
            &[("kainuun martat", 90), ("Kajaanin Setlementti ry", 30)],
            &[(Transport, 30), (Events, 90)],
        );
        check(
            Some(Period::year_of(date("2026-06-01"))),
            5,
            345,
            &[
                ("2026-01", 180),
                ("2026-02", 0),
                ("2026-03", 120),
                ("2026-04", 0),
                ("2026-05", 0),
                ("2026-06", 0),
                ("2026-07", 0),
                ("2026-08", 0),
                ("2026-09", 0),
                ("2026-10", 0),
                ("2026-11", 45),
                ("2026-12", 0),
            ],
            &[
                ("kainuun martat", 150),
                ("Kajaanin Setlementti ry", 150),
                ("Sámi Duodji – Anár", 45),
            ],
            &[
                (Guidance, 120),
                (Transport, 30),
                (Events, 150),
                (PeerSupport, 45),
            ],
        );
        // The last twelve months start on 2025-12-01, one day after the
        // Oulu entry.
        check(
            Some(Period::last_12_months(date("2026-11-20"))),
            5,
            345,
            &[
                ("2025-12", 0),
                ("2026-01", 180),
                ("2026-02", 0),
                ("2026-03", 120),
                ("2026-04", 0),
                ("2026-05", 0),
                ("2026-06", 0),
                ("2026-07", 0),
                ("2026-08", 0),
                ("2026-09", 0),
                ("2026-10", 0),
                ("2026-11", 45),
            ],
            &[
                ("kainuun martat", 150),
                ("Kajaanin Setlementti ry", 150),
                ("Sámi Duodji – Anár", 45),
            ],
            &[
                (Guidance, 120),
                (Transport, 30),
                (Events, 150),
                (PeerSupport, 45),
            ],
        );
        // A month without entries still has its (empty) bar.
        check(
            Some(Period::month_of(date("2026-06-15"))),
            0,
            0,
            &[("2026-06", 0)],
            &[],
            &[],
        );
    }

    #[test]
    fn no_entries_make_an_empty_summary() {
        assert_eq!(summary(&[], None), Summary::default());
    }

    #[test]
    fn periods() {
        let check = |period: Period, from: &str, to: &str| {
            assert_eq!(
                (period.from, period.to),
                (date(from), date(to)),
                "{period:?}"
            );
        };
        check(
            Period::month_of(date("2028-02-10")),
            "2028-02-01",
            "2028-02-29",
        );
        check(
            Period::month_of(date("2026-12-31")),
            "2026-12-01",
            "2026-12-31",
        );
        check(
            Period::year_of(date("2026-11-20")),
            "2026-01-01",
            "2026-12-31",
        );
        check(
            Period::last_12_months(date("2026-11-20")),
            "2025-12-01",
            "2026-11-30",
        );
        check(
            Period::last_12_months(date("2026-01-05")),
            "2025-02-01",
            "2026-01-31",
        );
        let march = Period::month_of(date("2026-03-15"));
        for (day, inside) in [
            ("2026-02-28", false),
            ("2026-03-01", true),
            ("2026-03-31", true),
            ("2026-04-01", false),
        ] {
            assert_eq!(march.contains(date(day)), inside, "{day}");
        }
    }

    #[test]
    fn months_step_over_the_new_year() {
        let december = YearMonth::from(date("2026-12-24"));
        assert_eq!(december.to_string(), "2026-12");
        assert_eq!(december.next().to_string(), "2027-01");
        assert_eq!(december.next().previous(), december);
        assert!(december < december.next());
        assert_eq!(december.last_day(), date("2026-12-31"));
    }

    #[test]
    fn milestones_show_progress_rounded_down() {
        let check = |minutes: u32, expected: [(bool, u8); 4]| {
            let got: Vec<(u32, bool, u8)> = milestones(minutes)
                .into_iter()
                .map(|m| (m.hours, m.reached, m.percent))
                .collect();
            let want: Vec<(u32, bool, u8)> = MILESTONES_HOURS
                .into_iter()
                .zip(expected)
                .map(|(h, (r, p))| (h, r, p))
                .collect();
            assert_eq!(got, want, "{minutes} minutes");
        };
        check(0, [(false, 0), (false, 0), (false, 0), (false, 0)]);
        // 49 h 59 min is 99.98 % of 50 hours: not yet, and not shown as 100.
        check(2999, [(false, 99), (false, 49), (false, 19), (false, 9)]);
        check(3000, [(true, 100), (false, 50), (false, 20), (false, 10)]);
        check(
            120 * 60,
            [(true, 100), (true, 100), (false, 48), (false, 24)],
        );
        check(
            600 * 60,
            [(true, 100), (true, 100), (true, 100), (true, 100)],
        );
        check(
            u32::MAX,
            [(true, 100), (true, 100), (true, 100), (true, 100)],
        );
    }

    #[test]
    fn minutes_on_a_day_leave_out_the_edited_entry() {
        let entries = entries();
        let march_2 = entries[2].id.clone();
        let mut more = entries.clone();
        more.push(entry(
            8,
            "2026-03-02",
            500,
            (None, "Kainuun Martat"),
            Category::Events,
        ));
        let check = |date: &str, except: Option<&str>, expected: u32| {
            assert_eq!(
                minutes_on(&more, date, except),
                expected,
                "{date} {except:?}"
            );
        };
        check("2026-03-02", None, 590);
        check(" 2026-03-02 ", None, 590);
        check("2026-03-02", Some(&march_2), 500);
        check("2026-03-03", None, 0);
        check("2026-02-30", None, 600);
    }

    #[test]
    fn the_axis_ends_on_a_round_number_of_hours() {
        for (minutes, hours) in [
            (0, 1),
            (1, 1),
            (60, 1),
            (61, 2),
            (120, 2),
            (121, 5),
            (300, 5),
            (301, 10),
            (600, 10),
            (601, 20),
            (3000, 50),
            (3001, 100),
            (u32::MAX, 100_000_000),
        ] {
            assert_eq!(axis_max_hours(minutes), hours, "{minutes} minutes");
        }
    }
}
