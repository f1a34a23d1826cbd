//! Kiosk mode's pure core: the settings a coordinator chooses, the set-up link that carries them, and the idle and exit rules as a state machine, so the timings are tested rules rather than timers scattered through the UI.
//!
//! Nothing here reads a clock, draws random numbers or touches storage: the
//! browser side passes the time (milliseconds of a monotonic clock, such as
//! `performance.now()`, so a wall-clock correction cannot end a visit early),
//! the salt for a new PIN, and carries out the returned [`Effect`]s.
//!
//! The set-up link's format is described in `docs/kiosk.md`.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::Lang;

/// The idle time used when a coordinator does not choose one.
pub const DEFAULT_IDLE_S: u32 = 90;
/// The shortest idle time: less would end a visit while someone still reads a card.
pub const MIN_IDLE_S: u32 = 30;
/// The longest idle time: more would leave a visitor's search on the screen
/// for the next person for too long.
pub const MAX_IDLE_S: u32 = 900;
/// The warning's countdown when none is chosen, and its minimum: WCAG 2.2.1
/// asks for at least 20 seconds to say "continue".
pub const DEFAULT_WARNING_S: u32 = 20;
/// The shortest warning countdown (WCAG 2.2.1).
pub const MIN_WARNING_S: u32 = 20;
/// The longest warning countdown.
pub const MAX_WARNING_S: u32 = 120;
/// The fewest digits an exit PIN may have.
pub const PIN_MIN_DIGITS: usize = 4;
/// The most digits an exit PIN may have.
pub const PIN_MAX_DIGITS: usize = 8;
/// The length of a PIN's salt in bytes.
pub const SALT_LEN: usize = 16;
/// Wrong PINs in a row that lock the exit.
pub const MAX_WRONG_PINS: u8 = 3;
/// How long the exit stays locked after [`MAX_WRONG_PINS`] wrong PINs.
pub const LOCKOUT_MS: u64 = 60_000;

/// The path of the set-up page, relative to the app's base address.
pub const SETUP_PATH: &str = "kiosk/setup";

/// The algorithm tag at the start of a stored PIN hash, so a later version
/// can change the hash and still recognise the old ones.
const PIN_HASH_TAG: &str = "sha256";

/// Separates the hash's input by purpose, so the same PIN hashed for
/// anything else never gives the same value.
const PIN_HASH_DOMAIN: &[u8] = b"talkoo-kiosk-pin\0";

/// Why kiosk settings or a set-up link cannot be used, one variant per message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// Neither a place nor a municipality is chosen.
    NothingShown,
    /// The place id is not shaped like a feed id.
    BadPlace,
    /// A municipality is not a three-digit Statistics Finland code.
    BadMunicipality,
    /// No language is offered.
    NoLanguage,
    /// A language tag that is not one of the app's languages.
    UnknownLanguage,
    /// The idle time is not a whole number of seconds in range.
    IdleOutOfRange,
    /// The warning's countdown is not a whole number of seconds in range.
    WarningOutOfRange,
    /// The PIN is not 4 to 8 digits.
    BadPin,
    /// The set-up link has no PIN.
    NoPin,
    /// The set-up link's PIN hash is damaged.
    BadPinHash,
    /// The link is not a kiosk set-up link.
    NotSetupLink,
    /// A parameter appears more than once in the set-up link.
    RepeatedParameter,
    /// The public address is not a whole `https://` address.
    BadPublic,
}

impl Problem {
    /// The i18n key of the message shown to the user.
    pub fn key(self) -> &'static str {
        match self {
            Problem::NothingShown => "kiosk-problem-nothing-shown",
            Problem::BadPlace => "kiosk-problem-bad-place",
            Problem::BadMunicipality => "kiosk-problem-bad-municipality",
            Problem::NoLanguage => "kiosk-problem-no-language",
            Problem::UnknownLanguage => "kiosk-problem-unknown-language",
            Problem::IdleOutOfRange => "kiosk-problem-idle-out-of-range",
            Problem::WarningOutOfRange => "kiosk-problem-warning-out-of-range",
            Problem::BadPin => "kiosk-problem-bad-pin",
            Problem::NoPin => "kiosk-problem-no-pin",
            Problem::BadPinHash => "kiosk-problem-bad-pin-hash",
            Problem::NotSetupLink => "kiosk-problem-not-setup-link",
            Problem::RepeatedParameter => "kiosk-problem-repeated-parameter",
            Problem::BadPublic => "kiosk-problem-bad-public",
        }
    }
}

impl std::fmt::Display for Problem {
    /// The i18n key, for logs and serde messages; the UI shows the message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// The exit PIN as stored: a random salt and the SHA-256 of the salt and the
/// PIN, never the PIN itself.
///
/// A 4–8 digit PIN has at most 10⁸ values, so anyone holding the hash can
/// find the PIN by trying them all; the salt only stops one table serving
/// every kiosk. The hash keeps the PIN from being read at a glance (in the
/// storage inspector, or from a printed set-up code), which is what a shared
/// screen needs; the printed code itself still belongs to the coordinator.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PinHash {
    salt: [u8; SALT_LEN],
    hash: [u8; 32],
}

impl std::fmt::Debug for PinHash {
    /// Shows only the text form, which is what gets stored anyway.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PinHash({self})")
    }
}

impl PinHash {
    /// Hashes a new PIN with a salt from the caller's random source
    /// (`crypto.getRandomValues` in the browser).
    pub fn new(pin: &str, salt: [u8; SALT_LEN]) -> Result<PinHash, Problem> {
        if !pin_is_valid(pin) {
            return Err(Problem::BadPin);
        }
        Ok(PinHash {
            salt,
            hash: digest(&salt, pin),
        })
    }

    /// Whether a typed PIN is the one hashed, compared in constant time so the
    /// time taken says nothing about how many bytes matched.
    pub fn verify(&self, typed: &str) -> bool {
        let typed = digest(&self.salt, typed.trim());
        typed.ct_eq(&self.hash).into()
    }
}

/// Whether a PIN is 4 to 8 ASCII digits.
fn pin_is_valid(pin: &str) -> bool {
    (PIN_MIN_DIGITS..=PIN_MAX_DIGITS).contains(&pin.len())
        && pin.bytes().all(|b| b.is_ascii_digit())
}

fn digest(salt: &[u8; SALT_LEN], pin: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(PIN_HASH_DOMAIN);
    hasher.update(salt);
    hasher.update(pin.as_bytes());
    hasher.finalize().into()
}

impl std::fmt::Display for PinHash {
    /// `sha256.<salt in hex>.<hash in hex>`: only unreserved URL characters,
    /// so the same text goes into storage and into the set-up link unescaped.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{PIN_HASH_TAG}.{}.{}",
            to_hex(&self.salt),
            to_hex(&self.hash)
        )
    }
}

impl std::str::FromStr for PinHash {
    type Err = Problem;

    fn from_str(text: &str) -> Result<PinHash, Problem> {
        let mut parts = text.split('.');
        let (Some(PIN_HASH_TAG), Some(salt), Some(hash), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Problem::BadPinHash);
        };
        Ok(PinHash {
            salt: from_hex(salt).ok_or(Problem::BadPinHash)?,
            hash: from_hex(hash).ok_or(Problem::BadPinHash)?,
        })
    }
}

impl TryFrom<String> for PinHash {
    type Error = Problem;

    fn try_from(text: String) -> Result<PinHash, Problem> {
        text.parse()
    }
}

impl From<PinHash> for String {
    fn from(pin: PinHash) -> String {
        pin.to_string()
    }
}

// Lowercase hex of the salt and hash. Written here rather than taken from a
// crate because no hex crate is in the lock file, and the two loops below are
// smaller than the smallest dependency.
fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    text
}

/// Reads exactly `N` bytes of lowercase hex; anything else is `None`.
fn from_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    fn nibble(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            _ => None,
        }
    }
    let text = text.as_bytes();
    if text.len() != N * 2 {
        return None;
    }
    let mut bytes = [0; N];
    for (byte, pair) in bytes.iter_mut().zip(text.chunks_exact(2)) {
        *byte = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(bytes)
}

/// How a device runs as a kiosk, as kept in the settings store (JSON through
/// [`KioskSettings::to_json`]) and carried by the set-up link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskSettings {
    /// The meeting place the kiosk stands in (a feed place id); its events
    /// and its municipality's tasks are shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Municipalities shown (Statistics Finland codes), besides or instead of
    /// the place's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub municipalities: Vec<String>,
    /// Languages offered, the first being the one a reset returns to.
    pub langs: Vec<Lang>,
    /// Seconds without input before the warning.
    pub idle_s: u32,
    /// Seconds the warning counts down before the reset.
    pub warning_s: u32,
    /// The exit PIN's salted hash.
    pub pin: PinHash,
    /// The app's public address (`https://example.org/talkoo/`), which
    /// "Take this page with you" gives visitors' phones instead of the
    /// address the kiosk loaded the app from, for a kiosk served where
    /// phones cannot reach (a server on the meeting place's own network).
    /// Kept as [`public_base`] writes it; settings without it use the
    /// kiosk's own address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<String>,
}

/// The longest public address a kiosk keeps.
const PUBLIC_MAX_LEN: usize = 200;

/// A public address as a kiosk keeps it: an `https://` address with a host
/// and no query, fragment or space, ending in `/` (added when missing), so
/// a page's route is simply appended. Phones open it from anywhere, so
/// plain `http://` is refused.
pub fn public_base(text: &str) -> Result<String, Problem> {
    let text = text.trim();
    let rest = text
        .get(..8)
        .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
        .map(|_| &text[8..])
        .ok_or(Problem::BadPublic)?;
    let host = rest.split('/').next().unwrap_or_default();
    let odd = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\');
    if host.is_empty() || text.len() > PUBLIC_MAX_LEN || text.contains(odd) {
        return Err(Problem::BadPublic);
    }
    Ok(if text.ends_with('/') {
        text.to_owned()
    } else {
        format!("{text}/")
    })
}

/// The language a kiosk starts in, read from settings kept by
/// [`KioskSettings::to_json`] without parsing them: the first-load shell
/// needs only this before the first paint, and leaves reading the
/// settings (with their PIN hash) to the badges module, so that phones do
/// not download that code. `None` when the text names no language; the
/// test below keeps this in step with `to_json`.
pub fn home_lang_of_json(json: &str) -> Option<Lang> {
    let (_, rest) = json.split_once("\"langs\":[\"")?;
    match rest.split('"').next()? {
        "Fi" => Some(Lang::Fi),
        "Sv" => Some(Lang::Sv),
        "En" => Some(Lang::En),
        _ => None,
    }
}

/// What the kiosk screens show of the catalogue, in one UI language: the
/// badges module reads the chosen regions from the store and builds this
/// for every language at once (`src/kiosk/feed.rs`), so a visitor's change
/// of language costs nothing and no catalogue stays in memory twice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KioskFeed {
    /// Every place of the subscribed regions as `(id, name)`, in the
    /// language's alphabetical order, for the set-up form and summary.
    pub places: Vec<(String, String)>,
    /// The municipalities the subscribed regions cover as `(code, name)`.
    pub municipalities: Vec<(String, String)>,
    /// What the attract screen shows; only a kiosk has it.
    pub attract: Option<AttractFeed>,
}

/// The attract screen's texts ([`crate::catalogue::Catalogue::attract`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttractFeed {
    /// The place's name and the language it is written in when that is
    /// not the UI's; `None` when the kiosk has no known place.
    pub place: Option<(String, Option<String>)>,
    /// Events and pop-up activities, soonest first.
    pub upcoming: Vec<AttractItem>,
    /// Ongoing volunteer tasks.
    pub ongoing: Vec<AttractItem>,
}

/// One line of the attract screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttractItem {
    /// The name in the best language there is.
    pub name: String,
    /// The name's language tag when it is not the UI's.
    pub name_lang: Option<String>,
    /// When, as the UI's language writes a span of time.
    pub when: Option<String>,
}

/// The set-up form as typed, before the PIN is hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The chosen place id, if any.
    pub place: Option<String>,
    /// The chosen municipality codes.
    pub municipalities: Vec<String>,
    /// The languages ticked.
    pub langs: Vec<Lang>,
    /// The idle time in seconds.
    pub idle_s: u32,
    /// The warning's countdown in seconds.
    pub warning_s: u32,
    /// The exit PIN as typed.
    pub pin: String,
    /// The public address as typed; `None` or empty for the kiosk's own.
    pub public: Option<String>,
}

impl Default for Draft {
    fn default() -> Draft {
        Draft {
            place: None,
            municipalities: Vec::new(),
            langs: Lang::ALL.to_vec(),
            idle_s: DEFAULT_IDLE_S,
            warning_s: DEFAULT_WARNING_S,
            pin: String::new(),
            public: None,
        }
    }
}

impl Draft {
    /// The settings the form describes, with the PIN hashed under `salt`, or
    /// every problem found.
    pub fn build(self, salt: [u8; SALT_LEN]) -> Result<KioskSettings, Vec<Problem>> {
        let pin = PinHash::new(self.pin.trim(), salt);
        let public = read_public(self.public.as_deref());
        let mut problems = check_fields(
            self.place.as_deref(),
            &self.municipalities,
            &self.langs,
            self.idle_s,
            self.warning_s,
            None,
        );
        if let Err(problem) = public {
            problems.push(problem);
        }
        match (pin, public) {
            (Ok(pin), Ok(public)) if problems.is_empty() => Ok(KioskSettings {
                place: self.place,
                municipalities: self.municipalities,
                langs: dedup(self.langs),
                idle_s: self.idle_s,
                warning_s: self.warning_s,
                pin,
                public,
            }),
            (Ok(_), _) => Err(problems),
            (Err(problem), _) => {
                problems.push(problem);
                Err(problems)
            }
        }
    }
}

/// A public address as typed or linked: none when empty, otherwise as
/// [`public_base`] keeps it.
fn read_public(text: Option<&str>) -> Result<Option<String>, Problem> {
    text.filter(|p| !p.trim().is_empty())
        .map(public_base)
        .transpose()
}

/// The field rules shared by the form, stored settings and the set-up link;
/// `public` is checked as stored (the form and the link read theirs with
/// [`read_public`] first).
fn check_fields(
    place: Option<&str>,
    municipalities: &[String],
    langs: &[Lang],
    idle_s: u32,
    warning_s: u32,
    public: Option<&str>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if place.is_none() && municipalities.is_empty() {
        problems.push(Problem::NothingShown);
    }
    if place.is_some_and(|place| !id_is_valid(place)) {
        problems.push(Problem::BadPlace);
    }
    if municipalities
        .iter()
        .any(|code| !municipality_is_valid(code))
    {
        problems.push(Problem::BadMunicipality);
    }
    if langs.is_empty() {
        problems.push(Problem::NoLanguage);
    }
    if !(MIN_IDLE_S..=MAX_IDLE_S).contains(&idle_s) {
        problems.push(Problem::IdleOutOfRange);
    }
    if !(MIN_WARNING_S..=MAX_WARNING_S).contains(&warning_s) {
        problems.push(Problem::WarningOutOfRange);
    }
    if public.is_some_and(|p| public_base(p).as_deref() != Ok(p)) {
        problems.push(Problem::BadPublic);
    }
    problems
}

/// The feed's id rule (`feed::validate`): 1–100 of a–z, 0–9, `-`, `_`, `.`.
fn id_is_valid(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

/// A Statistics Finland municipality code: three digits.
fn municipality_is_valid(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Drops repeated languages, keeping the first of each so the order offered stays.
fn dedup(langs: Vec<Lang>) -> Vec<Lang> {
    let mut seen = Vec::with_capacity(langs.len());
    for lang in langs {
        if !seen.contains(&lang) {
            seen.push(lang);
        }
    }
    seen
}

impl KioskSettings {
    /// Every problem of settings read back from storage or a link; the PIN
    /// hash is checked by its type when read.
    pub fn validate(&self) -> Vec<Problem> {
        check_fields(
            self.place.as_deref(),
            &self.municipalities,
            &self.langs,
            self.idle_s,
            self.warning_s,
            self.public.as_deref(),
        )
    }

    /// The language the kiosk returns to at a reset.
    pub fn home_lang(&self) -> Lang {
        self.langs.first().copied().unwrap_or(Lang::Fi)
    }

    /// The settings as the JSON text kept in the settings store.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("kiosk settings always serialise")
    }

    /// Settings read back from the store. Unreadable or invalid text is
    /// `None`: the device then starts as an ordinary app, and Settings offers
    /// the kiosk set-up again.
    pub fn from_json(text: &str) -> Option<KioskSettings> {
        let settings: KioskSettings = serde_json::from_str(text).ok()?;
        settings.validate().is_empty().then_some(settings)
    }

    /// The set-up link for these settings under the app's base address
    /// (`https://example.org/talkoo/`, with or without the last slash).
    ///
    /// The link carries the PIN's salt and hash, exactly as stored, never the
    /// PIN: a printed QR code is read by any phone camera that passes it.
    pub fn setup_link(&self, base: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(place) = &self.place {
            query.append_pair("place", place);
        }
        if !self.municipalities.is_empty() {
            query.append_pair("m", &self.municipalities.join(","));
        }
        let langs: Vec<&str> = self.langs.iter().map(|lang| lang.tag()).collect();
        query.append_pair("lang", &langs.join(","));
        query.append_pair("idle", &self.idle_s.to_string());
        query.append_pair("warn", &self.warning_s.to_string());
        query.append_pair("pin", &self.pin.to_string());
        if let Some(public) = &self.public {
            query.append_pair("public", public);
        }
        let slash = if base.ends_with('/') { "" } else { "/" };
        format!("{base}{slash}{SETUP_PATH}?{}", query.finish())
    }

    /// Reads a whole set-up link: its path must end in `/kiosk/setup`; a
    /// fragment is ignored.
    pub fn from_setup_link(link: &str) -> Result<KioskSettings, Vec<Problem>> {
        let link = link.split('#').next().unwrap_or_default();
        let (path, query) = link.split_once('?').unwrap_or((link, ""));
        let path = path.trim_end_matches('/');
        if !path.ends_with(&format!("/{SETUP_PATH}")) && path != SETUP_PATH {
            return Err(vec![Problem::NotSetupLink]);
        }
        KioskSettings::from_setup_query(query)
    }

    /// Reads the set-up page's query string (with or without its `?`), as
    /// the page finds it in its own address, returning every problem.
    ///
    /// Parameters this version does not know are ignored, so a link made by a
    /// newer version still sets up what this one understands.
    pub fn from_setup_query(query: &str) -> Result<KioskSettings, Vec<Problem>> {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut place = None;
        let mut m = None;
        let mut lang = None;
        let mut idle = None;
        let mut warn = None;
        let mut pin = None;
        let mut public = None;
        let mut problems = Vec::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let slot = match &*key {
                "place" => &mut place,
                "m" => &mut m,
                "lang" => &mut lang,
                "idle" => &mut idle,
                "warn" => &mut warn,
                "pin" => &mut pin,
                "public" => &mut public,
                _ => continue,
            };
            if slot.replace(value.into_owned()).is_some() {
                push_once(&mut problems, Problem::RepeatedParameter);
            }
        }

        let place = place.filter(|place| !place.is_empty());
        let municipalities = list(m.as_deref());
        let mut langs = Vec::new();
        for tag in list(lang.as_deref()) {
            match Lang::from_tag(&tag) {
                Some(lang) => langs.push(lang),
                None => push_once(&mut problems, Problem::UnknownLanguage),
            }
        }
        let idle_s = seconds(idle.as_deref(), DEFAULT_IDLE_S);
        let warning_s = seconds(warn.as_deref(), DEFAULT_WARNING_S);
        let public = read_public(public.as_deref());
        if let Err(problem) = public {
            push_once(&mut problems, problem);
        }
        for problem in check_fields(
            place.as_deref(),
            &municipalities,
            &langs,
            idle_s.unwrap_or(0),
            warning_s.unwrap_or(0),
            None,
        ) {
            // An unknown tag is the reason there is no language; one message says it.
            if !(problem == Problem::NoLanguage && problems.contains(&Problem::UnknownLanguage)) {
                push_once(&mut problems, problem);
            }
        }
        let pin = match pin.as_deref() {
            None | Some("") => Err(Problem::NoPin),
            Some(text) => text.parse::<PinHash>(),
        };
        match (pin, idle_s, warning_s, public) {
            (Ok(pin), Some(idle_s), Some(warning_s), Ok(public)) if problems.is_empty() => {
                Ok(KioskSettings {
                    place,
                    municipalities,
                    langs: dedup(langs),
                    idle_s,
                    warning_s,
                    pin,
                    public,
                })
            }
            (pin, ..) => {
                if let Err(problem) = pin {
                    push_once(&mut problems, problem);
                }
                Err(problems)
            }
        }
    }
}

/// A comma-separated list, without empty items.
fn list(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whole seconds, or the default when the parameter is missing; `None` when
/// it is not a number (reported as out of range through the zero it becomes).
fn seconds(text: Option<&str>, default: u32) -> Option<u32> {
    match text {
        None => Some(default),
        Some(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse().ok()
        }
        Some(_) => None,
    }
}

fn push_once(problems: &mut Vec<Problem>, problem: Problem) {
    if !problems.contains(&problem) {
        problems.push(problem);
    }
}

/// What the kiosk shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The attract screen: nobody is using the kiosk.
    Attract,
    /// Someone is using the catalogue.
    Browsing,
    /// Nobody touched the screen for the idle time; a countdown runs until
    /// `until_ms`, and any touch continues.
    Warning {
        /// When the countdown ends and the visit is cleared.
        until_ms: u64,
    },
    /// The exit PIN is being asked for (after a long press in a corner).
    ExitPin,
    /// The right PIN was given; the device leaves kiosk mode.
    Exited,
}

/// Something that happened, with the time it happened at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A touch, click, key or scroll.
    Input {
        /// When, in milliseconds.
        at: u64,
    },
    /// A timer tick (the UI ticks at least every second while a kiosk runs).
    Tick {
        /// When, in milliseconds.
        at: u64,
    },
    /// The long press in a corner that asks for the exit PIN.
    ExitAsked {
        /// When, in milliseconds.
        at: u64,
    },
    /// The PIN dialog was closed without a PIN.
    ExitCancelled {
        /// When, in milliseconds.
        at: u64,
    },
    /// A PIN was entered; `correct` is [`PinHash::verify`]'s answer.
    Pin {
        /// When, in milliseconds.
        at: u64,
        /// Whether it was the right PIN.
        correct: bool,
    },
    /// A new app version is installed and waiting.
    UpdateWaiting,
}

/// What the browser side must do after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Clear every trace of the visit: search text, filters, scroll,
    /// navigation history, open dialogs, the larger-text and contrast
    /// choices, and the language (back to [`KioskSettings::home_lang`]).
    ResetVisitor,
    /// Apply the waiting app update now (activate the worker and reload);
    /// only ever returned when nobody is using the kiosk.
    ApplyUpdate,
    /// Leave kiosk mode.
    Exit,
}

/// Where the exit PIN stands, for the PIN dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinStatus {
    /// A PIN may be tried; `tries_left` before the lock.
    Open {
        /// Wrong PINs still allowed before the lock.
        tries_left: u8,
    },
    /// Too many wrong PINs; tries are refused for `seconds_left` more.
    Locked {
        /// Whole seconds until tries are allowed again, rounded up.
        seconds_left: u32,
    },
}

/// The running kiosk: what is shown, when the last input came, and the exit
/// PIN's wrong tries and lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kiosk {
    screen: Screen,
    idle_ms: u64,
    warning_ms: u64,
    last_input_ms: u64,
    wrong_pins: u8,
    locked_until_ms: Option<u64>,
    update_waiting: bool,
}

impl Kiosk {
    /// A kiosk started at `now` on its attract screen.
    pub fn new(settings: &KioskSettings, now: u64) -> Kiosk {
        Kiosk {
            screen: Screen::Attract,
            idle_ms: u64::from(settings.idle_s) * 1000,
            warning_ms: u64::from(settings.warning_s) * 1000,
            last_input_ms: now,
            wrong_pins: 0,
            locked_until_ms: None,
            update_waiting: false,
        }
    }

    /// What is shown.
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// Whether an app update waits for the next reset.
    pub fn update_waiting(&self) -> bool {
        self.update_waiting
    }

    /// The warning's countdown in whole seconds, rounded up so it shows 1
    /// until the end; `None` when no warning is shown.
    pub fn seconds_left(&self, now: u64) -> Option<u32> {
        match self.screen {
            Screen::Warning { until_ms } => Some(ms_to_seconds(until_ms.saturating_sub(now))),
            _ => None,
        }
    }

    /// Where the exit PIN stands at `now`.
    pub fn pin_status(&self, now: u64) -> PinStatus {
        match self.locked_until_ms {
            Some(until) if now < until => PinStatus::Locked {
                seconds_left: ms_to_seconds(until - now),
            },
            Some(_) => PinStatus::Open {
                tries_left: MAX_WRONG_PINS,
            },
            None => PinStatus::Open {
                tries_left: MAX_WRONG_PINS - self.wrong_pins,
            },
        }
    }

    /// Applies an event and returns what the browser side must do, in order.
    pub fn step(&mut self, event: Event) -> Vec<Effect> {
        if self.screen == Screen::Exited {
            return Vec::new();
        }
        if let Some(at) = event_time(event) {
            self.end_lock_if_over(at);
        }
        match event {
            Event::Input { at } => {
                self.last_input_ms = at;
                if matches!(self.screen, Screen::Attract | Screen::Warning { .. }) {
                    self.screen = Screen::Browsing;
                }
                Vec::new()
            }
            Event::Tick { at } => self.tick(at),
            Event::ExitAsked { at } => {
                self.last_input_ms = at;
                self.screen = Screen::ExitPin;
                Vec::new()
            }
            Event::ExitCancelled { at } => {
                self.last_input_ms = at;
                if self.screen == Screen::ExitPin {
                    self.screen = Screen::Browsing;
                }
                Vec::new()
            }
            Event::Pin { at, correct } => {
                self.last_input_ms = at;
                if self.screen != Screen::ExitPin || self.locked_until_ms.is_some() {
                    // A try while locked is refused and does not count, so
                    // the lock ends a minute after the third wrong PIN.
                    return Vec::new();
                }
                if correct {
                    self.wrong_pins = 0;
                    self.screen = Screen::Exited;
                    return vec![Effect::Exit];
                }
                self.wrong_pins += 1;
                if self.wrong_pins >= MAX_WRONG_PINS {
                    self.locked_until_ms = Some(at + LOCKOUT_MS);
                }
                Vec::new()
            }
            Event::UpdateWaiting => {
                if self.screen == Screen::Attract {
                    // Nobody is using the kiosk: the attract screen is what a
                    // reset leads to, so the update is applied at once rather
                    // than waiting for a visitor to come and go.
                    vec![Effect::ApplyUpdate]
                } else {
                    self.update_waiting = true;
                    Vec::new()
                }
            }
        }
    }

    fn tick(&mut self, at: u64) -> Vec<Effect> {
        match self.screen {
            Screen::Browsing | Screen::ExitPin
                if at.saturating_sub(self.last_input_ms) >= self.idle_ms =>
            {
                // The countdown starts when the warning is shown, not when the
                // idle time ran out, so a late tick (a throttled tab) still
                // gives the whole warning time.
                self.screen = Screen::Warning {
                    until_ms: at + self.warning_ms,
                };
                Vec::new()
            }
            Screen::Warning { until_ms } if at >= until_ms => {
                self.screen = Screen::Attract;
                self.last_input_ms = at;
                let mut effects = vec![Effect::ResetVisitor];
                if std::mem::take(&mut self.update_waiting) {
                    effects.push(Effect::ApplyUpdate);
                }
                effects
            }
            _ => Vec::new(),
        }
    }

    fn end_lock_if_over(&mut self, at: u64) {
        if self.locked_until_ms.is_some_and(|until| at >= until) {
            self.locked_until_ms = None;
            self.wrong_pins = 0;
        }
    }
}

fn event_time(event: Event) -> Option<u64> {
    match event {
        Event::Input { at }
        | Event::Tick { at }
        | Event::ExitAsked { at }
        | Event::ExitCancelled { at }
        | Event::Pin { at, .. } => Some(at),
        Event::UpdateWaiting => None,
    }
}

fn ms_to_seconds(ms: u64) -> u32 {
    u32::try_from(ms.div_ceil(1000)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SALT: [u8; SALT_LEN] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
    /// SHA-256 of the domain tag, [`SALT`] and `2468`, computed outside Rust
    /// (Python's hashlib) so the test does not only compare the code with itself.
    const HASH_2468: &str =
        "sha256.000102030405060708090a0b0c0d0e0f.5bfdf0e64fc7806d2f24250b56e2eaba93fc562d3c555a13afb3ac44c8346596";

    fn draft() -> Draft {
        Draft {
            place: Some("kylatalo-hyrynsalmi".into()),
            municipalities: vec!["105".into()],
            langs: vec![Lang::Fi, Lang::Sv],
            idle_s: 90,
            warning_s: 20,
            pin: "2468".into(),
            public: None,
        }
    }

    fn settings() -> KioskSettings {
        draft().build(SALT).expect("the sample draft is valid")
    }

    #[test]
    fn pin_hash_is_salted_sha256_and_reads_back() {
        let pin = PinHash::new("2468", SALT).unwrap();
        assert_eq!(pin.to_string(), HASH_2468);
        assert_eq!(HASH_2468.parse::<PinHash>(), Ok(pin.clone()));
        // Another salt gives another hash for the same PIN.
        let other = PinHash::new("2468", [7; SALT_LEN]).unwrap();
        assert_ne!(other.to_string()[40..], pin.to_string()[40..]);
    }

    #[test]
    fn pin_verify_cases() {
        let pin = PinHash::new("2468", SALT).unwrap();
        for (typed, expected) in [
            ("2468", true),
            (" 2468 ", true),
            ("2469", false),
            ("246", false),
            ("24680", false),
            ("", false),
            ("8642", false),
        ] {
            assert_eq!(pin.verify(typed), expected, "typed {typed:?}");
        }
    }

    #[test]
    fn pin_shape_cases() {
        for (pin, ok) in [
            ("1234", true),
            ("12345678", true),
            ("0000", true),
            ("123", false),
            ("123456789", false),
            ("", false),
            ("12a4", false),
            ("12 34", false),
            ("１２３４", false),
            ("-123", false),
        ] {
            assert_eq!(PinHash::new(pin, SALT).is_ok(), ok, "pin {pin:?}");
        }
    }

    #[test]
    fn damaged_pin_hashes_are_refused() {
        let salt = "000102030405060708090a0b0c0d0e0f";
        let hash = "5bfdf0e64fc7806d2f24250b56e2eaba93fc562d3c555a13afb3ac44c8346596";
        for text in [
            String::new(),
            "sha256".into(),
            format!("sha256.{salt}"),
            format!("md5.{salt}.{hash}"),
            format!("sha256.{salt}.{hash}.00"),
            format!("sha256.{}.{hash}", &salt[2..]),
            format!("sha256.{salt}.{}", &hash[1..]),
            format!("sha256.{salt}.{}", hash.to_uppercase()),
            format!("sha256.{salt}.{}g", &hash[1..]),
            format!("sha256..{hash}"),
            format!("SHA256.{salt}.{hash}"),
        ] {
            assert_eq!(
                text.parse::<PinHash>(),
                Err(Problem::BadPinHash),
                "{text:?}"
            );
        }
    }

    #[test]
    fn draft_cases() {
        use Problem::*;
        type Change = fn(&mut Draft);
        let cases: &[(&str, Change, &[Problem])] = &[
            ("valid", |_| {}, &[]),
            ("municipalities only", |d| d.place = None, &[]),
            ("place only", |d| d.municipalities.clear(), &[]),
            ("idle at the minimum", |d| d.idle_s = MIN_IDLE_S, &[]),
            ("idle at the maximum", |d| d.idle_s = MAX_IDLE_S, &[]),
            (
                "warning at the maximum",
                |d| d.warning_s = MAX_WARNING_S,
                &[],
            ),
            ("PIN with spaces around", |d| d.pin = " 2468 ".into(), &[]),
            (
                "public address",
                |d| d.public = Some("https://example.org/talkoo/".into()),
                &[],
            ),
            ("empty public address", |d| d.public = Some(" ".into()), &[]),
            (
                "public address over plain http",
                |d| d.public = Some("http://example.org/".into()),
                &[BadPublic],
            ),
            (
                "nothing shown",
                |d| {
                    d.place = None;
                    d.municipalities.clear();
                },
                &[NothingShown],
            ),
            (
                "bad place",
                |d| d.place = Some("Kylä Talo".into()),
                &[BadPlace],
            ),
            (
                "empty place",
                |d| d.place = Some(String::new()),
                &[BadPlace],
            ),
            (
                "bad municipality",
                |d| d.municipalities.push("1050".into()),
                &[BadMunicipality],
            ),
            ("no language", |d| d.langs.clear(), &[NoLanguage]),
            (
                "idle too short",
                |d| d.idle_s = MIN_IDLE_S - 1,
                &[IdleOutOfRange],
            ),
            (
                "idle too long",
                |d| d.idle_s = MAX_IDLE_S + 1,
                &[IdleOutOfRange],
            ),
            (
                "warning too short",
                |d| d.warning_s = 19,
                &[WarningOutOfRange],
            ),
            (
                "warning too long",
                |d| d.warning_s = MAX_WARNING_S + 1,
                &[WarningOutOfRange],
            ),
            ("short PIN", |d| d.pin = "123".into(), &[BadPin]),
            ("long PIN", |d| d.pin = "123456789".into(), &[BadPin]),
            ("letters in the PIN", |d| d.pin = "12ab".into(), &[BadPin]),
            (
                "everything wrong at once",
                |d| {
                    d.place = None;
                    d.municipalities.clear();
                    d.langs.clear();
                    d.idle_s = 0;
                    d.warning_s = 5;
                    d.pin = String::new();
                    d.public = Some("example.org".into());
                },
                &[
                    NothingShown,
                    NoLanguage,
                    IdleOutOfRange,
                    WarningOutOfRange,
                    BadPublic,
                    BadPin,
                ],
            ),
        ];
        for (name, change, expected) in cases {
            let mut draft = draft();
            change(&mut draft);
            let got = draft.build(SALT).err().unwrap_or_default();
            assert_eq!(&got, expected, "{name}");
        }
    }

    #[test]
    fn public_addresses_are_whole_https_addresses_ending_in_a_slash() {
        for (text, kept) in [
            (
                "https://example.org/talkoo/",
                Ok("https://example.org/talkoo/"),
            ),
            (
                "https://example.org/talkoo",
                Ok("https://example.org/talkoo/"),
            ),
            (" HTTPS://example.org ", Ok("HTTPS://example.org/")),
            ("https://127.0.0.1:8443/", Ok("https://127.0.0.1:8443/")),
            ("http://example.org/", Err(Problem::BadPublic)),
            ("example.org/talkoo/", Err(Problem::BadPublic)),
            ("https://", Err(Problem::BadPublic)),
            ("https:///talkoo/", Err(Problem::BadPublic)),
            ("https://example.org/?q=1", Err(Problem::BadPublic)),
            ("https://example.org/#top", Err(Problem::BadPublic)),
            ("https://exa mple.org/", Err(Problem::BadPublic)),
            ("javascript:alert(1)//", Err(Problem::BadPublic)),
        ] {
            assert_eq!(public_base(text).as_deref(), kept.as_deref(), "{text:?}");
        }
        let long = format!("https://example.org/{}/", "a".repeat(PUBLIC_MAX_LEN));
        assert_eq!(public_base(&long), Err(Problem::BadPublic));
    }

    #[test]
    fn draft_keeps_the_first_of_repeated_languages() {
        let mut draft = draft();
        draft.langs = vec![Lang::Sv, Lang::Fi, Lang::Sv, Lang::En];
        let settings = draft.build(SALT).unwrap();
        assert_eq!(settings.langs, [Lang::Sv, Lang::Fi, Lang::En]);
        assert_eq!(settings.home_lang(), Lang::Sv);
    }

    #[test]
    fn settings_json_round_trip_and_shape() {
        let settings = settings();
        let json = settings.to_json();
        assert_eq!(
            json,
            format!(
                r#"{{"place":"kylatalo-hyrynsalmi","municipalities":["105"],"langs":["Fi","Sv"],"idle_s":90,"warning_s":20,"pin":"{HASH_2468}"}}"#
            )
        );
        assert_eq!(KioskSettings::from_json(&json), Some(settings.clone()));
        // A public address is kept only when there is one.
        let public = KioskSettings {
            public: Some("https://example.org/talkoo/".into()),
            ..settings
        };
        let json = public.to_json();
        assert!(
            json.ends_with(r#","public":"https://example.org/talkoo/"}"#),
            "{json}"
        );
        assert_eq!(KioskSettings::from_json(&json), Some(public));
    }

    #[test]
    fn unusable_stored_settings_are_none() {
        let good = settings().to_json();
        for text in [
            String::new(),
            "{}".into(),
            good.replace(r#""pin":"sha256."#, r#""pin":"md5."#),
            good.replace(r#""idle_s":90"#, r#""idle_s":5"#),
            good.replace(r#""langs":["Fi","Sv"]"#, r#""langs":[]"#),
            good.replace(r#""langs":["Fi","Sv"]"#, r#""langs":["De"]"#),
            good.replace(r#""pin":"sha256.000102"#, r#""pin":"sha256.0001"#),
            good.replace('}', r#","public":"http://example.org/"}"#),
            good.replace('}', r#","public":"https://example.org"}"#),
        ] {
            assert_eq!(KioskSettings::from_json(&text), None, "{text}");
        }
    }

    #[test]
    fn setup_link_is_built_as_documented() {
        let link = settings().setup_link("https://example.org/talkoo/");
        assert_eq!(
            link,
            format!(
                "https://example.org/talkoo/kiosk/setup?place=kylatalo-hyrynsalmi&m=105&lang=fi%2Csv&idle=90&warn=20&pin={HASH_2468}"
            )
        );
        // A base without the last slash gives the same link.
        assert_eq!(settings().setup_link("https://example.org/talkoo"), link);
        let public = KioskSettings {
            public: Some("https://example.org/talkoo/".into()),
            ..settings()
        };
        assert_eq!(
            public.setup_link("http://192.168.1.20/"),
            format!(
                "http://192.168.1.20/kiosk/setup?place=kylatalo-hyrynsalmi&m=105&lang=fi%2Csv&idle=90&warn=20&pin={HASH_2468}&public=https%3A%2F%2Fexample.org%2Ftalkoo%2F"
            )
        );
    }

    #[test]
    fn setup_link_round_trips() {
        type Change = fn(&mut KioskSettings);
        let cases: &[Change] = &[
            |_| {},
            |s| s.place = None,
            |s| s.municipalities.clear(),
            |s| s.municipalities = vec!["205".into(), "105".into(), "765".into()],
            |s| s.langs = vec![Lang::En],
            |s| s.langs = vec![Lang::Sv, Lang::En, Lang::Fi],
            |s| s.idle_s = MAX_IDLE_S,
            |s| s.warning_s = 45,
            |s| s.place = Some("a.b_c-9".into()),
            |s| s.pin = PinHash::new("00000000", [0xff; SALT_LEN]).unwrap(),
            |s| s.public = Some("https://example.org/talkoo/".into()),
        ];
        for (n, change) in cases.iter().enumerate() {
            let mut settings = settings();
            change(&mut settings);
            for base in ["https://example.org/", "http://127.0.0.1:8080/talkoo/"] {
                let link = settings.setup_link(base);
                assert_eq!(
                    KioskSettings::from_setup_link(&link).as_ref(),
                    Ok(&settings),
                    "case {n}: {link}"
                );
                let query = link.split_once('?').unwrap().1;
                assert_eq!(
                    KioskSettings::from_setup_query(&format!("?{query}")).as_ref(),
                    Ok(&settings),
                    "case {n}: {query}"
                );
            }
        }
    }

    #[test]
    fn setup_query_reading_cases() {
        let pin = format!("pin={HASH_2468}");
        let read = |query: &str| KioskSettings::from_setup_query(query).unwrap();
        // Defaults, percent-encoding, unknown parameters and spaces in lists.
        let minimal = read(&format!("m=105&lang=fi&{pin}"));
        assert_eq!(
            (minimal.idle_s, minimal.warning_s),
            (DEFAULT_IDLE_S, DEFAULT_WARNING_S)
        );
        assert_eq!(minimal.place, None);
        assert_eq!(
            read(&format!("m=105&lang=fi%2Csv&{pin}")).langs,
            [Lang::Fi, Lang::Sv]
        );
        assert_eq!(
            read(&format!("m=105&lang=fi,+sv,&{pin}")).langs,
            [Lang::Fi, Lang::Sv]
        );
        assert_eq!(read(&format!("m=105&lang=fi,fi&{pin}")).langs, [Lang::Fi]);
        assert_eq!(
            read(&format!("m=105&lang=FI,Sv&{pin}")).langs,
            [Lang::Fi, Lang::Sv]
        );
        assert_eq!(
            read(&format!("m=105&lang=fi&future=1&{pin}")).langs,
            [Lang::Fi]
        );
        assert_eq!(
            read(&format!("m=105,205&lang=fi&{pin}")).municipalities,
            ["105", "205"]
        );
        assert_eq!(read(&format!("place=&m=105&lang=fi&{pin}")).place, None);
        assert_eq!(read(&format!("m=105&lang=fi&{pin}&public=")).public, None);
        assert_eq!(
            read(&format!("m=105&lang=fi&{pin}&public=https://example.org/t"))
                .public
                .as_deref(),
            Some("https://example.org/t/")
        );
        assert_eq!(
            read(&format!("place=kirjasto%2Dkajaani&lang=fi&{pin}"))
                .place
                .as_deref(),
            Some("kirjasto-kajaani")
        );
    }

    #[test]
    fn bad_setup_links_list_every_problem() {
        use Problem::*;
        let pin = format!("pin={HASH_2468}");
        let cases: Vec<(String, &[Problem])> = vec![
            (String::new(), &[NothingShown, NoLanguage, NoPin]),
            (format!("lang=fi&{pin}"), &[NothingShown]),
            (format!("m=105&{pin}"), &[NoLanguage]),
            (format!("m=105&lang=&{pin}"), &[NoLanguage]),
            (format!("m=105&lang=de&{pin}"), &[UnknownLanguage]),
            (format!("m=105&lang=fi,de&{pin}"), &[UnknownLanguage]),
            (format!("m=105&lang=fi&idle=10&{pin}"), &[IdleOutOfRange]),
            (format!("m=105&lang=fi&idle=901&{pin}"), &[IdleOutOfRange]),
            (
                format!("m=105&lang=fi&idle=ninety&{pin}"),
                &[IdleOutOfRange],
            ),
            (format!("m=105&lang=fi&idle=-90&{pin}"), &[IdleOutOfRange]),
            (format!("m=105&lang=fi&idle=&{pin}"), &[IdleOutOfRange]),
            (
                format!("m=105&lang=fi&idle=99999999999&{pin}"),
                &[IdleOutOfRange],
            ),
            (format!("m=105&lang=fi&warn=10&{pin}"), &[WarningOutOfRange]),
            (
                format!("m=105&lang=fi&warn=20.5&{pin}"),
                &[WarningOutOfRange],
            ),
            (format!("m=1050&lang=fi&{pin}"), &[BadMunicipality]),
            (format!("m=abc&lang=fi&{pin}"), &[BadMunicipality]),
            (format!("place=Kylä%20talo&lang=fi&{pin}"), &[BadPlace]),
            (format!("place=a+b&lang=fi&{pin}"), &[BadPlace]),
            ("m=105&lang=fi".into(), &[NoPin]),
            ("m=105&lang=fi&pin=".into(), &[NoPin]),
            ("m=105&lang=fi&pin=2468".into(), &[BadPinHash]),
            (format!("m=105&lang=fi&{pin}&{pin}"), &[RepeatedParameter]),
            (
                format!("m=105&lang=fi&{pin}&public=http://example.org/"),
                &[BadPublic],
            ),
            (format!("m=105&m=205&lang=fi&{pin}"), &[RepeatedParameter]),
            (
                "place=X&m=1&lang=de&idle=1&warn=1&pin=x".into(),
                &[
                    UnknownLanguage,
                    BadPlace,
                    BadMunicipality,
                    IdleOutOfRange,
                    WarningOutOfRange,
                    BadPinHash,
                ],
            ),
        ];
        for (query, expected) in cases {
            assert_eq!(
                KioskSettings::from_setup_query(&query),
                Err(expected.to_vec()),
                "{query:?}"
            );
        }
    }

    #[test]
    fn setup_link_path_cases() {
        let good = settings().setup_link("https://example.org/talkoo/");
        let query = good.split_once('?').unwrap().1;
        for (link, ok) in [
            (good.clone(), true),
            (format!("{good}#top"), true),
            (format!("https://example.org/kiosk/setup/?{query}"), true),
            (format!("/talkoo/kiosk/setup?{query}"), true),
            (format!("kiosk/setup?{query}"), true),
            (format!("https://example.org/talkoo/kiosk?{query}"), false),
            (
                format!("https://example.org/talkoo/mykiosk/setup?{query}"),
                false,
            ),
            (
                format!("https://example.org/talkoo/kiosk/setup/x?{query}"),
                false,
            ),
            (format!("https://example.org/talkoo/?{query}"), false),
        ] {
            let got = KioskSettings::from_setup_link(&link);
            assert_eq!(got.is_ok(), ok, "{link}");
            if !ok {
                assert_eq!(got, Err(vec![Problem::NotSetupLink]), "{link}");
            }
        }
    }

    const S: u64 = 1000;

    /// Runs `steps` on a kiosk with a 90 s idle time and a 20 s warning,
    /// started at 0 on the attract screen, and checks the screen and effects
    /// after each step.
    fn check(name: &str, steps: &[(Event, Screen, &[Effect])]) -> Kiosk {
        let mut kiosk = Kiosk::new(&settings(), 0);
        for (n, (event, screen, effects)) in steps.iter().enumerate() {
            let got = kiosk.step(*event);
            assert_eq!(
                (kiosk.screen(), got.as_slice()),
                (*screen, *effects),
                "{name}, step {n}: {event:?}"
            );
        }
        kiosk
    }

    fn input(s: u64) -> Event {
        Event::Input { at: s * S }
    }

    fn tick(ms: u64) -> Event {
        Event::Tick { at: ms }
    }

    fn pin(s: u64, correct: bool) -> Event {
        Event::Pin { at: s * S, correct }
    }

    fn warning(until_s: u64) -> Screen {
        Screen::Warning {
            until_ms: until_s * S,
        }
    }

    use Effect::*;
    use Screen::{Attract, Browsing, ExitPin, Exited};

    #[test]
    fn idle_warning_and_reset_timings() {
        check(
            "idle 90 s: warning at 90 s, reset at 110 s",
            &[
                (tick(10 * S), Attract, &[]),
                (input(0), Browsing, &[]),
                (tick(89 * S), Browsing, &[]),
                (tick(90 * S - 1), Browsing, &[]),
                (tick(90 * S), warning(110), &[]),
                (tick(100 * S), warning(110), &[]),
                (tick(110 * S - 1), warning(110), &[]),
                (tick(110 * S), Attract, &[ResetVisitor]),
                (tick(500 * S), Attract, &[]),
            ],
        );
        check(
            "a touch at 105 s continues, and the idle time counts from it",
            &[
                (input(0), Browsing, &[]),
                (tick(90 * S), warning(110), &[]),
                (input(105), Browsing, &[]),
                (tick(110 * S), Browsing, &[]),
                (tick(195 * S - 1), Browsing, &[]),
                (tick(195 * S), warning(215), &[]),
                (tick(215 * S), Attract, &[ResetVisitor]),
            ],
        );
        check(
            "input while browsing postpones the warning",
            &[
                (input(0), Browsing, &[]),
                (input(60), Browsing, &[]),
                (tick(90 * S), Browsing, &[]),
                (tick(150 * S), warning(170), &[]),
            ],
        );
        check(
            "a late tick still gives the whole warning time",
            &[
                (input(0), Browsing, &[]),
                (tick(97 * S), warning(117), &[]),
                (tick(116 * S), warning(117), &[]),
                (tick(117 * S), Attract, &[ResetVisitor]),
            ],
        );
        check(
            "after a reset a touch starts a new visit",
            &[
                (input(0), Browsing, &[]),
                (tick(90 * S), warning(110), &[]),
                (tick(110 * S), Attract, &[ResetVisitor]),
                (input(300), Browsing, &[]),
                (tick(389 * S), Browsing, &[]),
                (tick(390 * S), warning(410), &[]),
            ],
        );
    }

    #[test]
    fn countdown_seconds() {
        let mut kiosk = check(
            "to the warning",
            &[(input(0), Browsing, &[]), (tick(90 * S), warning(110), &[])],
        );
        for (now, left) in [
            (90 * S, 20),
            (90 * S + 1, 20),
            (91 * S, 19),
            (109 * S, 1),
            (110 * S - 1, 1),
            (110 * S, 0),
            (120 * S, 0),
        ] {
            assert_eq!(kiosk.seconds_left(now), Some(left), "at {now} ms");
        }
        kiosk.step(input(100));
        assert_eq!(kiosk.seconds_left(100 * S), None);
    }

    #[test]
    fn updates_wait_for_a_reset() {
        let kiosk = check(
            "an update while browsing is applied at the reset, not before",
            &[
                (input(0), Browsing, &[]),
                (Event::UpdateWaiting, Browsing, &[]),
                (tick(90 * S), warning(110), &[]),
                (input(105), Browsing, &[]),
                (tick(195 * S), warning(215), &[]),
                (tick(215 * S), Attract, &[ResetVisitor, ApplyUpdate]),
                (input(300), Browsing, &[]),
                (tick(390 * S), warning(410), &[]),
                (tick(410 * S), Attract, &[ResetVisitor]),
            ],
        );
        assert!(!kiosk.update_waiting());
        check(
            "an update during the warning waits for its end",
            &[
                (input(0), Browsing, &[]),
                (tick(90 * S), warning(110), &[]),
                (Event::UpdateWaiting, warning(110), &[]),
                (tick(110 * S), Attract, &[ResetVisitor, ApplyUpdate]),
            ],
        );
        check(
            "an update on the attract screen is applied at once",
            &[(Event::UpdateWaiting, Attract, &[ApplyUpdate])],
        );
        let kiosk = check(
            "an update during PIN entry waits",
            &[
                (Event::ExitAsked { at: 0 }, ExitPin, &[]),
                (Event::UpdateWaiting, ExitPin, &[]),
            ],
        );
        assert!(kiosk.update_waiting());
    }

    #[test]
    fn exit_pin_and_lockout() {
        let ask = |s: u64| Event::ExitAsked { at: s * S };
        check(
            "the right PIN exits",
            &[
                (input(0), Browsing, &[]),
                (ask(5), ExitPin, &[]),
                (pin(8, true), Exited, &[Exit]),
                (input(9), Exited, &[]),
                (tick(500 * S), Exited, &[]),
            ],
        );
        check(
            "two wrong PINs, then the right one",
            &[
                (ask(0), ExitPin, &[]),
                (pin(1, false), ExitPin, &[]),
                (pin(2, false), ExitPin, &[]),
                (pin(3, true), Exited, &[Exit]),
            ],
        );
        let kiosk = check(
            "three wrong PINs lock for 60 s; tries meanwhile are refused",
            &[
                (ask(0), ExitPin, &[]),
                (pin(1, false), ExitPin, &[]),
                (pin(2, false), ExitPin, &[]),
                (pin(10, false), ExitPin, &[]),
                (pin(11, true), ExitPin, &[]),
                (pin(69, true), ExitPin, &[]),
                (pin(70, true), Exited, &[Exit]),
            ],
        );
        assert_eq!(
            kiosk.pin_status(70 * S),
            PinStatus::Open {
                tries_left: MAX_WRONG_PINS
            }
        );
        let mut kiosk = check(
            "the count starts again after the lock ends",
            &[
                (ask(0), ExitPin, &[]),
                (pin(1, false), ExitPin, &[]),
                (pin(2, false), ExitPin, &[]),
                (pin(3, false), ExitPin, &[]),
                (pin(63, false), ExitPin, &[]),
                (pin(64, false), ExitPin, &[]),
                (pin(65, true), Exited, &[Exit]),
            ],
        );
        assert_eq!(kiosk.step(pin(66, true)), []);
        check(
            "cancelling returns to browsing; a PIN outside the dialog does nothing",
            &[
                (ask(0), ExitPin, &[]),
                (Event::ExitCancelled { at: S }, Browsing, &[]),
                (pin(2, true), Browsing, &[]),
            ],
        );
        check(
            "a forgotten PIN dialog is cleared at idle like any visit",
            &[
                (ask(0), ExitPin, &[]),
                (pin(1, false), ExitPin, &[]),
                (tick(91 * S), warning(111), &[]),
                (tick(111 * S), Attract, &[ResetVisitor]),
            ],
        );
        check(
            "asking again while locked does not unlock",
            &[
                (ask(0), ExitPin, &[]),
                (pin(1, false), ExitPin, &[]),
                (pin(2, false), ExitPin, &[]),
                (pin(3, false), ExitPin, &[]),
                (tick(33 * S), ExitPin, &[]),
                (ask(34), ExitPin, &[]),
                (pin(35, true), ExitPin, &[]),
            ],
        );
    }

    #[test]
    fn pin_status_counts_down() {
        let mut kiosk = Kiosk::new(&settings(), 0);
        kiosk.step(Event::ExitAsked { at: 0 });
        assert_eq!(kiosk.pin_status(0), PinStatus::Open { tries_left: 3 });
        kiosk.step(pin(1, false));
        assert_eq!(kiosk.pin_status(S), PinStatus::Open { tries_left: 2 });
        kiosk.step(pin(2, false));
        kiosk.step(pin(3, false));
        for (now, expected) in [
            (3 * S, PinStatus::Locked { seconds_left: 60 }),
            (62 * S + 1, PinStatus::Locked { seconds_left: 1 }),
            (63 * S, PinStatus::Open { tries_left: 3 }),
        ] {
            assert_eq!(kiosk.pin_status(now), expected, "at {now} ms");
        }
    }

    #[test]
    fn problem_keys_are_in_every_catalogue() {
        use Problem::*;
        for problem in [
            NothingShown,
            BadPlace,
            BadMunicipality,
            NoLanguage,
            UnknownLanguage,
            IdleOutOfRange,
            WarningOutOfRange,
            BadPin,
            NoPin,
            BadPinHash,
            NotSetupLink,
            RepeatedParameter,
            BadPublic,
        ] {
            for lang in Lang::ALL {
                // The messages are the module's, which alone shows them.
                assert!(
                    crate::i18n::badge_catalogue_ids(lang).contains(problem.key()),
                    "{lang:?} {problem:?}"
                );
            }
        }
        // The limits are written into the messages, so they must follow the constants.
        for (problem, range) in [
            (IdleOutOfRange, format!("{MIN_IDLE_S}–{MAX_IDLE_S}")),
            (
                WarningOutOfRange,
                format!("{MIN_WARNING_S}–{MAX_WARNING_S}"),
            ),
            (BadPin, format!("{PIN_MIN_DIGITS}–{PIN_MAX_DIGITS}")),
        ] {
            for lang in Lang::ALL {
                let text = crate::t(lang, problem.key());
                assert!(text.contains(&range), "{lang:?} {problem:?}: {text}");
            }
        }
    }

    #[test]
    fn the_shell_reads_the_home_language_as_to_json_writes_it() {
        for home in Lang::ALL {
            let mut langs = vec![home];
            langs.extend(Lang::ALL.into_iter().filter(|l| *l != home));
            let settings = KioskSettings {
                place: Some("p".into()),
                municipalities: vec!["205".into()],
                langs,
                idle_s: DEFAULT_IDLE_S,
                warning_s: DEFAULT_WARNING_S,
                pin: PinHash::new("2468", [0; SALT_LEN]).unwrap(),
                public: Some("https://example.org/talkoo/".into()),
            };
            assert_eq!(home_lang_of_json(&settings.to_json()), Some(home));
        }
        assert_eq!(home_lang_of_json("{}"), None);
        assert_eq!(home_lang_of_json(r#"{"langs":["De"]}"#), None);
    }
}
