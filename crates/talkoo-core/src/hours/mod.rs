//! Volunteer hours: the entry a volunteer logs, how a form becomes one, and the rules it must pass before it is saved.
//!
//! An [`Entry`] is also the body of the hours protocol (docs/hours-protocol.md)
//! and of the backup file, so the app, the reference inbox and the backup
//! agree on one shape. Time, today's date and randomness are arguments: the
//! same rules run in the browser, in the inbox and in `cargo test`.

pub mod backup;
pub mod export;
pub mod outbox;
pub mod pick;
pub mod report;

use serde::{Deserialize, Serialize};

use crate::datefmt;
use crate::i18n::Lang;
use crate::time::{parse_hhmm, Date};

/// The longest note a volunteer can write; the inbox refuses longer ones.
pub const NOTE_MAX_CHARS: usize = 2000;

/// One day's total above which the form warns (but still saves).
pub const DAY_WARNING_MINUTES: u32 = 16 * 60;

/// The kind of work, from a short list so reports add up across associations.
/// The form starts with none chosen (issue 10): a preselected "Other" was
/// saved unchanged and skewed every report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Guidance and advice (ohjaus ja neuvonta).
    Guidance,
    /// Driving and escorting people (kuljetus ja saattaminen).
    Transport,
    /// Organising events (tapahtumat).
    Events,
    /// Peer support and befriending (vertaistuki ja ystävätoiminta).
    PeerSupport,
    /// Office and organisational work (toimistotyö).
    Office,
    /// Anything else.
    Other,
}

impl Category {
    /// Every category, in the order forms and reports list them.
    pub const ALL: [Category; 6] = [
        Category::Guidance,
        Category::Transport,
        Category::Events,
        Category::PeerSupport,
        Category::Office,
        Category::Other,
    ];

    /// The wire name (`peer-support`), also used in CSV and i18n keys.
    pub fn name(self) -> &'static str {
        match self {
            Category::Guidance => "guidance",
            Category::Transport => "transport",
            Category::Events => "events",
            Category::PeerSupport => "peer-support",
            Category::Office => "office",
            Category::Other => "other",
        }
    }

    /// The category with wire name `name`.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Who the work was for: a catalogue organisation (with its feed id) or one
/// the volunteer typed because it is not in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OrgRef {
    /// The organisation's id in the feed, `None` when typed by hand.
    #[serde(default)]
    pub id: Option<String>,
    /// Its name as shown when the entry was logged.
    pub name: String,
}

/// The activity (a service card of the organisation), when one was picked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceRef {
    /// The card's id in the feed.
    pub id: String,
    /// Its name as shown when the entry was logged.
    pub name: String,
}

/// One logged stretch of volunteering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// A version 4 UUID made on the device; the same id everywhere, for ever.
    pub id: String,
    /// The day the work was done, `YYYY-MM-DD`.
    pub date: String,
    /// Local start time `HH:MM`, when the volunteer gave times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Local end time `HH:MM`, when the volunteer gave times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// Duration in minutes (from the times, or as typed).
    pub minutes: u32,
    /// Who the work was for.
    pub organisation: OrgRef,
    /// The activity, if picked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceRef>,
    /// The kind of work.
    pub category: Category,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// When the entry was first saved, RFC 3339.
    pub created: String,
    /// When it was last edited, RFC 3339.
    pub modified: String,
}

/// The fields whose change makes an entry a different claim. `created` and
/// `modified` are left out: a backup restored on a new phone must not turn
/// an already sent entry into a conflict.
#[derive(Serialize)]
struct Content<'a> {
    date: &'a str,
    start: &'a Option<String>,
    end: &'a Option<String>,
    minutes: u32,
    organisation: &'a OrgRef,
    service: &'a Option<ServiceRef>,
    category: Category,
    note: &'a str,
}

impl Entry {
    /// A canonical text of the entry's content; two entries with the same
    /// id and equal keys are the same submission (see the protocol's
    /// idempotency rule).
    pub fn content_key(&self) -> String {
        let content = Content {
            date: &self.date,
            start: &self.start,
            end: &self.end,
            minutes: self.minutes,
            organisation: &self.organisation,
            service: &self.service,
            category: self.category,
            note: &self.note,
        };
        serde_json::to_string(&content).unwrap_or_default()
    }

    /// The entry's date; `None` only for an entry that skipped validation.
    pub fn day(&self) -> Option<Date> {
        Date::parse(&self.date)
    }

    /// The problems that make this entry unacceptable as it stands: the
    /// inbox's check of a received entry, and the import's check of a backup.
    /// Unlike [`validate`] it does not know today's date or other entries.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if !is_uuid(&self.id) {
            problems.push(Problem::BadId);
        }
        if Date::parse(&self.date).is_none() {
            problems.push(Problem::BadDate);
        }
        let start = self.start.as_deref().map(parse_hhmm);
        let end = self.end.as_deref().map(parse_hhmm);
        match (start, end) {
            (None, None) => {}
            (Some(Some(s)), Some(Some(e))) => {
                if span(s, e) != Some(self.minutes) {
                    problems.push(Problem::TimesDisagree);
                }
            }
            (Some(None), _) | (_, Some(None)) => problems.push(Problem::BadTime),
            _ => problems.push(Problem::HalfTimes),
        }
        if self.minutes == 0 {
            problems.push(Problem::NotPositive);
        }
        if self.minutes > 24 * 60 {
            problems.push(Problem::LongerThanADay);
        }
        if self.organisation.name.trim().is_empty() {
            problems.push(Problem::NoOrganisation);
        }
        if self.note.chars().count() > NOTE_MAX_CHARS {
            problems.push(Problem::NoteTooLong);
        }
        problems
    }
}

/// Minutes from `start` to `end`; `None` when the end is not after the start.
fn span(start: u32, end: u32) -> Option<u32> {
    (end > start).then(|| end - start)
}

/// Why an entry cannot be saved (or accepted), one variant per message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// The id is not a UUID.
    BadId,
    /// No date, or not a real `YYYY-MM-DD` date.
    BadDate,
    /// The date is after today.
    FutureDate,
    /// A start or end time that is not `HH:MM`.
    BadTime,
    /// Only one of start and end.
    HalfTimes,
    /// The end is at or before the start.
    EndNotAfterStart,
    /// The stored duration is not what the times give.
    TimesDisagree,
    /// The duration is not a number of hours and minutes.
    BadDuration,
    /// Neither times nor a duration.
    NoDuration,
    /// A duration of zero or less.
    NotPositive,
    /// More than 24 hours in one entry.
    LongerThanADay,
    /// No organisation chosen or typed.
    NoOrganisation,
    /// No kind of work chosen.
    NoCategory,
    /// The note is longer than [`NOTE_MAX_CHARS`].
    NoteTooLong,
}

impl Problem {
    /// The i18n key of the message shown to the user.
    pub fn key(self) -> &'static str {
        match self {
            Problem::BadId => "hours-problem-bad-id",
            Problem::BadDate => "hours-problem-bad-date",
            Problem::FutureDate => "hours-problem-future-date",
            Problem::BadTime => "hours-problem-bad-time",
            Problem::HalfTimes => "hours-problem-half-times",
            Problem::EndNotAfterStart => "hours-problem-end-not-after-start",
            Problem::TimesDisagree => "hours-problem-times-disagree",
            Problem::BadDuration => "hours-problem-bad-duration",
            Problem::NoDuration => "hours-problem-no-duration",
            Problem::NotPositive => "hours-problem-not-positive",
            Problem::LongerThanADay => "hours-problem-longer-than-a-day",
            Problem::NoOrganisation => "hours-problem-no-organisation",
            Problem::NoCategory => "hours-problem-no-category",
            Problem::NoteTooLong => "hours-problem-note-too-long",
        }
    }

    /// The form field the problem belongs to, so the message sits next to it.
    pub fn field(self) -> Field {
        match self {
            Problem::BadId => Field::Form,
            Problem::BadDate | Problem::FutureDate => Field::Date,
            Problem::BadTime
            | Problem::HalfTimes
            | Problem::EndNotAfterStart
            | Problem::TimesDisagree => Field::Times,
            Problem::BadDuration
            | Problem::NoDuration
            | Problem::NotPositive
            | Problem::LongerThanADay => Field::Duration,
            Problem::NoOrganisation => Field::Organisation,
            Problem::NoCategory => Field::Category,
            Problem::NoteTooLong => Field::Note,
        }
    }
}

/// The parts of the entry form, for placing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The whole form.
    Form,
    /// The date.
    Date,
    /// Start and end times.
    Times,
    /// The duration.
    Duration,
    /// The organisation.
    Organisation,
    /// The kind of work.
    Category,
    /// The note.
    Note,
}

/// Something worth a second look that does not stop saving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Warning {
    /// The day's entries add up to more than 16 hours (the total, in minutes).
    LongDay(u32),
}

/// The entry form as typed: every field a string, exactly as in the inputs.
///
/// Dates and times are text in the app's language (`2.12.2026`, `14.30`),
/// not the browser's date and time pickers, which follow the browser's
/// language and showed Finns `12/02/2026` and a 12-hour clock (issue 10).
/// They are read with [`datefmt`], which also takes ISO, and stored as
/// `YYYY-MM-DD` and `HH:MM` exactly as before.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// The day as typed: `2.12.2026`, `2.12.`, `2 Dec 2026`, ISO…
    pub date: String,
    /// The start time as typed (`14.30`, `14:30`, `1430`) or empty.
    pub start: String,
    /// The end time as typed, or empty.
    pub end: String,
    /// Hours as typed when no times are given: `2`, `1.5`, `1,5`, `1:30`.
    pub duration: String,
    /// The catalogue organisation's id, when picked from the list.
    pub organisation_id: Option<String>,
    /// The organisation's name (from the catalogue, or typed).
    pub organisation_name: String,
    /// The activity, when picked.
    pub service: Option<ServiceRef>,
    /// The kind of work, `None` until the volunteer picks one (or the form
    /// remembered the last one used).
    pub category: Option<Category>,
    /// The note.
    pub note: String,
}

impl Draft {
    /// An empty form for `today`, written in the app's language.
    pub fn blank(today: Date, lang: Lang) -> Draft {
        Draft {
            date: datefmt::date(today, lang),
            ..Draft::default()
        }
    }

    /// The day the draft's date text reads as, `None` while it is not one.
    pub fn day(&self, today: Date) -> Option<Date> {
        datefmt::parse_date(&self.date, today)
    }

    /// The draft's times as minutes since midnight, `None` for an empty or
    /// unreadable field.
    fn times(&self) -> (Option<u32>, Option<u32>) {
        (
            datefmt::parse_time(&self.start),
            datefmt::parse_time(&self.end),
        )
    }
}

/// What checking a draft found: the entry's fields if it can be saved, every
/// problem otherwise, and warnings either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// Errors; saving is refused while there is any.
    pub problems: Vec<Problem>,
    /// Things to point out that do not stop saving.
    pub warnings: Vec<Warning>,
    /// The duration in minutes, when it could be worked out.
    pub minutes: Option<u32>,
}

/// Parses a typed duration in hours: `2`, `1.5`, `1,5` (Finnish decimal
/// comma), `1:30` or `0:45`. Returns minutes, rounded to the nearest minute;
/// `None` when the text is not a duration. A negative number is `Some(0)`
/// turned into a problem by the caller, so the message can say "more than zero".
pub fn parse_duration(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some((h, m)) = text.split_once(':') {
        let (h, m) = (h.trim(), m.trim());
        if m.len() != 2 {
            return None;
        }
        let h: i64 = h.parse().ok()?;
        let m: i64 = m.parse().ok()?;
        if !(0..60).contains(&m) || h < 0 {
            return None;
        }
        return Some(h * 60 + m);
    }
    let normal = text.replace(',', ".");
    if !normal
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return None;
    }
    let hours: f64 = normal.parse().ok()?;
    hours.is_finite().then(|| (hours * 60.0).round() as i64)
}

/// Checks the form against today's date and the minutes already logged on
/// the same day by other entries (for the 16-hour warning).
pub fn validate(draft: &Draft, today: Date, other_minutes_that_day: u32) -> Checked {
    let mut problems = Vec::new();
    match draft.day(today) {
        None => problems.push(Problem::BadDate),
        Some(date) if date > today => problems.push(Problem::FutureDate),
        Some(_) => {}
    }
    let (start, end) = (draft.start.trim(), draft.end.trim());
    let mut minutes = None;
    if !start.is_empty() || !end.is_empty() {
        match draft.times() {
            _ if start.is_empty() || end.is_empty() => problems.push(Problem::HalfTimes),
            (Some(s), Some(e)) => match span(s, e) {
                Some(m) => minutes = Some(m),
                None => problems.push(Problem::EndNotAfterStart),
            },
            _ => problems.push(Problem::BadTime),
        }
    } else {
        match parse_duration(&draft.duration) {
            None if draft.duration.trim().is_empty() => problems.push(Problem::NoDuration),
            None => problems.push(Problem::BadDuration),
            Some(m) if m <= 0 => problems.push(Problem::NotPositive),
            Some(m) if m > 24 * 60 => problems.push(Problem::LongerThanADay),
            Some(m) => minutes = Some(m as u32),
        }
    }
    if draft.organisation_name.trim().is_empty() {
        problems.push(Problem::NoOrganisation);
    }
    if draft.category.is_none() {
        problems.push(Problem::NoCategory);
    }
    if draft.note.chars().count() > NOTE_MAX_CHARS {
        problems.push(Problem::NoteTooLong);
    }
    let mut warnings = Vec::new();
    if let Some(m) = minutes {
        let total = other_minutes_that_day.saturating_add(m);
        if total > DAY_WARNING_MINUTES {
            warnings.push(Warning::LongDay(total));
        }
    }
    Checked {
        problems,
        warnings,
        minutes,
    }
}

/// Builds the entry a valid draft describes. `id` is a new UUID for a new
/// entry or the edited entry's id; `created` is kept from the edited entry.
/// Returns the problems instead when the draft is not valid.
pub fn entry_from_draft(
    draft: &Draft,
    today: Date,
    other_minutes_that_day: u32,
    id: String,
    created: Option<String>,
    now_rfc3339: &str,
) -> Result<Entry, Vec<Problem>> {
    let checked = validate(draft, today, other_minutes_that_day);
    let (minutes, date, category) = match (checked.minutes, draft.day(today), draft.category) {
        (Some(m), Some(date), Some(category)) if checked.problems.is_empty() => (m, date, category),
        _ => return Err(checked.problems),
    };
    let (start, end) = match draft.times() {
        (Some(start), Some(end)) => (Some(start), Some(end)),
        _ => (None, None),
    };
    let organisation_id = draft
        .organisation_id
        .as_ref()
        .filter(|id| !id.is_empty())
        .cloned();
    Ok(Entry {
        id,
        date: date.to_string(),
        start: start.map(datefmt::hhmm),
        end: end.map(datefmt::hhmm),
        minutes,
        organisation: OrgRef {
            id: organisation_id,
            name: draft.organisation_name.trim().to_owned(),
        },
        service: draft.service.clone(),
        category,
        note: draft.note.trim().to_owned(),
        created: created.unwrap_or_else(|| now_rfc3339.to_owned()),
        modified: now_rfc3339.to_owned(),
    })
}

/// The form prefilled from an entry, for editing, with its date and times
/// written in the app's language.
pub fn draft_from_entry(entry: &Entry, lang: Lang) -> Draft {
    let time = |t: &Option<String>| match t.as_deref().map(|t| (t, parse_hhmm(t))) {
        Some((_, Some(minutes))) => datefmt::time(minutes, lang),
        Some((text, None)) => text.to_owned(),
        None => String::new(),
    };
    Draft {
        date: entry
            .day()
            .map_or_else(|| entry.date.clone(), |d| datefmt::date(d, lang)),
        start: time(&entry.start),
        end: time(&entry.end),
        duration: if entry.start.is_some() {
            String::new()
        } else {
            format_hours(entry.minutes)
        },
        organisation_id: entry.organisation.id.clone(),
        organisation_name: entry.organisation.name.clone(),
        service: entry.service.clone(),
        category: Some(entry.category),
        note: entry.note.clone(),
    }
}

/// Minutes as decimal hours with a dot and at most two decimals, without
/// trailing zeros: `90` → `1.5`, `20` → `0.33`, `120` → `2`. The form of
/// hours in CSV and in the duration field.
pub fn format_hours(minutes: u32) -> String {
    let hundredths = (u64::from(minutes) * 100 + 30) / 60;
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// Hours for the screen: [`format_hours`] with a decimal comma in Finnish
/// and Swedish (`1,5`), a full stop in English (`1.5`).
pub fn format_hours_in(minutes: u32, lang: Lang) -> String {
    let text = format_hours(minutes);
    match lang {
        Lang::En => text,
        Lang::Fi | Lang::Sv => text.replace('.', ","),
    }
}

/// The hours as shown, as a number, for messages to choose a plural form
/// by: `1` hour is singular, `1,5` and `2` hours are plural.
pub fn hours_number(minutes: u32) -> f64 {
    format_hours(minutes).parse().unwrap_or(0.0)
}

/// A version 4 UUID from 16 random bytes (from `crypto.getRandomValues` in
/// the browser, a seeded generator in tests).
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Whether `text` is a UUID in the canonical lower- or upper-case hex form.
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2026-11-20").expect("date")
    }

    fn draft(date: &str, start: &str, end: &str, duration: &str) -> Draft {
        Draft {
            date: date.to_owned(),
            start: start.to_owned(),
            end: end.to_owned(),
            duration: duration.to_owned(),
            organisation_name: "Kajaanin Setlementti".to_owned(),
            category: Some(Category::Transport),
            ..Draft::default()
        }
    }

    /// Checks one draft: the expected minutes and problems, no warnings.
    fn check(d: Draft, minutes: Option<u32>, problems: &[Problem]) {
        let checked = validate(&d, today(), 0);
        assert_eq!(checked.problems, problems, "{d:?}");
        assert_eq!(checked.minutes, minutes, "{d:?}");
    }

    #[test]
    fn drafts_are_checked_field_by_field() {
        use Problem::*;
        check(draft("2026-11-20", "09:00", "12:30", ""), Some(210), &[]);
        check(draft("2026-11-19", "", "", "2"), Some(120), &[]);
        check(draft("2026-11-19", "", "", "1,5"), Some(90), &[]);
        check(draft("2026-11-19", "", "", "1.25"), Some(75), &[]);
        check(draft("2026-11-19", "", "", "0:45"), Some(45), &[]);
        check(draft("2026-11-21", "", "", "1"), Some(60), &[FutureDate]);
        check(draft("2026-02-30", "", "", "1"), Some(60), &[BadDate]);
        check(draft("", "", "", "1"), Some(60), &[BadDate]);
        check(
            draft("2026-11-19", "12:00", "12:00", ""),
            None,
            &[EndNotAfterStart],
        );
        check(
            draft("2026-11-19", "13:00", "12:00", ""),
            None,
            &[EndNotAfterStart],
        );
        check(draft("2026-11-19", "12:00", "", ""), None, &[HalfTimes]);
        check(draft("2026-11-19", "25:00", "26:00", ""), None, &[BadTime]);
        // Issue 10: dates and times as the app's language writes them.
        check(draft("19.11.2026", "9.00", "12.30", ""), Some(210), &[]);
        check(draft("19.11.", "", "", "1"), Some(60), &[]);
        check(
            draft("19\u{a0}Nov\u{a0}2026", "09:00", "1230", ""),
            Some(210),
            &[],
        );
        check(draft("21.11.2026", "", "", "1"), Some(60), &[FutureDate]);
        check(draft("11/19/2026", "", "", "1"), Some(60), &[BadDate]);
        check(draft("19.11.2026", "9.00", "2 pm", ""), None, &[BadTime]);
        // Issue 10: no kind of work is chosen for the volunteer.
        let mut no_category = draft("2026-11-19", "", "", "2");
        no_category.category = None;
        check(no_category, Some(120), &[NoCategory]);
        check(draft("2026-11-19", "", "", "0"), None, &[NotPositive]);
        check(draft("2026-11-19", "", "", "-2"), None, &[NotPositive]);
        check(draft("2026-11-19", "", "", "kaksi"), None, &[BadDuration]);
        check(draft("2026-11-19", "", "", ""), None, &[NoDuration]);
        check(draft("2026-11-19", "", "", "25"), None, &[LongerThanADay]);
        // Every problem is reported, not only the first.
        let mut d = draft("2026-12-01", "", "", "0");
        d.organisation_name = " ".to_owned();
        d.category = None;
        d.note = "x".repeat(NOTE_MAX_CHARS + 1);
        check(
            d,
            None,
            &[
                FutureDate,
                NotPositive,
                NoOrganisation,
                NoCategory,
                NoteTooLong,
            ],
        );
    }

    #[test]
    fn a_long_day_is_a_warning_not_an_error() {
        let d = draft("2026-11-19", "", "", "4");
        let checked = validate(&d, today(), 13 * 60);
        assert!(checked.problems.is_empty());
        assert_eq!(checked.warnings, [Warning::LongDay(17 * 60)]);
        assert!(validate(&d, today(), 12 * 60).warnings.is_empty());
    }

    #[test]
    fn a_valid_draft_becomes_an_entry_that_passes_the_inbox_check() {
        let mut d = draft("2026-11-19", " 09:00", "11:15 ", "");
        d.organisation_id = Some("kainuu-org-1".to_owned());
        d.note = "  Kahvit ja bingo. ".to_owned();
        let id = uuid_v4([7; 16]);
        let now = "2026-11-20T10:00:00+02:00";
        let entry = entry_from_draft(&d, today(), 0, id.clone(), None, now).expect("valid");
        assert_eq!(entry.minutes, 135);
        assert_eq!(entry.start.as_deref(), Some("09:00"));
        assert_eq!(entry.note, "Kahvit ja bingo.");
        assert_eq!(entry.created, now);
        assert_eq!(entry.problems(), []);
        let bad = entry_from_draft(&draft("x", "", "", ""), today(), 0, id, None, now);
        assert_eq!(bad, Err(vec![Problem::BadDate, Problem::NoDuration]));
    }

    /// Issue 10: what the volunteer types in the app's language is stored
    /// in the protocol's forms, `YYYY-MM-DD` and `HH:MM`, and an edit shows
    /// it in the app's language again.
    #[test]
    fn typed_dates_and_times_are_stored_as_iso_and_shown_in_the_apps_language() {
        let now = "2026-11-20T10:00:00+02:00";
        let check = |date: &str, start: &str, end: &str, stored: (&str, &str, &str)| {
            let d = draft(date, start, end, "");
            let entry =
                entry_from_draft(&d, today(), 0, uuid_v4([7; 16]), None, now).expect("valid");
            assert_eq!(
                (
                    entry.date.as_str(),
                    entry.start.as_deref().unwrap_or(""),
                    entry.end.as_deref().unwrap_or("")
                ),
                stored,
                "{date} {start} {end}"
            );
            assert_eq!(entry.problems(), []);
        };
        check(
            "19.11.2026",
            "9.00",
            "12.30",
            ("2026-11-19", "09:00", "12:30"),
        );
        check(
            "2026-11-19",
            "09:00",
            "12:30",
            ("2026-11-19", "09:00", "12:30"),
        );
        check("5.1.", "8", "1615", ("2026-01-05", "08:00", "16:15"));
        check(
            "19 Nov 2026",
            "17:45",
            "24.00",
            ("2026-11-19", "17:45", "24:00"),
        );

        let mut d = draft("2026-11-19", "09:00", "11:15", "");
        d.category = Some(Category::Events);
        let entry = entry_from_draft(&d, today(), 0, uuid_v4([7; 16]), None, now).expect("valid");
        let shown = |lang: Lang| {
            let d = draft_from_entry(&entry, lang);
            (d.date, d.start, d.end, d.category)
        };
        let events = Some(Category::Events);
        assert_eq!(
            shown(Lang::Fi),
            ("19.11.2026".into(), "09.00".into(), "11.15".into(), events)
        );
        assert_eq!(
            shown(Lang::Sv),
            ("19.11.2026".into(), "09.00".into(), "11.15".into(), events)
        );
        assert_eq!(
            shown(Lang::En),
            (
                "19\u{a0}Nov\u{a0}2026".into(),
                "09:00".into(),
                "11:15".into(),
                events
            )
        );
        // What an edit shows saves back to the same content.
        for lang in Lang::ALL {
            let again = entry_from_draft(
                &draft_from_entry(&entry, lang),
                today(),
                0,
                entry.id.clone(),
                None,
                now,
            )
            .expect("valid");
            assert_eq!(again.content_key(), entry.content_key(), "{lang:?}");
        }
        assert_eq!(Draft::blank(today(), Lang::Fi).date, "20.11.2026");
        assert_eq!(Draft::blank(today(), Lang::Fi).category, None);
    }

    /// Issue 10: `hours-total` said "1 tuntia" and "1 timmar"; the hours
    /// select the plural form as numbers while shown with the app's decimal
    /// separator.
    #[test]
    fn the_total_agrees_in_number_with_the_hours() {
        use crate::i18n::{t_args, Arg};
        let check = |lang: Lang, minutes: u32, count: f64, expected: &str| {
            let (shown, n) = (format_hours_in(minutes, lang), hours_number(minutes));
            let text = t_args(
                lang,
                "hours-total",
                &[
                    ("hours", Arg::Str(&shown)),
                    ("n", Arg::Num(n)),
                    ("count", Arg::Num(count)),
                ],
            );
            assert_eq!(text, expected);
        };
        check(Lang::Fi, 60, 1.0, "1\u{a0}tunti, 1 kirjaus");
        check(Lang::Fi, 90, 2.0, "1,5\u{a0}tuntia, 2 kirjausta");
        check(Lang::Fi, 120, 2.0, "2\u{a0}tuntia, 2 kirjausta");
        check(Lang::Sv, 60, 1.0, "1\u{a0}timme, 1 registrering");
        check(Lang::Sv, 270, 3.0, "4,5\u{a0}timmar, 3 registreringar");
        check(Lang::En, 60, 1.0, "1\u{a0}hour in 1 entry");
        check(Lang::En, 0, 0.0, "0\u{a0}hours in 0 entries");
        check(Lang::En, 61, 2.0, "1.02\u{a0}hours in 2 entries");
    }

    /// Issue 10: the milestones said "100 timmar uppnått" and "45 % done";
    /// they agree with the hours and keep the percent sign with its number.
    #[test]
    fn milestones_agree_with_their_hours() {
        use crate::i18n::{t_args, Arg};
        let check = |lang: Lang, reached: bool, hours: f64, expected: &str| {
            let key = if reached {
                "hours-milestone-reached"
            } else {
                "hours-milestone-progress"
            };
            let text = t_args(
                lang,
                key,
                &[("hours", Arg::Num(hours)), ("percent", Arg::Num(45.0))],
            );
            assert_eq!(text.replace('\u{a0}', "_"), expected);
        };
        check(Lang::Fi, true, 100.0, "100 tuntia saavutettu");
        check(Lang::Fi, false, 1.0, "1 tunti: 45_% tehty");
        check(Lang::Sv, true, 100.0, "100 timmar uppnådda");
        check(Lang::Sv, true, 1.0, "1 timme uppnådd");
        check(Lang::Sv, false, 250.0, "250 timmar: 45_% klart");
        check(Lang::En, true, 50.0, "50 hours reached");
        check(Lang::En, false, 500.0, "500 hours: 45% done");
    }

    #[test]
    fn the_inbox_check_catches_entries_that_skipped_the_form() {
        let mut entry = Entry {
            id: "not-a-uuid".to_owned(),
            date: "2026-13-01".to_owned(),
            start: Some("10:00".to_owned()),
            end: None,
            minutes: 0,
            organisation: OrgRef {
                id: None,
                name: String::new(),
            },
            service: None,
            category: Category::Other,
            note: String::new(),
            created: String::new(),
            modified: String::new(),
        };
        use Problem::*;
        assert_eq!(
            entry.problems(),
            [BadId, BadDate, HalfTimes, NotPositive, NoOrganisation]
        );
        entry.end = Some("11:00".to_owned());
        entry.minutes = 30;
        assert!(entry.problems().contains(&TimesDisagree));
    }

    #[test]
    fn content_key_ignores_timestamps_but_not_content() {
        let d = draft("2026-11-19", "", "", "2");
        let id = uuid_v4([1; 16]);
        let a = entry_from_draft(&d, today(), 0, id.clone(), None, "2026-11-19T10:00:00Z")
            .expect("valid");
        let mut b = a.clone();
        b.modified = "2026-11-20T10:00:00Z".to_owned();
        assert_eq!(a.content_key(), b.content_key());
        b.minutes = 121;
        assert_ne!(a.content_key(), b.content_key());
    }

    #[test]
    fn hours_are_formatted_with_a_dot() {
        for (minutes, text) in [
            (90, "1.5"),
            (20, "0.33"),
            (120, "2"),
            (1, "0.02"),
            (45, "0.75"),
        ] {
            assert_eq!(format_hours(minutes), text);
        }
    }

    #[test]
    fn uuids_are_version_4() {
        let id = uuid_v4([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(is_uuid(&id));
        assert!(!is_uuid("ffffffff-ffff-4fff-bfff-fffffffffff"));
    }

    /// The UI builds these keys from data (`hours-category-{name}`, a
    /// problem's or a state's key), so the source scan of the app's i18n
    /// test cannot see them; this checks them instead.
    #[test]
    fn every_key_made_from_data_is_in_the_catalogues() {
        use super::outbox::Delivery;
        use crate::i18n::catalogue_report;
        use crate::Lang;
        let problems = [
            Problem::BadId,
            Problem::BadDate,
            Problem::FutureDate,
            Problem::BadTime,
            Problem::HalfTimes,
            Problem::EndNotAfterStart,
            Problem::TimesDisagree,
            Problem::BadDuration,
            Problem::NoDuration,
            Problem::NotPositive,
            Problem::LongerThanADay,
            Problem::NoOrganisation,
            Problem::NoCategory,
            Problem::NoteTooLong,
        ];
        let states = [
            Delivery::Local,
            Delivery::new(true, 0),
            Delivery::Sent { at_ms: 0 },
            Delivery::Accepted { at_ms: 0 },
            Delivery::Rejected {
                reason: String::new(),
            },
        ];
        let mut keys: Vec<String> = Category::ALL
            .iter()
            .map(|c| format!("hours-category-{}", c.name()))
            .collect();
        keys.extend(problems.iter().map(|p| p.key().to_owned()));
        keys.extend(states.iter().map(|d| d.key().to_owned()));
        use super::outbox::Destination;
        keys.extend(
            [
                Destination::Inbox,
                Destination::CodeRefused,
                Destination::Joinable,
                Destination::DeviceOnly,
            ]
            .map(|d| d.key().to_owned()),
        );
        keys.push("hours-state-conflict".to_owned());
        keys.extend(["12m", "month", "year", "all"].map(|p| format!("hours-period-{p}")));
        for lang in Lang::ALL {
            let (ids, _) = catalogue_report(lang);
            for key in &keys {
                assert!(ids.contains(key), "{key} is missing in {}", lang.tag());
            }
        }
    }

    #[test]
    fn categories_round_trip_by_name() {
        assert_eq!(Category::from_name("nothing"), None);
        for c in Category::ALL {
            assert_eq!(Category::from_name(c.name()), Some(c));
            let json = serde_json::to_string(&c).expect("json");
            assert_eq!(json, format!("\"{}\"", c.name()));
        }
    }
}
