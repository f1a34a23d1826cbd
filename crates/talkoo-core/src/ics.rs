//! iCalendar (RFC 5545) files for "add to calendar", in Europe/Helsinki time, written by hand to keep the wasm small.

use crate::model::{pick, Event, Place};
use crate::time::DateTime;

/// The Europe/Helsinki time zone as calendars expect it, with the EU rule
/// (summer time from the last Sunday of March to the last Sunday of October).
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Helsinki\r\nBEGIN:STANDARD\r\nDTSTART:19701025T040000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nTZNAME:EET\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nTZNAME:EEST\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

/// Escapes text values (RFC 5545 3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// Local wall-clock time as written in the feed, `YYYYMMDDTHHMMSS`.
fn local(time: &DateTime) -> String {
    let (d, s) = (time.date, time.seconds);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        d.year,
        d.month,
        d.day,
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// A calendar file with one event. `lang` picks the text language, `place`
/// gives the location, `stamp` (RFC 3339, UTC) is the file's creation time.
pub fn event_ics(event: &Event, place: Option<&Place>, lang: &str, stamp: &str) -> Option<String> {
    let start = DateTime::parse(&event.start)?;
    let end = DateTime::parse(&event.end)?;
    let stamp = DateTime::parse(stamp)?;
    let text = |t| pick(t, lang).map(|(_, v)| v).unwrap_or_default();
    let mut out = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Talkoo//Talkoo//FI\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
    out.push_str(VTIMEZONE);
    out.push_str("BEGIN:VEVENT\r\n");
    out.push_str(&fold(&format!("UID:{}@talkoo", event.id)));
    out.push_str(&format!(
        "DTSTAMP:{}Z\r\n",
        local(&DateTime {
            offset_minutes: 0,
            ..utc(&stamp)
        })
    ));
    out.push_str(&format!(
        "DTSTART;TZID=Europe/Helsinki:{}\r\n",
        local(&start)
    ));
    out.push_str(&format!("DTEND;TZID=Europe/Helsinki:{}\r\n", local(&end)));
    out.push_str(&fold(&format!("SUMMARY:{}", escape(text(&event.name)))));
    let description = text(&event.description);
    if !description.is_empty() {
        out.push_str(&fold(&format!("DESCRIPTION:{}", escape(description))));
    }
    if let Some(place) = place {
        let street = text(&place.address.street);
        let office = text(&place.address.post_office);
        let location = format!(
            "{}, {street}, {} {office}",
            text(&place.name),
            place.address.postal_code
        );
        out.push_str(&fold(&format!("LOCATION:{}", escape(&location))));
        if let Some(at) = place.coordinates {
            out.push_str(&format!("GEO:{:.6};{:.6}\r\n", at.lat, at.lon));
        }
    }
    out.push_str("END:VEVENT\r\nEND:VCALENDAR\r\n");
    Some(out)
}

/// The same moment in UTC.
fn utc(time: &DateTime) -> DateTime {
    let unix = time.unix();
    DateTime {
        date: crate::time::Date::from_days(unix.div_euclid(86_400)),
        seconds: u32::try_from(unix.rem_euclid(86_400)).unwrap_or(0),
        offset_minutes: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(start: &str, end: &str, name: &str) -> Event {
        serde_json::from_value(serde_json::json!({
            "id": "event-x", "name": {"fi": name, "sv": "Julmarknad"}, "description": {"fi": "Rivi 1\nRivi 2"},
            "start": start, "end": end, "organiser": "org-a", "languages": ["fi"], "modified": "2026-11-01T10:00:00Z"
        }))
        .expect("event")
    }

    #[test]
    fn event_in_helsinki_time_with_escaped_and_folded_text() {
        let long = "Joulumyyjäiset; käsitöitä, leivonnaisia ja arpajaiset – tervetuloa koko perheen voimin kylätalolle";
        let ics = event_ics(
            &event(
                "2026-12-05T10:00:00+02:00",
                "2026-12-05T14:00:00+02:00",
                long,
            ),
            None,
            "fi",
            "2026-11-22T08:30:00Z",
        )
        .expect("ics");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("DTSTART;TZID=Europe/Helsinki:20261205T100000\r\n"));
        assert!(ics.contains("DTEND;TZID=Europe/Helsinki:20261205T140000\r\n"));
        assert!(ics.contains("DTSTAMP:20261122T083000Z\r\n"));
        assert!(ics.contains("TZID:Europe/Helsinki"));
        assert!(ics.contains("DESCRIPTION:Rivi 1\\nRivi 2"));
        assert!(ics.contains("SUMMARY:Joulumyyjäiset\\; käsitöitä\\, leivonnaisia"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "line longer than 75 octets: {line}");
        }
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
    }

    #[test]
    fn summer_time_is_written_as_local_wall_clock() {
        let ics = event_ics(
            &event(
                "2027-06-15T18:00:00+03:00",
                "2027-06-15T20:00:00+03:00",
                "Juhannus",
            ),
            None,
            "sv",
            "2026-11-22T08:30:00Z",
        )
        .expect("ics");
        assert!(ics.contains("DTSTART;TZID=Europe/Helsinki:20270615T180000"));
        assert!(ics.contains("SUMMARY:Julmarknad"), "Swedish text chosen");
    }

    #[test]
    fn unreadable_times_give_no_file() {
        assert!(event_ics(
            &event("soon", "later", "x"),
            None,
            "fi",
            "2026-11-22T08:30:00Z"
        )
        .is_none());
    }
}
