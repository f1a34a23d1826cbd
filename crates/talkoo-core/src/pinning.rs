//! Which publisher keys a device trusts, and whether a manifest is used: the pinning rules 1–5 of docs/feed.md as pure decisions, with no crypto.
//!
//! The caller does the Ed25519 arithmetic (WebCrypto in the browser, a
//! native library in tests): [`plan`] says which signatures to check and
//! with which keys, and [`Plan::decide`] says what the results mean. This
//! keeps the rules testable in a table and keeps signature code out of the
//! first-load shell.

use serde::{Deserialize, Serialize};

use crate::time::DateTime;

/// The only signature algorithm this version checks; others are passed over.
pub const ALGORITHM: &str = "Ed25519";

/// The signature file's name, next to `manifest.json`.
pub const SIGNATURE_FILE: &str = "manifest.json.sig";

/// A key's id: its 32-byte Ed25519 public key in base64url without padding.
pub type KeyId = String;

/// `manifest.json.sig`: one or more signatures over the manifest's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureFile {
    /// The signatures, in the order the publisher's keys were given.
    pub signatures: Vec<Signature>,
}

/// One signature in a [`SignatureFile`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// `Ed25519`, or an algorithm of a later version.
    pub algorithm: String,
    /// The signing key's id.
    pub key: KeyId,
    /// The 64-byte signature in base64url without padding.
    pub signature: String,
}

/// Reads a signature file; an unreadable one is a [`Refusal::Malformed`].
pub fn parse_signature_file(bytes: &[u8]) -> Result<SignatureFile, Refusal> {
    serde_json::from_slice(bytes).map_err(|e| Refusal::Malformed(e.to_string()))
}

/// The keys a device trusts, kept in the sync bookkeeping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pins {
    /// The pinned key ids, sorted; empty when nothing is pinned.
    pub keys: Vec<KeyId>,
    /// The `generated` of the manifest that last set `keys`; `None` when
    /// they came from the build (any signed manifest is newer).
    pub generated: Option<String>,
    /// The build's list these pins started from (rule 5), sorted.
    pub build: Vec<KeyId>,
}

/// Where a manifest came from: only the network may change the pins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Fetched from the feed's address.
    Network,
    /// Read from a `.talkoo` bundle someone handed over.
    Bundle,
}

/// Why a manifest is not used. The stored catalogue stays as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Keys are pinned or announced, but there is no signature.
    #[error("the catalogue is not signed")]
    Unsigned,
    /// The signature file, or a trusted key's signature, is not in the
    /// documented shape.
    #[error("the catalogue's signature file cannot be read: {0}")]
    Malformed(String),
    /// No signature is by a trusted key.
    #[error("the catalogue is not signed by a key this device trusts")]
    UnknownKey,
    /// A trusted key's signature does not match: the manifest was changed.
    #[error("the catalogue's signature does not match its contents (key {0})")]
    BadSignature(KeyId),
    /// A bundle reached a device that pins no key and an app built with
    /// none: a file someone handed over must not decide the first pin, so
    /// it cannot be checked yet.
    #[error("no publisher key is pinned on this device yet, so a file cannot be checked")]
    NothingPinned,
}

impl Refusal {
    /// The i18n key of the plain-words message: to the user every refusal
    /// of a signature means the same, the publisher's signature is
    /// missing; a bundle that cannot be checked yet says what to do.
    pub fn message_key(&self) -> &'static str {
        match self {
            Refusal::NothingPinned => "bundle-error-not-pinned",
            _ => "sync-error-signature",
        }
    }
}

/// The build's list of key ids (`TALKOO_FEED_KEYS` at compile time):
/// ids separated by commas or white space. An empty or missing list means
/// trust on first use.
pub fn build_list(text: Option<&str>) -> Vec<KeyId> {
    let text = text.unwrap_or_default();
    sorted(
        &text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>(),
    )
}

/// The pins in force: the stored ones, unless the build's list differs
/// from the one they started from (rules 1 and 5). A build without a list
/// keeps what the device learnt: it says nothing about the keys.
pub fn effective(stored: Option<&Pins>, build: &[KeyId]) -> Pins {
    let build = sorted(build);
    match stored {
        Some(pins) if build.is_empty() || pins.build == build => pins.clone(),
        _ if build.is_empty() => Pins::default(),
        _ => Pins {
            keys: build.clone(),
            generated: None,
            build,
        },
    }
}

/// What a manifest says of itself that the rules need.
#[derive(Debug, Clone, Copy)]
pub struct Manifest<'a> {
    /// Its `signing_keys`.
    pub signing_keys: &'a [KeyId],
    /// Its `generated`.
    pub generated: &'a str,
}

/// One signature the caller must check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The key's id.
    pub key: KeyId,
    /// The raw public key.
    pub public_key: [u8; 32],
    /// The raw signature.
    pub signature: [u8; 64],
}

/// The signatures to check for one manifest, and what to do with results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Check each of these, in order, over the manifest's exact bytes.
    pub checks: Vec<Check>,
    pins: Pins,
    outcome: Pending,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    /// Nothing is pinned or announced: the feed is unsigned and used.
    Unsigned,
    /// Refused before any check.
    Refused(Refusal),
    /// Used when a check passes; the pins then become `then`.
    Signed { then: Pins },
}

/// The decision on a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The pins from now on (the same as before when nothing changed).
    pub pins: Pins,
    /// The key whose signature matched; `None` for an unsigned feed.
    pub signed_by: Option<KeyId>,
}

/// Which signatures to check for `manifest` from `source`, given the pins
/// in force ([`effective`]) and the signature file, if there was one.
pub fn plan(
    pins: &Pins,
    manifest: Manifest<'_>,
    source: Source,
    signatures: Option<&SignatureFile>,
) -> Plan {
    let announced = sorted(manifest.signing_keys);
    // Rule 3 with pins, rule 2 (trust on first use) without: then the
    // manifest's own announced keys must sign it.
    let trusted = if pins.keys.is_empty() {
        announced.clone()
    } else {
        pins.keys.clone()
    };
    let refused = |refusal| Plan {
        checks: Vec::new(),
        pins: pins.clone(),
        outcome: Pending::Refused(refusal),
    };
    // Trust on first use is the network's alone: a bundle needs a key
    // already pinned, or it could pin its own (or pass unsigned).
    if source == Source::Bundle && pins.keys.is_empty() {
        return refused(Refusal::NothingPinned);
    }
    if trusted.is_empty() {
        return Plan {
            checks: Vec::new(),
            pins: pins.clone(),
            outcome: Pending::Unsigned,
        };
    }
    let signatures = match signatures {
        Some(file) if !file.signatures.is_empty() => &file.signatures,
        _ => return refused(Refusal::Unsigned),
    };
    let mut checks = Vec::new();
    for sig in signatures {
        if sig.algorithm != ALGORITHM || !trusted.contains(&sig.key) {
            continue;
        }
        let public_key = decode::<32>(&sig.key);
        let signature = decode::<64>(&sig.signature);
        let (Some(public_key), Some(signature)) = (public_key, signature) else {
            return refused(Refusal::Malformed(format!(
                "the signature by {} is not an Ed25519 key and signature in base64url",
                sig.key
            )));
        };
        checks.push(Check {
            key: sig.key.clone(),
            public_key,
            signature,
        });
    }
    if checks.is_empty() {
        return refused(Refusal::UnknownKey);
    }
    let then = follow(pins, &announced, manifest.generated, source);
    Plan {
        checks,
        pins: pins.clone(),
        outcome: Pending::Signed { then },
    }
}

/// Rule 4: a signed manifest from the network that announces keys and is
/// newer than the one that last set the pins sets them; otherwise, and for
/// bundles, they stay. With nothing pinned, rule 2 pins what it announces.
fn follow(pins: &Pins, announced: &[KeyId], generated: &str, source: Source) -> Pins {
    if source == Source::Bundle || announced.is_empty() {
        return pins.clone();
    }
    let newer = match &pins.generated {
        None => true,
        Some(last) => match (DateTime::parse(generated), DateTime::parse(last)) {
            (Some(new), Some(old)) => new.unix() > old.unix(),
            // A time that cannot be read never moves the pins.
            _ => false,
        },
    };
    if !newer && !pins.keys.is_empty() {
        return pins.clone();
    }
    Pins {
        keys: announced.to_vec(),
        generated: Some(generated.to_owned()),
        build: pins.build.clone(),
    }
}

impl Plan {
    /// What the checks' results mean: `results[i]` is whether
    /// `checks[i]` matched. One match accepts; otherwise a trusted key's
    /// mismatch means a changed manifest.
    pub fn decide(self, results: &[bool]) -> Result<Accepted, Refusal> {
        match self.outcome {
            Pending::Unsigned => Ok(Accepted {
                pins: self.pins,
                signed_by: None,
            }),
            Pending::Refused(refusal) => Err(refusal),
            Pending::Signed { then } => {
                let matched = self
                    .checks
                    .iter()
                    .zip(results)
                    .find(|(_, ok)| **ok)
                    .map(|(check, _)| check.key.clone());
                match matched {
                    Some(key) => Ok(Accepted {
                        pins: then,
                        signed_by: Some(key),
                    }),
                    None => Err(Refusal::BadSignature(
                        self.checks
                            .first()
                            .map(|c| c.key.clone())
                            .unwrap_or_default(),
                    )),
                }
            }
        }
    }
}

fn sorted(keys: &[KeyId]) -> Vec<KeyId> {
    let mut keys = keys.to_vec();
    // Equal keys are the same text, so an unstable sort gives the same
    // list, and the first-load shell carries no stable sort (`crate::tree`).
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Base64url without padding into exactly `N` bytes.
fn decode<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut out = Vec::with_capacity(N);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be zero, so each byte string has one spelling.
    if acc != 0 {
        return None;
    }
    out.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key id made of one repeated byte, so tests read as letters.
    fn key(b: u8) -> KeyId {
        encode(&[b; 32])
    }

    fn encode(bytes: &[u8]) -> String {
        const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }

    /// A signature by key `b`: its first byte says whether the fake
    /// verifier below finds it matching.
    fn sig(b: u8, good: bool) -> Signature {
        let mut raw = [b; 64];
        raw[0] = u8::from(good);
        Signature {
            algorithm: ALGORITHM.to_owned(),
            key: key(b),
            signature: encode(&raw),
        }
    }

    fn pins(keys: &[u8], generated: Option<&str>, build: &[u8]) -> Pins {
        Pins {
            keys: sorted(&keys.iter().map(|b| key(*b)).collect::<Vec<_>>()),
            generated: generated.map(str::to_owned),
            build: sorted(&build.iter().map(|b| key(*b)).collect::<Vec<_>>()),
        }
    }

    struct Input {
        stored: Option<Pins>,
        build: &'static [u8],
        announced: &'static [u8],
        generated: &'static str,
        source: Source,
        signatures: Option<Vec<Signature>>,
    }

    fn input() -> Input {
        Input {
            stored: None,
            build: &[],
            announced: &[],
            generated: "2026-12-01T00:00:00Z",
            source: Source::Network,
            signatures: None,
        }
    }

    /// Runs the rules with a verifier that believes a signature's first byte.
    fn check(input: Input, expected: Result<Pins, Refusal>) {
        let in_force = effective(input.stored.as_ref(), &key_list(input.build));
        let announced = key_list(input.announced);
        let file = input
            .signatures
            .map(|signatures| SignatureFile { signatures });
        let plan = plan(
            &in_force,
            Manifest {
                signing_keys: &announced,
                generated: input.generated,
            },
            input.source,
            file.as_ref(),
        );
        let results: Vec<bool> = plan.checks.iter().map(|c| c.signature[0] == 1).collect();
        assert_eq!(plan.decide(&results).map(|a| a.pins), expected);
    }

    fn key_list(bytes: &[u8]) -> Vec<KeyId> {
        bytes.iter().map(|b| key(*b)).collect()
    }

    const T1: &str = "2026-12-01T00:00:00Z";
    const T2: &str = "2026-12-02T00:00:00Z";
    const T3: &str = "2026-12-03T00:00:00Z";

    #[test]
    fn a_feed_with_no_keys_and_nothing_pinned_is_used_unsigned() {
        check(input(), Ok(Pins::default()));
        let signed_anyway = Input {
            signatures: Some(vec![sig(1, false)]),
            ..input()
        };
        check(signed_anyway, Ok(Pins::default()));
    }

    #[test]
    fn rule_2_the_first_signed_manifest_from_the_network_pins_its_announced_keys() {
        let first = Input {
            announced: &[1, 2],
            signatures: Some(vec![sig(1, true)]),
            ..input()
        };
        check(first, Ok(pins(&[1, 2], Some(T1), &[])));
    }

    #[test]
    fn rule_2_a_first_manifest_must_be_signed_by_a_key_it_announces() {
        let unsigned = Input {
            announced: &[1],
            ..input()
        };
        check(unsigned, Err(Refusal::Unsigned));
        let by_other = Input {
            announced: &[1],
            signatures: Some(vec![sig(9, true)]),
            ..input()
        };
        check(by_other, Err(Refusal::UnknownKey));
        let changed = Input {
            announced: &[1],
            signatures: Some(vec![sig(1, false)]),
            ..input()
        };
        check(changed, Err(Refusal::BadSignature(key(1))));
    }

    #[test]
    fn rule_3_once_pinned_every_manifest_needs_a_pinned_key() {
        let stored = || Some(pins(&[1], Some(T1), &[]));
        let cases = [
            (None, Err(Refusal::Unsigned)),
            (Some(vec![]), Err(Refusal::Unsigned)),
            (Some(vec![sig(2, true)]), Err(Refusal::UnknownKey)),
            (
                Some(vec![sig(1, false)]),
                Err(Refusal::BadSignature(key(1))),
            ),
            // A pinned key's mismatch refuses even beside an unknown key.
            (
                Some(vec![sig(2, true), sig(1, false)]),
                Err(Refusal::BadSignature(key(1))),
            ),
            (
                Some(vec![sig(2, true), sig(1, true)]),
                Ok(pins(&[1], Some(T1), &[])),
            ),
        ];
        for (signatures, expected) in cases {
            let case = Input {
                stored: stored(),
                announced: &[],
                signatures,
                generated: T2,
                ..input()
            };
            check(case, expected);
        }
        // An unsigned feed that announces nothing is refused too.
        check(
            Input {
                stored: stored(),
                ..input()
            },
            Err(Refusal::Unsigned),
        );
    }

    #[test]
    fn unknown_algorithms_are_passed_over() {
        let mut later = sig(1, false);
        later.algorithm = "ML-DSA-65".to_owned();
        let only_later = Input {
            stored: Some(pins(&[1], Some(T1), &[])),
            signatures: Some(vec![later.clone()]),
            ..input()
        };
        check(only_later, Err(Refusal::UnknownKey));
        let both = Input {
            stored: Some(pins(&[1], Some(T1), &[])),
            signatures: Some(vec![later, sig(1, true)]),
            ..input()
        };
        check(both, Ok(pins(&[1], Some(T1), &[])));
    }

    #[test]
    fn a_malformed_signature_by_a_trusted_key_is_refused() {
        let mut bad = sig(1, true);
        bad.signature = "not base64!".to_owned();
        let case = Input {
            stored: Some(pins(&[1], Some(T1), &[])),
            signatures: Some(vec![bad]),
            ..input()
        };
        assert!(matches!(
            plan_of(case).decide(&[]),
            Err(Refusal::Malformed(_))
        ));
        assert!(matches!(
            parse_signature_file(b"<html>"),
            Err(Refusal::Malformed(_))
        ));
    }

    fn plan_of(input: Input) -> Plan {
        let in_force = effective(input.stored.as_ref(), &key_list(input.build));
        let announced = key_list(input.announced);
        let file = input
            .signatures
            .map(|signatures| SignatureFile { signatures });
        plan(
            &in_force,
            Manifest {
                signing_keys: &announced,
                generated: input.generated,
            },
            input.source,
            file.as_ref(),
        )
    }

    #[test]
    fn rule_4_rotation_follows_newer_manifests_only() {
        // The overlap: signed by the old key, announcing both.
        let overlap = Input {
            stored: Some(pins(&[1], Some(T1), &[])),
            announced: &[1, 2],
            generated: T2,
            signatures: Some(vec![sig(1, true), sig(2, true)]),
            ..input()
        };
        check(overlap, Ok(pins(&[1, 2], Some(T2), &[])));
        // The end of the overlap: the new key only.
        let after = Input {
            stored: Some(pins(&[1, 2], Some(T2), &[])),
            announced: &[2],
            generated: T3,
            signatures: Some(vec![sig(2, true)]),
            ..input()
        };
        check(after, Ok(pins(&[2], Some(T3), &[])));
        // The overlap's manifest replayed is used, but cannot bring back
        // the retired key.
        let replayed_overlap = Input {
            stored: Some(pins(&[2], Some(T3), &[])),
            announced: &[1, 2],
            generated: T2,
            signatures: Some(vec![sig(1, true), sig(2, true)]),
            ..input()
        };
        check(replayed_overlap, Ok(pins(&[2], Some(T3), &[])));
        // An older manifest signed by the retired key only is refused.
        let retired = Input {
            stored: Some(pins(&[2], Some(T3), &[])),
            announced: &[1],
            generated: T1,
            signatures: Some(vec![sig(1, true)]),
            ..input()
        };
        check(retired, Err(Refusal::UnknownKey));
        // A newer manifest announcing nothing leaves the pins.
        let silent = Input {
            stored: Some(pins(&[2], Some(T3), &[])),
            generated: "2026-12-04T00:00:00Z",
            signatures: Some(vec![sig(2, true)]),
            ..input()
        };
        check(silent, Ok(pins(&[2], Some(T3), &[])));
    }

    #[test]
    fn bundles_never_change_the_pins_and_need_a_key_already_pinned() {
        let rotating = Input {
            stored: Some(pins(&[1], Some(T1), &[])),
            announced: &[2],
            generated: T3,
            source: Source::Bundle,
            signatures: Some(vec![sig(1, true)]),
            ..input()
        };
        check(rotating, Ok(pins(&[1], Some(T1), &[])));
        // With nothing pinned, a bundle cannot be checked: not even when
        // signed by the key it announces, nor when it announces none.
        let first = Input {
            announced: &[1],
            source: Source::Bundle,
            signatures: Some(vec![sig(1, true)]),
            ..input()
        };
        check(first, Err(Refusal::NothingPinned));
        let announces_nothing = Input {
            source: Source::Bundle,
            ..input()
        };
        check(announces_nothing, Err(Refusal::NothingPinned));
        // The build's keys are pinned from the start, so they check one.
        let build = Input {
            build: &[1],
            announced: &[1],
            source: Source::Bundle,
            signatures: Some(vec![sig(1, true)]),
            ..input()
        };
        check(build, Ok(pins(&[1], None, &[1])));
        let build_other = Input {
            build: &[5],
            announced: &[1],
            source: Source::Bundle,
            signatures: Some(vec![sig(1, true)]),
            ..input()
        };
        check(build_other, Err(Refusal::UnknownKey));
        let unsigned = Input {
            stored: Some(pins(&[1], Some(T1), &[])),
            source: Source::Bundle,
            ..input()
        };
        check(unsigned, Err(Refusal::Unsigned));
    }

    #[test]
    fn rule_1_and_5_the_build_list_pins_from_the_start_and_replaces_device_pins() {
        // Rule 1: a fresh device with a build list trusts only it.
        let fresh = Input {
            build: &[5],
            announced: &[1],
            signatures: Some(vec![sig(1, true)]),
            ..input()
        };
        check(fresh, Err(Refusal::UnknownKey));
        let fresh_ok = Input {
            build: &[5],
            announced: &[5, 6],
            generated: T2,
            signatures: Some(vec![sig(5, true)]),
            ..input()
        };
        check(fresh_ok, Ok(pins(&[5, 6], Some(T2), &[5])));
        // Rule 5: a new build's list replaces what the device learnt,
        // a thief's key included.
        let replaced = Input {
            stored: Some(pins(&[1, 9], Some(T2), &[])),
            build: &[5],
            announced: &[9],
            generated: T3,
            signatures: Some(vec![sig(9, true)]),
            ..input()
        };
        check(replaced, Err(Refusal::UnknownKey));
        // The same build again keeps what the device learnt since.
        let same = Input {
            stored: Some(pins(&[5, 6], Some(T2), &[5])),
            build: &[5],
            announced: &[6],
            generated: T3,
            signatures: Some(vec![sig(6, true)]),
            ..input()
        };
        check(same, Ok(pins(&[6], Some(T3), &[5])));
        // A build without a list keeps the device's pins.
        let none = Input {
            stored: Some(pins(&[1], Some(T2), &[5])),
            signatures: Some(vec![sig(1, true)]),
            generated: T3,
            ..input()
        };
        check(none, Ok(pins(&[1], Some(T2), &[5])));
    }

    #[test]
    fn effective_pins_come_from_the_build_when_it_differs() {
        assert_eq!(effective(None, &[]), Pins::default());
        assert_eq!(effective(None, &[key(5)]), pins(&[5], None, &[5]));
        let learnt = pins(&[1], Some(T1), &[4]);
        assert_eq!(effective(Some(&learnt), &[key(5)]), pins(&[5], None, &[5]));
        assert_eq!(effective(Some(&learnt), &[key(4)]), learnt);
    }

    #[test]
    fn the_build_list_is_read_from_commas_or_spaces() {
        assert!(build_list(None).is_empty());
        assert!(build_list(Some(" ,\n")).is_empty());
        assert_eq!(
            build_list(Some(&format!("{} ,\n{}", key(2), key(1)))),
            vec![key(1), key(2)]
        );
    }

    #[test]
    fn base64url_decodes_exact_lengths_only() {
        assert_eq!(decode::<32>(&key(7)), Some([7; 32]));
        assert_eq!(decode::<32>(&encode(&[7; 31])), None);
        assert_eq!(decode::<64>(&encode(&[200; 64])), Some([200; 64]));
        assert_eq!(decode::<2>("AB="), None);
        // "AB" and "AC" differ only in bits that do not make a byte.
        assert_eq!(decode::<1>("AA"), Some([0]));
        assert_eq!(decode::<1>("AB"), None);
    }

    #[test]
    fn the_demo_feed_signature_file_parses() {
        let text = include_str!("../../../public/feed/manifest.json.sig");
        let file = parse_signature_file(text.as_bytes()).expect("parses");
        assert_eq!(file.signatures[0].algorithm, ALGORITHM);
        assert!(decode::<64>(&file.signatures[0].signature).is_some());
        assert!(decode::<32>(&file.signatures[0].key).is_some());
    }
}
