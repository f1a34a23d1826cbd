//! The coordinator's CSV: one row per received entry, for the spreadsheet where hours are added up and reported.
//!
//! Fields are quoted by the core's `csv_field` and hours are written by
//! `format_hours`, so the inbox's CSV and the app's own export agree on
//! quoting and on decimals (a dot, which every spreadsheet reads as a number
//! when told the column is in English format).

use std::io::Write;

use talkoo_core::hours::export::csv_field;
use talkoo_core::hours::format_hours;

use crate::store::Received;

/// The header row, also the column order.
pub const HEADER: [&str; 12] = [
    "id",
    "date",
    "start",
    "end",
    "hours",
    "category",
    "activity",
    "note",
    "volunteer",
    "status",
    "reason",
    "received",
];

/// Writes the header and one row per entry. Lines end in CRLF as RFC 4180
/// has it; every spreadsheet and CSV library reads that.
pub fn write_csv(out: &mut dyn Write, rows: &[Received]) -> std::io::Result<()> {
    write_row(out, HEADER.iter().copied())?;
    for row in rows {
        let entry = &row.entry;
        // The label is usually the volunteer's name; without one the code's
        // public id still tells one volunteer's rows from another's (the
        // code itself is a secret the inbox no longer knows).
        let volunteer = row.label.clone().unwrap_or_else(|| row.code_id.clone());
        let hours = format_hours(entry.minutes);
        let fields = [
            entry.id.as_str(),
            entry.date.as_str(),
            entry.start.as_deref().unwrap_or_default(),
            entry.end.as_deref().unwrap_or_default(),
            hours.as_str(),
            entry.category.name(),
            entry.service.as_ref().map_or("", |s| s.name.as_str()),
            entry.note.as_str(),
            volunteer.as_str(),
            row.status.name(),
            row.reason.as_deref().unwrap_or_default(),
            row.received.as_str(),
        ];
        write_row(out, fields.into_iter())?;
    }
    out.flush()
}

fn write_row<'a>(
    out: &mut dyn Write,
    fields: impl Iterator<Item = &'a str>,
) -> std::io::Result<()> {
    let line: Vec<_> = fields.map(csv_field).collect();
    write!(out, "{}\r\n", line.join(","))
}
