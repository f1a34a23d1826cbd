//! Reading a credential out of arbitrary bytes: OB 3.0 JSON, VC-JWT, baked PNG and SVG, OB 2.0 assertions (JSON, signed JWS, baked) and Talkoo QR payloads (`TB1:`, see `crate::qr`), with the wallet id of its signed form.

use serde_json::Value;
use sha2::{Digest, Sha256};
use talkoo_core::wallet::Format;

use crate::jwt::{self, Jwt};
use crate::png::{self, PngError};
use crate::qr::{self, PayloadError};
use crate::svg::{self, SvgError};

/// A credential as read, not yet verified.
#[derive(Clone, Debug, PartialEq)]
pub struct Credential {
    /// How it was packaged.
    pub format: Format,
    /// The signed form: the JWT, or the JSON text as embedded.
    pub signed: String,
    /// The SHA-256 of `signed` in lowercase hex: the wallet id.
    pub id: String,
    /// The credential (for a JWT, its `vc` claim or payload).
    pub body: Value,
    /// The JWT, when it came as one.
    pub jwt: Option<Jwt>,
    /// Whether it is an Open Badges 2.0 assertion.
    pub ob2: bool,
}

/// Why bytes could not be read as a credential at all.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Nothing in the bytes looks like a credential.
    #[error("this is not a badge")]
    NotABadge,
    /// A PNG that is damaged.
    #[error(transparent)]
    Png(#[from] PngError),
    /// An SVG that is not well-formed.
    #[error(transparent)]
    Svg(#[from] SvgError),
    /// An image with no credential baked into it.
    #[error("the image has no badge baked into it")]
    NotBaked,
    /// A JWT that does not decode.
    #[error(transparent)]
    Jwt(#[from] jwt::ParseError),
    /// JSON that is not a credential or assertion.
    #[error("the JSON is not a credential")]
    NotACredential,
    /// An OB 2.0 image that holds only the address of a hosted assertion,
    /// which can be read only when online.
    #[error("the badge is hosted at {0} and can be read only when online")]
    HostedOnly(String),
    /// A Talkoo QR payload (`TB1:`) that is damaged or inflates too far.
    #[error(transparent)]
    Payload(#[from] PayloadError),
}

/// The wallet id of a signed form.
pub fn wallet_id(signed: &str) -> String {
    Sha256::digest(signed.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads the credential in `bytes`, whatever its packaging.
pub fn read(bytes: &[u8]) -> Result<Credential, ReadError> {
    if bytes.starts_with(&png::SIGNATURE) {
        let text = match png::baked(bytes, png::OB3_KEYWORD)? {
            Some(t) => t,
            None => png::baked(bytes, png::OB2_KEYWORD)?.ok_or(ReadError::NotBaked)?,
        };
        return inner(&text, Format::BakedPng);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotABadge)?;
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.starts_with('<') {
        let baked = svg::baked(text)?.ok_or(ReadError::NotBaked)?;
        return inner(&baked.text, Format::BakedSvg);
    }
    // A scanned or pasted QR payload holds the credential's own text, whose
    // format (JSON or JWT) is decided as if it had been pasted.
    if qr::is_payload(text) {
        return inner(&qr::decode(text)?, Format::Ob3Json);
    }
    inner(text, Format::Ob3Json)
}

/// Reads the text of a credential: a JWT or JSON. `outer` is the image
/// format when it was baked, otherwise it is decided here.
fn inner(text: &str, outer: Format) -> Result<Credential, ReadError> {
    let text = text.trim();
    let baked = matches!(outer, Format::BakedPng | Format::BakedSvg);
    if jwt::looks_like(text) {
        let token = jwt::parse(text)?;
        let body = token.credential();
        let ob2 = is_ob2(&body);
        if !ob2 && !is_credential(&body) {
            return Err(ReadError::NotACredential);
        }
        let format = match (baked, ob2) {
            (true, _) => outer,
            (false, true) => Format::Ob2Jws,
            (false, false) => Format::VcJwt,
        };
        return Ok(Credential {
            format,
            signed: text.to_owned(),
            id: wallet_id(text),
            body,
            jwt: Some(token),
            ob2,
        });
    }
    if text.starts_with("http://") || text.starts_with("https://") {
        return Err(ReadError::HostedOnly(text.to_owned()));
    }
    let body: Value = serde_json::from_str(text).map_err(|_| {
        if text.starts_with('{') {
            ReadError::NotACredential
        } else {
            ReadError::NotABadge
        }
    })?;
    let ob2 = is_ob2(&body);
    if !ob2 && !is_credential(&body) {
        return Err(ReadError::NotACredential);
    }
    let format = match (baked, ob2) {
        (true, _) => outer,
        (false, true) => Format::Ob2Json,
        (false, false) => Format::Ob3Json,
    };
    Ok(Credential {
        format,
        signed: text.to_owned(),
        id: wallet_id(text),
        body,
        jwt: None,
        ob2,
    })
}

/// The `type` values of a node, whether one string or a list.
pub fn types(node: &Value) -> Vec<&str> {
    match node.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The `@context` values that are addresses.
pub fn contexts(node: &Value) -> Vec<&str> {
    match node.get("@context") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A verifiable credential: an object typed `VerifiableCredential`, or at
/// least with a credential subject, so that the structure check can say
/// what is missing rather than the reader saying "not a badge".
fn is_credential(v: &Value) -> bool {
    v.is_object()
        && (types(v).contains(&"VerifiableCredential") || v.get("credentialSubject").is_some())
}

/// An Open Badges 2.0 assertion.
fn is_ob2(v: &Value) -> bool {
    types(v).contains(&"Assertion")
        || contexts(v)
            .iter()
            .any(|c| c.starts_with("https://w3id.org/openbadges/v2"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::png::{encode_chunk, itxt, tests::tiny_png};

    const OB3: &str = r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","OpenBadgeCredential"],"credentialSubject":{}}"#;
    const OB2: &str =
        r#"{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"https://x/a"}"#;

    fn baked_png(keyword: &str, text: &str) -> Vec<u8> {
        let png = tiny_png();
        let iend = png.len() - 12;
        let mut out = png[..iend].to_vec();
        out.extend(encode_chunk(b"iTXt", &itxt(keyword, text)));
        out.extend_from_slice(&png[iend..]);
        out
    }

    fn check(bytes: &[u8], expected: Result<(Format, bool), ReadError>) {
        let got = read(bytes).map(|c| (c.format, c.ob2));
        assert_eq!(got, expected, "{}", String::from_utf8_lossy(bytes));
    }

    #[test]
    fn each_packaging_is_recognised() {
        check(OB3.as_bytes(), Ok((Format::Ob3Json, false)));
        check(
            format!("\u{feff}\n{OB3}\n").as_bytes(),
            Ok((Format::Ob3Json, false)),
        );
        check(OB2.as_bytes(), Ok((Format::Ob2Json, true)));
        check(
            &baked_png(png::OB3_KEYWORD, OB3),
            Ok((Format::BakedPng, false)),
        );
        check(
            &baked_png(png::OB2_KEYWORD, OB2),
            Ok((Format::BakedPng, true)),
        );
        check(
            &baked_png(png::OB2_KEYWORD, "https://x/a"),
            Err(ReadError::HostedOnly("https://x/a".into())),
        );
        check(&tiny_png(), Err(ReadError::NotBaked));
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{}"><openbadges:credential><![CDATA[{OB3}]]></openbadges:credential></svg>"#,
            svg::OB3_NS
        );
        check(svg.as_bytes(), Ok((Format::BakedSvg, false)));
        check(
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            Err(ReadError::NotBaked),
        );
        check(b"{\"name\":\"x\"}", Err(ReadError::NotACredential));
        check(b"hello", Err(ReadError::NotABadge));
        check(qr::encode(OB3).as_bytes(), Ok((Format::Ob3Json, false)));
        check(
            format!(" {}\n", qr::encode(OB2)).as_bytes(),
            Ok((Format::Ob2Json, true)),
        );
        check(b"TB1:%%%", Err(ReadError::Payload(PayloadError::Damaged)));
        check(&[0xff, 0xfe, 0], Err(ReadError::NotABadge));
    }

    #[test]
    fn the_wallet_id_is_the_hash_of_the_signed_form() {
        let plain = read(OB3.as_bytes()).unwrap();
        let baked = read(&baked_png(png::OB3_KEYWORD, OB3)).unwrap();
        assert_eq!(plain.id, baked.id);
        assert_eq!(plain.id, read(qr::encode(OB3).as_bytes()).unwrap().id);
        assert_eq!(plain.id, wallet_id(OB3));
        assert_eq!(
            wallet_id(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
