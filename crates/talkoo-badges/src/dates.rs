//! RFC 3339 timestamps as seconds since 1970, so validity dates and JWT `nbf`/`exp` compare without a date crate in the verifier worker.
//!
//! Credentials carry dates as XML Schema `dateTime` strings (RFC 3339 with
//! an offset or `Z`); a JWT carries NumericDate seconds. Only whole seconds
//! matter for validity, so fractions are dropped.

/// Seconds since 1970-01-01T00:00:00Z for an RFC 3339 date-time such as
/// `2026-12-03T06:00:00Z` or `2026-12-03T08:00:00.5+02:00`; a date alone
/// (`2026-12-03`) means its midnight UTC. `None` if it is not one.
pub fn parse(text: &str) -> Option<i64> {
    let b = text.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        return Some(days * 86_400);
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = &fraction[n..];
    }
    let offset = match rest {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let minutes = digits(&[*h1, *h2])? * 60 + digits(&[*m1, *m2])?;
            if *sign == b'-' {
                -minutes * 60
            } else {
                minutes * 60
            }
        }
        _ => return None,
    };
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// The RFC 3339 UTC form (`2026-12-03T06:00:00Z`) of seconds since 1970.
pub fn format(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

fn digits(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0i64, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
    })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days-from-civil algorithm: exact for the proleptic
// Gregorian calendar, with no tables.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<i64>) {
        assert_eq!(parse(text), expected, "{text}");
        if let Some(s) = expected {
            assert_eq!(parse(&format(s)), Some(s), "{text}");
        }
    }

    #[test]
    fn dates_parse_as_seconds_since_1970() {
        check("1970-01-01T00:00:00Z", Some(0));
        check("2010-01-01T00:00:00Z", Some(1_262_304_000));
        check("2010-01-01", Some(1_262_304_000));
        check("2010-01-01T02:00:00+02:00", Some(1_262_304_000));
        check("2009-12-31T22:00:00.123-02:00", Some(1_262_304_000));
        check("2024-02-29T00:00:00Z", Some(1_709_164_800));
        check("2023-02-29T00:00:00Z", None);
        check("2010-13-01T00:00:00Z", None);
        check("2010-01-01T00:00:00", None);
        check("2010-01-01T00:00Z", None);
        check("yesterday", None);
        check("", None);
        assert_eq!(format(1_262_304_000), "2010-01-01T00:00:00Z");
    }
}
