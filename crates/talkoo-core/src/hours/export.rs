//! Hours out of the app: CSV that opens in a spreadsheet and JSON, one row or object per entry.
//!
//! The CSV follows RFC 4180 (CRLF line ends, quoted fields) and starts with a
//! byte order mark, because Excel only reads a CSV file as UTF-8 when it has
//! one; without it "Sámi" and "Pyhäjärvi" come out garbled. A small reader
//! is here too, so tests can prove that what we write parses back.

use std::borrow::Cow;

use serde::Serialize;

use super::outbox::Record;
use super::{format_hours, Entry};
use crate::time::Date;

/// The header row of the CSV export, in column order.
pub const CSV_HEADER: [&str; 14] = [
    "id",
    "date",
    "start",
    "end",
    "hours",
    "organisation",
    "organisation_id",
    "activity",
    "activity_id",
    "category",
    "note",
    "state",
    "created",
    "modified",
];

/// The `format` value of the JSON export.
pub const JSON_FORMAT: &str = "talkoo-hours";

/// The `version` of the JSON export this build writes.
pub const JSON_VERSION: u32 = 1;

/// One CSV field as RFC 4180 wants it: quoted when it holds a comma, a
/// quote, a line break or leading/trailing space, with quotes doubled.
pub fn csv_field(text: &str) -> Cow<'_, str> {
    let needs_quotes =
        text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ');
    if needs_quotes {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text field made safe to open in a spreadsheet: one starting with a
/// character that makes Excel or LibreOffice read a formula (`=`, `+`, `-`,
/// `@`, or a tab or carriage return, per OWASP's CSV injection advice) gets a
/// leading `'`, so a note like `=HYPERLINK(…)` stays text. The hours column
/// does not go through this: it is written by us and never negative.
fn text_field(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The records in the order every export lists them: by date, then start
/// time (entries without times first), then when they were created, with
/// the id last so equal entries still come out in one fixed order.
pub fn in_date_order(records: &[Record]) -> Vec<&Record> {
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by(|a, b| {
        let (a, b) = (&a.entry, &b.entry);
        (&a.date, &a.start, &a.created, &a.id).cmp(&(&b.date, &b.start, &b.created, &b.id))
    });
    sorted
}

/// One CSV row's fields, before quoting.
fn row(record: &Record) -> [String; 14] {
    let e = &record.entry;
    let service = e.service.as_ref();
    [
        e.id.clone(),
        e.date.clone(),
        e.start.clone().unwrap_or_default(),
        e.end.clone().unwrap_or_default(),
        format_hours(e.minutes),
        e.organisation.name.clone(),
        e.organisation.id.clone().unwrap_or_default(),
        service.map(|s| s.name.clone()).unwrap_or_default(),
        service.map(|s| s.id.clone()).unwrap_or_default(),
        e.category.name().to_owned(),
        e.note.clone(),
        record.delivery.name().to_owned(),
        e.created.clone(),
        e.modified.clone(),
    ]
}

/// The column that holds hours: a number, written without the formula guard.
const HOURS_COLUMN: usize = 4;

/// The entries as a CSV file: a byte order mark, the [`CSV_HEADER`] row and
/// one row per entry in [`in_date_order`], every line ending in CRLF. Hours
/// are decimal with a dot (`1.5`), which spreadsheets in any locale import
/// as a number when the column is set to "English" or read as text.
pub fn to_csv(records: &[Record]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_HEADER.join(","));
    out.push_str("\r\n");
    for record in in_date_order(records) {
        let fields: Vec<String> = row(record)
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let text = if i == HOURS_COLUMN {
                    Cow::Borrowed(text.as_str())
                } else {
                    text_field(text)
                };
                csv_field(&text).into_owned()
            })
            .collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Why a CSV text could not be read; the line is counted from 1 in the
/// text as a text editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// A field opened with a quote that is never closed.
    #[error("line {line}: a quoted field is never closed")]
    UnterminatedQuote {
        /// The line where the field starts.
        line: usize,
    },
    /// A quote inside an unquoted field, or text after a field's closing quote.
    #[error("line {line}: a quote in the middle of a field (a field with quotes must be quoted whole, with its quotes doubled)")]
    StrayQuote {
        /// The line of the quote.
        line: usize,
    },
}

/// Reads CSV as RFC 4180 describes it: comma-separated fields, quoted
/// fields that may hold commas, line breaks and doubled quotes, records
/// ending in CRLF or LF. A leading byte order mark is dropped and blank
/// lines are skipped. Returns every record's fields, the header included.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    // Whether the current field was quoted, so `"",x` keeps its empty field.
    let mut quoted = false;
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if field.is_empty() && !quoted => {
                let start = line;
                quoted = true;
                loop {
                    match chars.next() {
                        None => return Err(CsvError::UnterminatedQuote { line: start }),
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            field.push(c);
                        }
                    }
                }
                if !matches!(chars.peek(), None | Some(',' | '\r' | '\n')) {
                    return Err(CsvError::StrayQuote { line });
                }
            }
            '"' => return Err(CsvError::StrayQuote { line }),
            ',' => {
                record.push(std::mem::take(&mut field));
                quoted = false;
            }
            '\r' | '\n' => {
                // CRLF is one line end; a lone CR or LF is one too.
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                line += 1;
                if !record.is_empty() || !field.is_empty() || quoted {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                quoted = false;
            }
            c => field.push(c),
        }
    }
    if !record.is_empty() || !field.is_empty() || quoted {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

/// The JSON export's top level.
#[derive(Serialize)]
struct HoursFile<'a> {
    format: &'static str,
    version: u32,
    exported: &'a str,
    entries: Vec<ExportedEntry<'a>>,
}

/// One entry in the JSON export: its own fields with the delivery state's
/// name beside them, so the file reads as a flat list.
#[derive(Serialize)]
struct ExportedEntry<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    state: &'static str,
}

/// The entries as pretty-printed JSON:
/// `{"format": "talkoo-hours", "version": 1, "exported": …, "entries": […]}`,
/// each entry with the fields of [`Entry`] plus `state`, in [`in_date_order`].
pub fn to_json(records: &[Record], exported_rfc3339: &str) -> String {
    let file = HoursFile {
        format: JSON_FORMAT,
        version: JSON_VERSION,
        exported: exported_rfc3339,
        entries: in_date_order(records)
            .into_iter()
            .map(|r| ExportedEntry {
                entry: &r.entry,
                state: r.delivery.name(),
            })
            .collect(),
    };
    // Strings, numbers and derived structs always serialise, so the empty
    // fallback is never used; it keeps the export free of panics.
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// The download's file name, `talkoo-hours-2026-11-20.csv`, for `kind`
/// `"csv"` or `"json"` (used as the extension).
pub fn file_name(kind: &str, today: Date) -> String {
    format!("talkoo-hours-{today}.{kind}")
}

#[cfg(test)]
mod tests {
    use super::super::outbox::Delivery;
    use super::super::{uuid_v4, Category, OrgRef, ServiceRef};
    use super::*;

    fn entry(n: u8, date: &str, start: Option<(&str, &str)>, minutes: u32) -> Entry {
        Entry {
            id: uuid_v4([n; 16]),
            date: date.to_owned(),
            start: start.map(|(s, _)| s.to_owned()),
            end: start.map(|(_, e)| e.to_owned()),
            minutes,
            organisation: OrgRef {
                id: Some("kainuu-org-1".to_owned()),
                name: "Kajaanin Setlementti".to_owned(),
            },
            service: None,
            category: Category::Other,
            note: String::new(),
            created: format!("{date}T20:00:{n:02}+02:00"),
            modified: format!("{date}T20:00:{n:02}+02:00"),
        }
    }

    fn record(entry: Entry, delivery: Delivery) -> Record {
        Record { entry, delivery }
    }

    /// Records given out of order, with every delivery state, awkward text in
    /// every text column, and minutes that are whole hundredths of an hour
    /// (multiples of three) so the hours column is exact.
    fn records() -> Vec<Record> {
        let mut sami = entry(1, "2026-11-20", Some(("09:00", "12:30")), 210);
        sami.organisation = OrgRef {
            id: None,
            name: "Anára sámiid searvi – Čeavetjávri, Šuoŋŋâ".to_owned(),
        };
        sami.service = Some(ServiceRef {
            id: "inari-svc-3".to_owned(),
            name: " Sámi giella, \"beaivi\" ".to_owned(),
        });
        sami.category = Category::PeerSupport;
        sami.note = "Rivi 1, pilkku\nRivi 2 \"lainaus\"\r\nÄäkköset: åäö ÅÄÖ".to_owned();
        let mut formula = entry(2, "2026-11-20", None, 45);
        formula.note = "=HYPERLINK(\"http://example.invalid\",\"klikkaa\")".to_owned();
        formula.category = Category::Events;
        let mut early = entry(3, "2026-11-20", Some(("07:15", "08:00")), 45);
        early.organisation.name = "@Pyhäjärven Martat".to_owned();
        let sent = entry(4, "2026-01-02", None, 90);
        let mut conflict = entry(5, "2026-11-19", None, 120);
        conflict.note = "-2 tuntia peruttu, +1 lisätty".to_owned();
        let theirs = Box::new(conflict.clone());
        // Same day and start as the Sámi entry but created earlier, so the
        // creation time (not the id) puts it first.
        let mut rejected = entry(6, "2026-11-20", Some(("09:00", "09:30")), 30);
        rejected.created = "2026-11-20T09:31:00+02:00".to_owned();
        vec![
            record(sami, Delivery::Local),
            record(formula, Delivery::new(true, 0)),
            record(early, Delivery::Accepted { at_ms: 5 }),
            record(sent, Delivery::Sent { at_ms: 1 }),
            record(conflict, Delivery::Conflict { theirs }),
            record(
                rejected,
                Delivery::Rejected {
                    reason: "Ei meidän tapahtuma".to_owned(),
                },
            ),
        ]
    }

    /// Hours as written in the CSV (`1.5`) in hundredths, without floats.
    fn hundredths(text: &str) -> u64 {
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let frac = format!("{frac:0<2}");
        let whole: u64 = whole.parse().expect(text);
        let frac: u64 = frac.parse().expect(text);
        assert!(frac < 100, "at most two decimals: {text}");
        whole * 100 + frac
    }

    #[test]
    fn the_csv_has_a_bom_crlf_lines_and_the_header() {
        let csv = to_csv(&records());
        assert!(csv.starts_with(
            "\u{feff}id,date,start,end,hours,organisation,organisation_id,activity,\
             activity_id,category,note,state,created,modified\r\n"
        ));
        // Every line break outside a note is CRLF; the one bare LF is inside
        // a quoted note, as typed.
        assert_eq!(csv.matches("\r\n").count(), 8);
        assert_eq!(csv.matches('\n').count(), 9);
        assert!(csv.ends_with("\r\n"));
        assert_eq!(to_csv(&[]), format!("\u{feff}{}\r\n", CSV_HEADER.join(",")));
    }

    #[test]
    fn the_csv_parses_back_to_the_same_entries_and_totals() {
        let records = records();
        let rows = parse_csv(&to_csv(&records)).expect("our CSV parses");
        assert_eq!(rows[0], CSV_HEADER);
        assert_eq!(rows.len(), records.len() + 1);
        assert!(rows.iter().all(|r| r.len() == CSV_HEADER.len()));
        let column = |name: &str| CSV_HEADER.iter().position(|h| *h == name).expect(name);
        let id_of = |n: u8| uuid_v4([n; 16]);
        // By date, then start (no times first), then created.
        let ids: Vec<&str> = rows[1..].iter().map(|r| r[column("id")].as_str()).collect();
        assert_eq!(
            ids,
            [id_of(4), id_of(5), id_of(2), id_of(3), id_of(6), id_of(1)]
        );
        let states: Vec<&str> = rows[1..]
            .iter()
            .map(|r| r[column("state")].as_str())
            .collect();
        assert_eq!(
            states,
            ["sent", "conflict", "waiting", "accepted", "rejected", "local"]
        );

        // Every row's text is what the entry holds, apart from the guard.
        for row in &rows[1..] {
            let record = records
                .iter()
                .find(|r| r.entry.id == row[column("id")])
                .expect("a known id");
            let want = super::row(record);
            for (i, (got, want)) in row.iter().zip(want).enumerate() {
                let want = if i == HOURS_COLUMN {
                    want
                } else {
                    text_field(&want).into_owned()
                };
                assert_eq!(*got, want, "column {}", CSV_HEADER[i]);
            }
        }

        let parsed: u64 = rows[1..].iter().map(|r| hundredths(&r[HOURS_COLUMN])).sum();
        let minutes: u64 = records.iter().map(|r| u64::from(r.entry.minutes)).sum();
        assert_eq!(parsed, minutes * 100 / 60);
        assert_eq!(
            minutes * 100 % 60,
            0,
            "the test data is exact in hundredths"
        );
    }

    #[test]
    fn rounded_hours_add_up_to_within_half_a_hundredth_per_row() {
        // 20 minutes is 0.3333… hours, written 0.33; the sum of the column
        // is off by at most half a hundredth per row, never more.
        let minutes = [20, 20, 20, 10, 1, 59, 61, 1440];
        let records: Vec<Record> = minutes
            .iter()
            .zip(1u8..)
            .map(|(&m, n)| record(entry(n, "2026-11-20", None, m), Delivery::Local))
            .collect();
        let rows = parse_csv(&to_csv(&records)).expect("parses");
        let parsed: u64 = rows[1..].iter().map(|r| hundredths(&r[HOURS_COLUMN])).sum();
        // Compared in sixtieths of a hundredth of an hour, so nothing is
        // divided and rounded: the column's hundredths times 60 against the
        // exact minutes times 100. Half a hundredth is 30 of these units.
        let written = parsed * 60;
        let exact: u64 = minutes.iter().map(|&m| u64::from(m)).sum::<u64>() * 100;
        let rows = minutes.len() as u64;
        assert!(written.abs_diff(exact) <= 30 * rows, "{written} vs {exact}");
        assert_ne!(written, exact, "the data does exercise rounding");
    }

    /// Puts `note` through an export and back and expects `expected`.
    fn check(note: &str, expected: &str) {
        let mut e = entry(9, "2026-11-20", None, 60);
        e.note = note.to_owned();
        let rows = parse_csv(&to_csv(&[record(e, Delivery::Local)])).expect(note);
        assert_eq!(rows.len(), 2, "{note:?}");
        assert_eq!(rows[1][10], expected, "{note:?}");
        assert_eq!(rows[1][HOURS_COLUMN], "1", "{note:?}");
    }

    #[test]
    fn awkward_text_survives_and_formulas_stay_text() {
        check("", "");
        check("kahvit, pullat", "kahvit, pullat");
        check("\"lainaus\"", "\"lainaus\"");
        check("\"", "\"");
        check("rivi 1\nrivi 2", "rivi 1\nrivi 2");
        check("rivi 1\r\nrivi 2\r\n", "rivi 1\r\nrivi 2\r\n");
        check(" välilyönti ", " välilyönti ");
        check(
            "Pyhäjärvi, Åland, Čeavetjávri, Šuoŋŋâ, đ ŧ ž ǩ ǯ",
            "Pyhäjärvi, Åland, Čeavetjávri, Šuoŋŋâ, đ ŧ ž ǩ ǯ",
        );
        check("=1+1", "'=1+1");
        check("=HYPERLINK(\"x\",\"y\")", "'=HYPERLINK(\"x\",\"y\")");
        check("+358 40 123", "'+358 40 123");
        check("-5", "'-5");
        check("@SUM(A1)", "'@SUM(A1)");
        check("\t=1", "'\t=1");
        check("1+1=2", "1+1=2");
        check("'jo lainattu", "'jo lainattu");
    }

    #[test]
    fn the_csv_reader_follows_rfc_4180() {
        let check = |text: &str, expected: Result<&[&[&str]], CsvError>| {
            let expected = expected.map(|rows| {
                rows.iter()
                    .map(|r| r.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>())
                    .collect::<Vec<_>>()
            });
            assert_eq!(parse_csv(text), expected, "{text:?}");
        };
        check("", Ok(&[]));
        check("a,b\r\nc,d\r\n", Ok(&[&["a", "b"], &["c", "d"]]));
        check("a,b\nc,d", Ok(&[&["a", "b"], &["c", "d"]]));
        check("\u{feff}a", Ok(&[&["a"]]));
        check("a,,\n", Ok(&[&["a", "", ""]]));
        check(",\n", Ok(&[&["", ""]]));
        check("\"\"\n", Ok(&[&[""]]));
        check("a\n\n\r\nb\n", Ok(&[&["a"], &["b"]]));
        check("\"a,b\",\"c\"\"d\"\n", Ok(&[&["a,b", "c\"d"]]));
        check("\"a\r\nb\",c\r\nd", Ok(&[&["a\r\nb", "c"], &["d"]]));
        check("a,\"b", Err(CsvError::UnterminatedQuote { line: 1 }));
        check(
            "x\ny\n\"ab\ncd",
            Err(CsvError::UnterminatedQuote { line: 3 }),
        );
        check("\"a\nb\nc\"x", Err(CsvError::StrayQuote { line: 3 }));
        check("ab\"c", Err(CsvError::StrayQuote { line: 1 }));
        let message = CsvError::UnterminatedQuote { line: 3 }.to_string();
        assert_eq!(message, "line 3: a quoted field is never closed");
    }

    #[test]
    fn the_json_export_lists_entries_with_their_state() {
        let records = records();
        let exported = "2026-11-20T10:00:00+02:00";
        let json = to_json(&records, exported);
        assert!(
            json.contains("\n  \"format\": \"talkoo-hours\""),
            "pretty: {json}"
        );
        let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(value["format"], "talkoo-hours");
        assert_eq!(value["version"], 1);
        assert_eq!(value["exported"], exported);
        let entries = value["entries"].as_array().expect("entries");
        let sorted = in_date_order(&records);
        assert_eq!(entries.len(), sorted.len());
        for (object, record) in entries.iter().zip(sorted) {
            assert_eq!(object["state"], record.delivery.name());
            // The entry's own fields read back as the entry; `state` is an
            // extra field that reading ignores.
            let entry: Entry = serde_json::from_value(object.clone()).expect("an entry");
            assert_eq!(entry, record.entry);
        }
        assert_eq!(entries[0]["minutes"], 90);
        assert_eq!(entries[5]["category"], "peer-support");
        assert_eq!(entries[0].get("start"), None, "no times, no field");
    }

    #[test]
    fn file_names_carry_the_date() {
        let today = Date::parse("2026-11-20").expect("date");
        assert_eq!(file_name("csv", today), "talkoo-hours-2026-11-20.csv");
        assert_eq!(file_name("json", today), "talkoo-hours-2026-11-20.json");
        let new_year = Date::parse("2027-01-05").expect("date");
        assert_eq!(file_name("csv", new_year), "talkoo-hours-2027-01-05.csv");
    }
}
