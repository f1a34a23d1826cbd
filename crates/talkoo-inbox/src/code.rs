//! Join codes: what a coordinator hands a volunteer, made to be read aloud and typed on a phone.
//!
//! A code is twelve symbols from an alphabet without the look-alikes 0/O,
//! 1/I/L, shown in groups of four (`K7QM-4XPD-92HT`). Volunteers type them in
//! any case, with or without the hyphens or with spaces, so every comparison
//! goes through [`normalise`]. Twelve symbols from 31 give about 59 bits,
//! far more than an online guesser could try.
//!
//! The inbox stores a code only as its keyed hash (see `key`), so once
//! issued, a code is known to the volunteer alone. To list and revoke codes,
//! and to tell volunteers apart in the export, each code also has a public
//! [id](new_id): eight random hexadecimal digits that say nothing about the
//! code.

use crate::key::{hex, random_bytes};
use crate::InboxError;

/// The symbols a code is made of: digits 2–9 and the letters without I, L and O.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Symbols in a code.
pub const LENGTH: usize = 12;

/// A code as stored and compared: upper case, no separators. Anything else
/// typed (spaces, hyphens, lower case) is what a person does, not a
/// different code.
pub fn normalise(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A normalised code in groups of four for people: `K7QMXPDA92HT` →
/// `K7QM-XPDA-92HT`.
pub fn display(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Makes a normalised code from random bytes, or `None` when the bytes run
/// out first. Bytes of 248 and above are skipped so that every symbol is
/// equally likely (248 is the largest multiple of 31 that fits a byte).
pub fn from_random(bytes: &[u8]) -> Option<String> {
    let limit = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
    let code: String = bytes
        .iter()
        .filter(|b| **b < limit)
        .take(LENGTH)
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    (code.len() == LENGTH).then_some(code)
}

/// A new normalised code from the system's random source. Reading a few
/// more bytes than symbols leaves room for the skipped ones; in the rare
/// case that is not enough, more are read.
pub fn generate() -> Result<String, InboxError> {
    loop {
        let mut bytes = [0u8; 2 * LENGTH];
        random_bytes(&mut bytes)?;
        if let Some(code) = from_random(&bytes) {
            return Ok(code);
        }
    }
}

/// Hexadecimal digits in a code's public id.
pub const ID_LENGTH: usize = 8;

/// A new public id for a code: random rather than taken from the code's
/// hash, so that it says nothing about the code, and so that the rare two
/// equal ids (one in four billion a pair) are settled by drawing again,
/// also when a migration gives ids to codes that already exist.
pub fn new_id() -> Result<String, InboxError> {
    let mut bytes = [0u8; ID_LENGTH / 2];
    random_bytes(&mut bytes)?;
    Ok(hex(&bytes))
}

/// The id a coordinator typed, in its stored (lower-case) form, or `None`
/// when the text is not an id. A code is never taken for an id: codes are
/// twelve symbols, ids eight.
pub fn as_id(typed: &str) -> Option<String> {
    let typed = typed.trim();
    (typed.len() == ID_LENGTH && typed.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| typed.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_match_whatever_the_case_and_separators() {
        for (typed, expected) in [
            ("K7QM-4XPD-92HT", "K7QM4XPD92HT"),
            ("k7qm-4xpd-92ht", "K7QM4XPD92HT"),
            (" k7qm 4xpd 92ht ", "K7QM4XPD92HT"),
            ("K7QM4XPD92HT", "K7QM4XPD92HT"),
            ("k7-qm-4x-pd-92-ht", "K7QM4XPD92HT"),
        ] {
            assert_eq!(normalise(typed), expected, "{typed:?}");
        }
    }

    #[test]
    fn codes_are_shown_in_groups_of_four() {
        assert_eq!(display("K7QM4XPD92HT"), "K7QM-4XPD-92HT");
        assert_eq!(normalise(&display("K7QM4XPD92HT")), "K7QM4XPD92HT");
    }

    #[test]
    fn the_alphabet_has_no_look_alikes() {
        for c in b"01ILO" {
            assert!(!ALPHABET.contains(c), "{}", char::from(*c));
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), ALPHABET.len());
    }

    /// (random bytes, the code they make)
    fn check(bytes: &[u8], expected: Option<&str>) {
        assert_eq!(from_random(bytes).as_deref(), expected, "{bytes:?}");
    }

    #[test]
    fn random_bytes_map_evenly_onto_the_alphabet() {
        check(&[0; 12], Some("222222222222"));
        check(&[30; 12], Some("ZZZZZZZZZZZZ"));
        // 31 wraps to the first symbol; 247 is the last byte kept.
        check(
            &[31, 247, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            Some("2Z2222222223"),
        );
        // Bytes of 248 and above are skipped, not folded onto early symbols.
        check(
            &[248, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5],
            Some("222222222227"),
        );
        check(&[250; 30], None);
        check(&[0; 11], None);
    }

    #[test]
    fn ids_are_told_from_codes() {
        for (typed, expected) in [
            ("3f9a01b2", Some("3f9a01b2")),
            (" 3F9A01B2 ", Some("3f9a01b2")),
            ("3f9a01b", None),
            ("3f9a01b2c", None),
            ("3g9a01b2", None),
            ("K7QM-4XPD-92HT", None),
            ("K7QM4XPD92HT", None),
            // Eight symbols that are hex digits are an id, whichever alphabet.
            ("2345ABCD", Some("2345abcd")),
        ] {
            assert_eq!(as_id(typed).as_deref(), expected, "{typed:?}");
        }
        let id = new_id().expect("random");
        assert_eq!(as_id(&id), Some(id.clone()));
        assert_ne!(id, new_id().expect("random"));
    }

    #[test]
    fn generated_codes_are_well_formed_and_differ() {
        let a = generate().expect("random");
        let b = generate().expect("random");
        assert_ne!(a, b);
        for code in [a, b] {
            assert_eq!(code.len(), LENGTH);
            assert!(code.bytes().all(|c| ALPHABET.contains(&c)), "{code}");
        }
    }
}
