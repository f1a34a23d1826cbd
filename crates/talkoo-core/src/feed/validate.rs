//! The content rules of the feed format: checks on the manifest, on each data file, and across a region's files, returning every problem.

use std::collections::{BTreeMap, BTreeSet};

use super::types::{DataFile, FileRef, Kind, Manifest, Problem, Region};
use crate::endpoint::endpoint_problems;
use crate::model::{Achievement, Event, Issuer, LangText, Organisation, Place, Schedule, Service};
use crate::time::{is_helsinki_local, parse_hhmm, Date, DateTime};

/// Where in a file a value is, as a problem names it (`$.services[3].name`):
/// written out only for a value with a problem, since validating a
/// 10,000-card region checks hundreds of thousands of values.
type Path<'a> = &'a dyn std::fmt::Display;

/// Collects problems for one file.
#[derive(Debug)]
struct Checker<'a> {
    file: &'a str,
    problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    fn new(file: &'a str) -> Self {
        Self {
            file,
            problems: Vec::new(),
        }
    }

    fn fail(&mut self, path: Path<'_>, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.to_owned(),
            path: path.to_string(),
            message: message.into(),
        });
    }

    fn check(&mut self, ok: bool, path: Path<'_>, message: impl FnOnce() -> String) {
        if !ok {
            self.fail(path, message());
        }
    }

    fn id(&mut self, path: Path<'_>, id: &str) {
        let ok = !id.is_empty()
            && id.len() <= 100
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b));
        self.check(ok, path, || {
            format!("id `{id}` must be 1–100 characters of a–z, 0–9, `-`, `_` or `.`")
        });
    }

    fn text(&mut self, path: Path<'_>, text: &LangText, required: bool) {
        if required && text.values().all(|v| v.trim().is_empty()) {
            self.fail(path, "must have text in at least one language");
        }
        for (tag, value) in text {
            let p = format_args!("{path}.{tag}");
            self.check(is_language_tag(tag), &p, || {
                format!("`{tag}` is not a language tag such as fi, sv, en or se")
            });
            self.check(!value.trim().is_empty(), &p, || "is empty".to_owned());
        }
    }

    fn languages(&mut self, path: Path<'_>, languages: &[String]) {
        self.check(!languages.is_empty(), path, || {
            "must list at least one language".to_owned()
        });
        for (i, tag) in languages.iter().enumerate() {
            self.check(is_language_tag(tag), &format_args!("{path}[{i}]"), || {
                format!("`{tag}` is not a language tag")
            });
        }
    }

    fn timestamp(&mut self, path: Path<'_>, text: &str) -> Option<DateTime> {
        let parsed = DateTime::parse(text);
        self.check(parsed.is_some(), path, || {
            format!("`{text}` is not an RFC 3339 date and time")
        });
        parsed
    }

    fn date(&mut self, path: Path<'_>, text: &str) -> Option<Date> {
        let parsed = Date::parse(text);
        self.check(parsed.is_some(), path, || {
            format!("`{text}` is not a date YYYY-MM-DD")
        });
        parsed
    }

    fn hours(&mut self, path: Path<'_>, opens: &str, closes: &str) {
        let (o, c) = (parse_hhmm(opens), parse_hhmm(closes));
        self.check(o.is_some(), &format_args!("{path}.opens"), || {
            format!("`{opens}` is not a time HH:MM")
        });
        self.check(c.is_some(), &format_args!("{path}.closes"), || {
            format!("`{closes}` is not a time HH:MM")
        });
        if let (Some(o), Some(c)) = (o, c) {
            self.check(o < c, path, || {
                format!("closes ({closes}) before it opens ({opens})")
            });
        }
    }

    fn link(&mut self, path: Path<'_>, url: &str, schemes: &[&str]) {
        let ok = schemes
            .iter()
            .any(|s| url.strip_prefix(s).is_some_and(|rest| rest.len() > 1))
            && !url.contains(char::is_whitespace);
        self.check(ok, path, || {
            format!(
                "`{url}` must be a link starting with {}",
                schemes.join(" or ")
            )
        });
    }

    fn relative_path(&mut self, path: Path<'_>, value: &str) {
        self.check(is_relative_path(value), path, || {
            format!("`{value}` must be a relative path without `..`")
        });
    }

    fn absolute_uri(&mut self, path: Path<'_>, uri: &str) {
        self.check(is_absolute_uri(uri), path, || {
            format!("`{uri}` is not an absolute URI (a scheme such as https: or urn: and more)")
        });
    }

    fn email(&mut self, path: Path<'_>, email: &str) {
        let ok = email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
            && !email.contains(char::is_whitespace);
        self.check(ok, path, || format!("`{email}` is not an e-mail address"));
    }

    fn phone(&mut self, path: Path<'_>, phone: &str) {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let ok = (5..=15).contains(&digits)
            && phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        self.check(ok, path, || format!("`{phone}` is not a phone number"));
    }

    fn municipality(&mut self, path: Path<'_>, code: &str, region: &BTreeSet<&str>) {
        let shaped = code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit());
        self.check(shaped, path, || {
            format!("`{code}` is not a three-digit municipality code")
        });
        if shaped {
            self.check(region.contains(code), path, || {
                format!("municipality {code} is not in this region")
            });
        }
    }

    fn schedule(&mut self, path: Path<'_>, schedule: &Schedule) {
        for (i, w) in schedule.weekly.iter().enumerate() {
            let p = format_args!("{path}.weekly[{i}]");
            self.check(!w.days.is_empty(), &format_args!("{p}.days"), || {
                "must name at least one day".to_owned()
            });
            self.hours(&p, &w.opens, &w.closes);
        }
        for (i, d) in schedule.dates.iter().enumerate() {
            let p = format_args!("{path}.dates[{i}]");
            self.date(&format_args!("{p}.date"), &d.date);
            self.hours(&p, &d.opens, &d.closes);
        }
        for (i, e) in schedule.exceptions.iter().enumerate() {
            let p = format_args!("{path}.exceptions[{i}]");
            let from = self.date(&format_args!("{p}.from"), &e.from);
            let until = e
                .until
                .as_deref()
                .and_then(|u| self.date(&format_args!("{p}.until"), u));
            if let (Some(from), Some(until)) = (from, until) {
                self.check(from <= until, &p, || "ends before it starts".to_owned());
            }
            if let (Some(o), Some(c)) = (&e.opens, &e.closes) {
                self.hours(&p, o, c);
            }
            self.text(&format_args!("{p}.note"), &e.note, false);
        }
        let from = schedule
            .valid_from
            .as_deref()
            .and_then(|d| self.date(&format_args!("{path}.valid_from"), d));
        let until = schedule
            .valid_until
            .as_deref()
            .and_then(|d| self.date(&format_args!("{path}.valid_until"), d));
        if let (Some(from), Some(until)) = (from, until) {
            self.check(from <= until, path, || {
                "valid_until is before valid_from".to_owned()
            });
        }
        self.text(&format_args!("{path}.note"), &schedule.note, false);
    }
}

/// A language tag as the feed uses them: a two- or three-letter ISO 639
/// code in lower case (`fi`, `sv`, `en`, `se`, `smn`, `fit`).
pub fn is_language_tag(tag: &str) -> bool {
    (2..=3).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_lowercase())
}

/// Checks the Y-tunnus check digit (`1234567-8`).
pub fn is_business_id(id: &str) -> bool {
    let Some((body, check)) = id.split_once('-') else {
        return false;
    };
    if body.len() != 7
        || check.len() != 1
        || !body
            .bytes()
            .chain(check.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let sum: u32 = body
        .bytes()
        .zip([7, 9, 10, 5, 8, 4, 2])
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let expected = match sum % 11 {
        0 => 0,
        1 => return false,
        r => 11 - r,
    };
    u32::from(check.as_bytes()[0] - b'0') == expected
}

/// An absolute URI (RFC 3986): a scheme of a letter and then letters,
/// digits, `+`, `-` or `.`, a colon, and something after it, without
/// spaces. Open Badges ids must be such URIs (`https:`, `urn:uuid:`, `did:`).
pub fn is_absolute_uri(uri: &str) -> bool {
    let Some((scheme, rest)) = uri.split_once(':') else {
        return false;
    };
    let mut letters = scheme.bytes();
    letters.next().is_some_and(|b| b.is_ascii_alphabetic())
        && letters.all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        && !rest.is_empty()
        && !uri
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
}

/// Whether `url` is an absolute `http:` or `https:` address, the only
/// kind a page may link to from what a feed or a credential says.
pub fn is_web_address(url: &str) -> bool {
    ["http://", "https://"]
        .iter()
        .any(|s| url.strip_prefix(s).is_some_and(|rest| !rest.is_empty()))
        && is_absolute_uri(url)
}

/// The largest badge image the feed carries, in bytes before base64: the
/// image travels inside the organisation's data file, to every device.
pub const MAX_IMAGE_BYTES: usize = 8 * 1024;

/// The `data:` URI prefixes an achievement's image may have.
pub const IMAGE_PREFIXES: [&str; 2] = ["data:image/svg+xml;base64,", "data:image/png;base64,"];

/// JWK members that hold private key material and never belong in a feed.
const PRIVATE_JWK_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];

fn is_base64url(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_relative_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains("://")
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Checks the manifest on its own: versions, ids, municipality codes, file
/// references. Every problem is returned, not only the first.
pub fn validate_manifest(file: &str, manifest: &Manifest) -> Vec<Problem> {
    let mut c = Checker::new(file);
    c.timestamp(&"$.generated", &manifest.generated);
    c.text(&"$.publisher.name", &manifest.publisher.name, true);
    if let Some(url) = &manifest.publisher.url {
        c.link(&"$.publisher.url", url, &["https://", "http://"]);
    }
    c.check(!manifest.regions.is_empty(), &"$.regions", || {
        "lists no regions".to_owned()
    });
    for (k, key) in manifest.signing_keys.iter().enumerate() {
        // The shape only: the core does not link Ed25519, the feed tool
        // checks that the key is a point on the curve.
        let shaped = key.len() == 43
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        c.check(shaped, &format_args!("$.signing_keys[{k}]"), || {
            "is not an Ed25519 key id (43 base64url characters)".to_owned()
        });
    }
    let mut region_ids = BTreeSet::new();
    let mut paths = BTreeSet::new();
    for (r, region) in manifest.regions.iter().enumerate() {
        let p = format_args!("$.regions[{r}]");
        c.id(&format_args!("{p}.id"), &region.id);
        c.check(
            region_ids.insert(region.id.as_str()),
            &format_args!("{p}.id"),
            || format!("region `{}` is listed twice", region.id),
        );
        c.text(&format_args!("{p}.name"), &region.name, true);
        c.check(
            !region.version.is_empty(),
            &format_args!("{p}.version"),
            || "is empty".to_owned(),
        );
        let mut codes = BTreeSet::new();
        for (m, municipality) in region.municipalities.iter().enumerate() {
            let mp = format_args!("{p}.municipalities[{m}]");
            let shaped = municipality.code.len() == 3
                && municipality.code.bytes().all(|b| b.is_ascii_digit());
            c.check(shaped, &format_args!("{mp}.code"), || {
                format!(
                    "`{}` is not a three-digit municipality code",
                    municipality.code
                )
            });
            c.check(
                codes.insert(municipality.code.as_str()),
                &format_args!("{mp}.code"),
                || "is listed twice".to_owned(),
            );
            c.text(&format_args!("{mp}.name"), &municipality.name, true);
        }
        c.check(
            !codes.is_empty(),
            &format_args!("{p}.municipalities"),
            || "lists no municipalities".to_owned(),
        );
        let mut partitions = BTreeSet::new();
        for (f, file_ref) in region.files.iter().enumerate() {
            let fp = format_args!("{p}.files[{f}]");
            c.relative_path(&format_args!("{fp}.path"), &file_ref.path);
            c.check(
                paths.insert(file_ref.path.as_str()),
                &format_args!("{fp}.path"),
                || "is listed twice".to_owned(),
            );
            c.check(
                is_hex(&file_ref.sha256, 64),
                &format_args!("{fp}.sha256"),
                || "must be 64 lower-case hex digits".to_owned(),
            );
            c.check(
                file_ref.path.contains(&file_ref.sha256[..file_ref.sha256.len().min(16)]),
                &format_args!("{fp}.path"),
                || "must contain the first 16 hex digits of the file's hash, so the file can be cached forever".to_owned(),
            );
            c.check(
                Kind::FILES.contains(&file_ref.kind),
                &format_args!("{fp}.kind"),
                || {
                    format!(
                        "{} have no files of their own: they travel in organisations files",
                        file_ref.kind.name()
                    )
                },
            );
            c.check(
                partitions.insert((file_ref.kind, file_ref.partition.as_str())),
                &format_args!("{fp}.partition"),
                || {
                    format!(
                        "two {} files for partition {}",
                        file_ref.kind.name(),
                        file_ref.partition
                    )
                },
            );
            c.check(
                codes.contains(file_ref.partition.as_str()),
                &format_args!("{fp}.partition"),
                || {
                    format!(
                        "partition {} is not a municipality of the region",
                        file_ref.partition
                    )
                },
            );
        }
        for (d, delta) in region.deltas.iter().enumerate() {
            let dp = format_args!("{p}.deltas[{d}]");
            c.relative_path(&format_args!("{dp}.path"), &delta.path);
            c.check(
                is_hex(&delta.sha256, 64),
                &format_args!("{dp}.sha256"),
                || "must be 64 lower-case hex digits".to_owned(),
            );
            c.check(
                delta.from != region.version,
                &format_args!("{dp}.from"),
                || "a delta from the current version".to_owned(),
            );
        }
    }
    c.problems
}

/// The records of one region, gathered from its data files, for checks
/// that span files.
#[derive(Debug, Default)]
pub struct RegionRecords<'a> {
    /// Organisation ids.
    pub organisations: BTreeSet<&'a str>,
    /// Service ids.
    pub services: BTreeSet<&'a str>,
    /// Place ids.
    pub places: BTreeSet<&'a str>,
    /// Event ids.
    pub events: BTreeSet<&'a str>,
    /// Achievement ids.
    pub achievements: BTreeSet<&'a str>,
    /// Issuer ids, with the organisation each belongs to.
    pub issuers: BTreeMap<&'a str, &'a str>,
}

/// Checks one data file against its manifest entry and the region: record
/// fields, kinds, municipalities, dates, links. References to records in
/// other files are checked by [`validate_references`].
pub fn validate_data_file(
    file: &str,
    data: &DataFile,
    file_ref: &FileRef,
    region: &Region,
) -> Vec<Problem> {
    let mut c = Checker::new(file);
    let codes: BTreeSet<&str> = region
        .municipalities
        .iter()
        .map(|m| m.code.as_str())
        .collect();
    c.check(data.region == region.id, &"$.region", || {
        format!(
            "says region `{}`, the manifest `{}`",
            data.region, region.id
        )
    });
    c.check(data.partition == file_ref.partition, &"$.partition", || {
        format!(
            "says partition `{}`, the manifest `{}`",
            data.partition, file_ref.partition
        )
    });
    let counts = [
        (Kind::Organisations, data.organisations.len()),
        (Kind::Services, data.services.len()),
        (Kind::Places, data.places.len()),
        (Kind::Events, data.events.len()),
    ];
    // Achievements and issuers ride in organisations files and are not in
    // the manifest's count, which 1.0 clients compare with the organisations.
    for (kind, count) in [
        (Kind::Achievements, data.achievements.len()),
        (Kind::Issuers, data.issuers.len()),
    ] {
        c.check(
            count == 0 || file_ref.kind == Kind::Organisations,
            &format_args!("$.{}", kind.name()),
            || {
                format!(
                    "{} travel in organisations files, not in a {} file",
                    kind.name(),
                    file_ref.kind.name()
                )
            },
        );
    }
    for (kind, count) in counts {
        if kind == file_ref.kind {
            c.check(
                count as u64 == u64::from(file_ref.records),
                &format_args!("$.{}", kind.name()),
                || {
                    format!(
                        "has {count} records, the manifest says {}",
                        file_ref.records
                    )
                },
            );
        } else {
            c.check(count == 0, &format_args!("$.{}", kind.name()), || {
                format!(
                    "a {} file must not hold {}",
                    file_ref.kind.name(),
                    kind.name()
                )
            });
        }
    }
    for (i, o) in data.organisations.iter().enumerate() {
        let p = format_args!("$.organisations[{i}]");
        check_organisation(&mut c, &p, o, &codes);
    }
    for (i, s) in data.services.iter().enumerate() {
        check_service(&mut c, &format_args!("$.services[{i}]"), s, &codes);
    }
    for (i, place) in data.places.iter().enumerate() {
        check_place(&mut c, &format_args!("$.places[{i}]"), place, &codes);
    }
    for (i, e) in data.events.iter().enumerate() {
        check_event(&mut c, &format_args!("$.events[{i}]"), e);
    }
    for (i, t) in data.tombstones.iter().enumerate() {
        c.id(&format_args!("$.tombstones[{i}].id"), &t.id);
        c.timestamp(&format_args!("$.tombstones[{i}].withdrawn"), &t.withdrawn);
    }
    c.problems
}

fn check_organisation(c: &mut Checker<'_>, p: Path<'_>, o: &Organisation, codes: &BTreeSet<&str>) {
    c.id(&format_args!("{p}.id"), &o.id);
    c.text(&format_args!("{p}.name"), &o.name, true);
    c.text(&format_args!("{p}.description"), &o.description, false);
    if let Some(id) = &o.business_id {
        c.check(is_business_id(id), &format_args!("{p}.business_id"), || {
            format!("`{id}` is not a valid Y-tunnus (check digit)")
        });
    }
    c.municipality(&format_args!("{p}.municipality"), &o.municipality, codes);
    if let Some(web) = &o.web {
        c.link(&format_args!("{p}.web"), web, &["https://", "http://"]);
    }
    if let Some(logo) = &o.logo {
        c.link(&format_args!("{p}.logo"), logo, &["https://", "http://"]);
    }
    if let Some(endpoint) = &o.hours_endpoint {
        // The app sends the volunteer's join token to this address, so a
        // feed is held to the rule of `crate::endpoint`, the one the app
        // applies before each request; a data file naming any other address
        // is refused by the feed tool and by the app's sync.
        for problem in endpoint_problems(endpoint) {
            c.fail(
                &format_args!("{p}.hours_endpoint"),
                format!("`{endpoint}`: {problem}"),
            );
        }
    }
    if let Some(email) = &o.email {
        c.email(&format_args!("{p}.email"), email);
    }
    if let Some(phone) = &o.phone {
        c.phone(&format_args!("{p}.phone"), phone);
    }
    c.timestamp(&format_args!("{p}.modified"), &o.modified);
}

fn check_service(c: &mut Checker<'_>, p: Path<'_>, s: &Service, codes: &BTreeSet<&str>) {
    c.id(&format_args!("{p}.id"), &s.id);
    c.text(&format_args!("{p}.name"), &s.name, true);
    c.text(&format_args!("{p}.summary"), &s.summary, true);
    for (field, text) in [
        ("description", &s.description),
        ("cost", &s.cost),
        ("requirements", &s.requirements),
    ] {
        c.text(&format_args!("{p}.{field}"), text, false);
    }
    c.check(
        !s.municipalities.is_empty(),
        &format_args!("{p}.municipalities"),
        || "must list at least one municipality".to_owned(),
    );
    for (i, code) in s.municipalities.iter().enumerate() {
        c.municipality(&format_args!("{p}.municipalities[{i}]"), code, codes);
    }
    c.check(
        !s.target_groups.is_empty(),
        &format_args!("{p}.target_groups"),
        || "must name at least one target group".to_owned(),
    );
    c.languages(&format_args!("{p}.languages"), &s.languages);
    if let Some(schedule) = &s.schedule {
        c.schedule(&format_args!("{p}.schedule"), schedule);
    }
    if let Some(contact) = &s.contact {
        if let Some(phone) = &contact.phone {
            c.phone(&format_args!("{p}.contact.phone"), phone);
        }
        if let Some(email) = &contact.email {
            c.email(&format_args!("{p}.contact.email"), email);
        }
        if let Some(web) = &contact.web {
            c.link(
                &format_args!("{p}.contact.web"),
                web,
                &["https://", "http://"],
            );
        }
    }
    for (tag, words) in &s.keywords {
        let kp = format_args!("{p}.keywords.{tag}");
        c.check(is_language_tag(tag), &kp, || {
            format!("`{tag}` is not a language tag")
        });
        c.check(words.iter().all(|w| !w.trim().is_empty()), &kp, || {
            "has an empty keyword".to_owned()
        });
    }
    c.timestamp(&format_args!("{p}.modified"), &s.modified);
}

fn check_place(c: &mut Checker<'_>, p: Path<'_>, place: &Place, codes: &BTreeSet<&str>) {
    c.id(&format_args!("{p}.id"), &place.id);
    c.text(&format_args!("{p}.name"), &place.name, true);
    for (field, text) in [
        ("description", &place.description),
        ("accessibility", &place.accessibility),
        ("booking", &place.booking),
    ] {
        c.text(&format_args!("{p}.{field}"), text, false);
    }
    c.text(
        &format_args!("{p}.address.street"),
        &place.address.street,
        true,
    );
    c.text(
        &format_args!("{p}.address.post_office"),
        &place.address.post_office,
        true,
    );
    let code = &place.address.postal_code;
    c.check(
        code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()),
        &format_args!("{p}.address.postal_code"),
        || format!("`{code}` is not a five-digit postal code"),
    );
    c.municipality(
        &format_args!("{p}.municipality"),
        &place.municipality,
        codes,
    );
    if let Some(at) = place.coordinates {
        let inside = (59.0..=70.5).contains(&at.lat) && (19.0..=32.0).contains(&at.lon);
        c.check(inside, &format_args!("{p}.coordinates"), || {
            format!("{}, {} is not in Finland", at.lat, at.lon)
        });
    }
    if let Some(hours) = &place.opening_hours {
        c.schedule(&format_args!("{p}.opening_hours"), hours);
    }
    c.timestamp(&format_args!("{p}.modified"), &place.modified);
}

fn check_event(c: &mut Checker<'_>, p: Path<'_>, e: &Event) {
    c.id(&format_args!("{p}.id"), &e.id);
    c.text(&format_args!("{p}.name"), &e.name, true);
    c.text(&format_args!("{p}.description"), &e.description, false);
    c.text(&format_args!("{p}.price"), &e.price, false);
    let start = c.timestamp(&format_args!("{p}.start"), &e.start);
    let end = c.timestamp(&format_args!("{p}.end"), &e.end);
    for (field, time) in [("start", start), ("end", end)] {
        if let Some(t) = time {
            c.check(is_helsinki_local(&t), &format_args!("{p}.{field}"), || "must be Europe/Helsinki local time with that day's offset (+02:00 in winter, +03:00 in summer)".to_owned());
        }
    }
    if let (Some(start), Some(end)) = (start, end) {
        c.check(start.unix() < end.unix(), &format_args!("{p}.end"), || {
            "is not after the start".to_owned()
        });
    }
    c.languages(&format_args!("{p}.languages"), &e.languages);
    if let Some(enrolment) = &e.enrolment {
        for (field, value) in [("opens", &enrolment.opens), ("closes", &enrolment.closes)] {
            if let Some(v) = value {
                c.timestamp(&format_args!("{p}.enrolment.{field}"), v);
            }
        }
        if let Some(url) = &enrolment.url {
            c.link(
                &format_args!("{p}.enrolment.url"),
                url,
                &["https://", "http://", "mailto:", "tel:"],
            );
        }
        c.text(&format_args!("{p}.enrolment.note"), &enrolment.note, false);
    }
    if let Some(capacity) = e.capacity {
        c.check(capacity > 0, &format_args!("{p}.capacity"), || {
            "must be more than zero".to_owned()
        });
    }
    c.timestamp(&format_args!("{p}.modified"), &e.modified);
}

/// Checks the achievements and issuers of one data file (format 1.1), each
/// field on its own; references across files are checked by
/// [`validate_references`].
///
/// Apart from [`validate_data_file`] because the app does not run it: the
/// shell shows only a badge's name, image and hours (an image is a `data:`
/// or same-site address by the page's CSP), the verifier checks issuers'
/// keys itself, and these rules would cost the first-load shell kilobytes
/// that it must not spend. The feed tool runs it on every feed it builds or
/// validates.
pub fn validate_badges(file: &str, data: &DataFile) -> Vec<Problem> {
    let mut c = Checker::new(file);
    for (i, a) in data.achievements.iter().enumerate() {
        check_achievement(&mut c, &format_args!("$.achievements[{i}]"), a);
    }
    for (i, issuer) in data.issuers.iter().enumerate() {
        check_issuer(&mut c, &format_args!("$.issuers[{i}]"), issuer);
    }
    c.problems
}

fn check_achievement(c: &mut Checker<'_>, p: Path<'_>, a: &Achievement) {
    c.id(&format_args!("{p}.id"), &a.id);
    c.absolute_uri(&format_args!("{p}.ob_id"), &a.ob_id);
    c.text(&format_args!("{p}.name"), &a.name, true);
    // Finnish is the one language every reader of a Finnish feed can fall
    // back to, and a badge's name is what the wallet lists.
    c.check(
        a.name.get("fi").is_some(),
        &format_args!("{p}.name"),
        || "must have a Finnish (fi) name".to_owned(),
    );
    c.text(&format_args!("{p}.description"), &a.description, true);
    c.text(&format_args!("{p}.criteria"), &a.criteria, true);
    if let Some(image) = &a.image {
        let ip = format_args!("{p}.image");
        match IMAGE_PREFIXES.iter().find_map(|x| image.strip_prefix(x)) {
            Some(body) => {
                let ok = !body.is_empty()
                    && body.len() % 4 == 0
                    && body
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b));
                c.check(ok, &ip, || "is not valid base64".to_owned());
                c.check(body.len() / 4 * 3 <= MAX_IMAGE_BYTES, &ip, || {
                    format!(
                        "is about {} bytes; badge images may have at most {MAX_IMAGE_BYTES}",
                        body.len() / 4 * 3
                    )
                });
            }
            None => c.fail(
                &ip,
                format!(
                    "must be a {} or {} URI",
                    IMAGE_PREFIXES[0], IMAGE_PREFIXES[1]
                ),
            ),
        }
    }
    for (i, al) in a.alignments.iter().enumerate() {
        let ap = format_args!("{p}.alignments[{i}]");
        c.text(&format_args!("{ap}.target_name"), &al.target_name, true);
        if let Some(url) = &al.target_url {
            // The wallet links a skill to this address, so only a web
            // address will do: a `javascript:` or `data:` link must never
            // reach the badge page.
            c.check(
                is_web_address(url),
                &format_args!("{ap}.target_url"),
                || {
                    format!(
                        "`{url}` must be an http: or https: address, such as an ESCO URI \
                     (http://data.europa.eu/esco/skill/…)"
                    )
                },
            );
        }
        if let Some(framework) = &al.target_framework {
            c.check(
                !framework.trim().is_empty(),
                &format_args!("{ap}.target_framework"),
                || "is empty".to_owned(),
            );
        }
    }
    if let Some(hours) = a.hours {
        c.check(hours > 0, &format_args!("{p}.hours"), || {
            "must be more than zero; leave it out when no hours are required".to_owned()
        });
    }
    c.timestamp(&format_args!("{p}.modified"), &a.modified);
}

fn check_issuer(c: &mut Checker<'_>, p: Path<'_>, issuer: &Issuer) {
    c.id(&format_args!("{p}.id"), &issuer.id);
    let id = &issuer.issuer_id;
    let did_key = id.strip_prefix("did:key:z").is_some_and(|key| {
        !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() && !b"0OIl".contains(&b))
    });
    let https = id.starts_with("https://") && id.len() > 8 && !id.contains(char::is_whitespace);
    c.check(did_key || https, &format_args!("{p}.issuer_id"), || {
        format!("`{id}` must be a did:key (did:key:z…) or an https: address")
    });
    c.check(!issuer.keys.is_empty(), &format_args!("{p}.keys"), || {
        "must list at least one public key".to_owned()
    });
    let mut key_ids = BTreeSet::new();
    for (k, key) in issuer.keys.iter().enumerate() {
        let kp = format_args!("{p}.keys[{k}]");
        c.check(is_absolute_uri(&key.id), &format_args!("{kp}.id"), || {
            format!("`{}` is not an absolute URI", key.id)
        });
        c.check(
            key_ids.insert(key.id.as_str()),
            &format_args!("{kp}.id"),
            || "is listed twice".to_owned(),
        );
        if did_key {
            c.check(
                key.id.starts_with(&format!("{id}#")),
                &format_args!("{kp}.id"),
                || format!("a did:key issuer's key id must be `{id}#…`"),
            );
        }
        check_jwk(c, &format_args!("{kp}.jwk"), &key.jwk);
    }
    if let Some(url) = &issuer.status_list {
        c.link(&format_args!("{p}.status_list"), url, &["https://"]);
    }
    c.timestamp(&format_args!("{p}.modified"), &issuer.modified);
}

fn check_jwk(c: &mut Checker<'_>, p: Path<'_>, jwk: &serde_json::Value) {
    let Some(members) = jwk.as_object() else {
        c.fail(p, "must be a JSON object (a JWK)");
        return;
    };
    for private in PRIVATE_JWK_MEMBERS {
        c.check(
            !members.contains_key(private),
            &format_args!("{p}.{private}"),
            || "is private key material, which must never be published".to_owned(),
        );
    }
    let member = |name: &str| members.get(name).and_then(serde_json::Value::as_str);
    match (member("kty"), member("crv")) {
        (Some("OKP"), Some("Ed25519")) => {
            let x = member("x").unwrap_or_default();
            // 32 bytes of key are 43 base64url characters without padding.
            c.check(
                x.len() == 43 && is_base64url(x),
                &format_args!("{p}.x"),
                || "must be the 32-byte Ed25519 public key in base64url (43 characters)".to_owned(),
            );
        }
        (Some("RSA"), _) => {
            for name in ["n", "e"] {
                c.check(
                    member(name).is_some_and(is_base64url),
                    &format_args!("{p}.{name}"),
                    || "must be base64url".to_owned(),
                );
            }
        }
        _ => c.fail(
            &format_args!("{p}.kty"),
            "must be an Ed25519 key (kty OKP, crv Ed25519) or an RSA key (kty RSA)",
        ),
    }
}

/// Checks what spans files: unique ids per kind and that every reference
/// (organisation, place, related service) points at a record of the region.
/// `files` are (file name, data) pairs of one region.
pub fn validate_references(files: &[(&str, &DataFile)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<(Kind, &str), &str> = BTreeMap::new();
    let mut ids = RegionRecords::default();
    for (file, data) in files {
        let mut c = Checker::new(file);
        let records = [
            (
                Kind::Organisations,
                data.organisations
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>(),
            ),
            (
                Kind::Services,
                data.services.iter().map(|r| r.id.as_str()).collect(),
            ),
            (
                Kind::Places,
                data.places.iter().map(|r| r.id.as_str()).collect(),
            ),
            (
                Kind::Events,
                data.events.iter().map(|r| r.id.as_str()).collect(),
            ),
            (
                Kind::Achievements,
                data.achievements.iter().map(|r| r.id.as_str()).collect(),
            ),
            (
                Kind::Issuers,
                data.issuers.iter().map(|r| r.id.as_str()).collect(),
            ),
        ];
        for (kind, list) in records {
            for (i, id) in list.into_iter().enumerate() {
                if let Some(first) = seen.insert((kind, id), file) {
                    c.fail(
                        &format_args!("$.{}[{i}].id", kind.name()),
                        format!("`{id}` is also used in {first}"),
                    );
                }
                let set = match kind {
                    Kind::Organisations => &mut ids.organisations,
                    Kind::Services => &mut ids.services,
                    Kind::Places => &mut ids.places,
                    Kind::Events => &mut ids.events,
                    Kind::Achievements => &mut ids.achievements,
                    Kind::Issuers => continue,
                };
                set.insert(id);
            }
        }
        for issuer in &data.issuers {
            ids.issuers
                .insert(issuer.id.as_str(), issuer.organisation.as_str());
        }
        problems.extend(c.problems);
    }
    // Two achievements with one Open Badges id, or two issuer records with
    // one issuer id, would leave the wallet unable to tell which is meant.
    let mut ob_ids: BTreeMap<&str, &str> = BTreeMap::new();
    let mut issuer_ids: BTreeMap<&str, &str> = BTreeMap::new();
    for (file, data) in files {
        let mut c = Checker::new(file);
        for (i, a) in data.achievements.iter().enumerate() {
            if let Some(other) = ob_ids.insert(a.ob_id.as_str(), a.id.as_str()) {
                c.fail(
                    &format_args!("$.achievements[{i}].ob_id"),
                    format!("`{}` is also the ob_id of achievement `{other}`", a.ob_id),
                );
            }
        }
        for (i, issuer) in data.issuers.iter().enumerate() {
            if let Some(other) = issuer_ids.insert(issuer.issuer_id.as_str(), issuer.id.as_str()) {
                c.fail(
                    &format_args!("$.issuers[{i}].issuer_id"),
                    format!(
                        "`{}` is also the issuer_id of issuer `{other}`",
                        issuer.issuer_id
                    ),
                );
            }
        }
        problems.extend(c.problems);
    }
    for (file, data) in files {
        let mut c = Checker::new(file);
        let mut refers = |path: String, id: &str, set: &BTreeSet<&str>, what: &str| {
            c.check(set.contains(id), &path, || {
                format!("{what} `{id}` does not exist in this region")
            });
        };
        for (i, s) in data.services.iter().enumerate() {
            refers(
                format!("$.services[{i}].organisation"),
                &s.organisation,
                &ids.organisations,
                "organisation",
            );
            for (j, place) in s.places.iter().enumerate() {
                refers(
                    format!("$.services[{i}].places[{j}]"),
                    place,
                    &ids.places,
                    "place",
                );
            }
        }
        for (i, place) in data.places.iter().enumerate() {
            if let Some(org) = &place.organisation {
                refers(
                    format!("$.places[{i}].organisation"),
                    org,
                    &ids.organisations,
                    "organisation",
                );
            }
        }
        for (i, a) in data.achievements.iter().enumerate() {
            refers(
                format!("$.achievements[{i}].organisation"),
                &a.organisation,
                &ids.organisations,
                "organisation",
            );
            for (j, service) in a.services.iter().enumerate() {
                refers(
                    format!("$.achievements[{i}].services[{j}]"),
                    service,
                    &ids.services,
                    "service",
                );
            }
        }
        for (i, issuer) in data.issuers.iter().enumerate() {
            refers(
                format!("$.issuers[{i}].organisation"),
                &issuer.organisation,
                &ids.organisations,
                "organisation",
            );
        }
        for (i, e) in data.events.iter().enumerate() {
            refers(
                format!("$.events[{i}].organiser"),
                &e.organiser,
                &ids.organisations,
                "organisation",
            );
            if let Some(place) = &e.place {
                refers(format!("$.events[{i}].place"), place, &ids.places, "place");
            }
            if let Some(service) = &e.service {
                refers(
                    format!("$.events[{i}].service"),
                    service,
                    &ids.services,
                    "service",
                );
            }
        }
        problems.extend(c.problems);
    }
    for (file, data) in files {
        let mut c = Checker::new(file);
        for (i, a) in data.achievements.iter().enumerate() {
            let path = format!("$.achievements[{i}].issuer");
            match ids.issuers.get(a.issuer.as_str()) {
                None => c.fail(
                    &path,
                    format!("issuer `{}` does not exist in this region", a.issuer),
                ),
                Some(owner) => c.check(*owner == a.organisation, &path, || {
                    format!(
                        "issuer `{}` belongs to organisation `{owner}`, not to the awarding `{}`",
                        a.issuer, a.organisation
                    )
                }),
            }
        }
        problems.extend(c.problems);
    }
    problems
}
