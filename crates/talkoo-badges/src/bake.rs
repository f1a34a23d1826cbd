//! Baking: putting a credential into a PNG (an iTXt `openbadgecredential` chunk before IEND) or an SVG (an `openbadges:credential` element with the credential as CDATA), as the Open Badges 3.0 baking section describes.
//!
//! A credential already baked into the image is replaced, so baking twice
//! leaves one. The image itself is copied byte for byte otherwise.

use crate::png::{self, PngError};
use crate::svg::{SvgError, OB3_NS};

/// Why an image could not be baked.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum BakeError {
    /// The PNG is damaged.
    #[error(transparent)]
    Png(#[from] PngError),
    /// The SVG is not well-formed.
    #[error(transparent)]
    Svg(#[from] SvgError),
}

/// `png_bytes` with `credential` (a JWT or the JSON text) baked in.
pub fn bake_png(png_bytes: &[u8], credential: &str) -> Result<Vec<u8>, BakeError> {
    let chunks = png::chunks(png_bytes)?;
    let mut out = png::SIGNATURE.to_vec();
    for chunk in &chunks {
        let is_old = png::text_chunk(chunk).is_some_and(|(k, _)| k == png::OB3_KEYWORD);
        if is_old {
            continue;
        }
        if &chunk.kind == b"IEND" {
            out.extend(png::encode_chunk(
                b"iTXt",
                &png::itxt(png::OB3_KEYWORD, credential),
            ));
        }
        out.extend_from_slice(&png_bytes[chunk.start..chunk.end]);
    }
    Ok(out)
}

/// `svg` with `credential` baked in as the first child of the root.
pub fn bake_svg(svg: &str, credential: &str) -> Result<String, BakeError> {
    let svg = svg.trim_start_matches('\u{feff}');
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(svg, options)
        .map_err(|e| SvgError::Xml(e.to_string()))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err(SvgError::NotSvg.into());
    }
    // The prefix bound to the OB 3.0 namespace, or a new binding when
    // `openbadges` is free (or bound to OB 2.0's namespace, in which case
    // a distinct prefix keeps the old assertion intact).
    let (prefix, declare) = match root.lookup_prefix(OB3_NS) {
        Some(p) => (p.to_owned(), false),
        None if root.lookup_namespace_uri(Some("openbadges")).is_none() => {
            ("openbadges".to_owned(), true)
        }
        None => ("openbadges3".to_owned(), true),
    };
    // CDATA cannot hold `]]>`; it is split across two sections.
    let cdata = credential.replace("]]>", "]]]]><![CDATA[>");
    let element = format!("<{prefix}:credential><![CDATA[{cdata}]]></{prefix}:credential>");

    // Edits from the end of the text towards its start, so that earlier
    // offsets stay right.
    let mut text = svg.to_owned();
    let old: Vec<_> = root
        .children()
        .filter(|n| {
            n.is_element()
                && n.tag_name().name() == "credential"
                && n.tag_name().namespace() == Some(OB3_NS)
        })
        .map(|n| n.range())
        .collect();
    for range in old.iter().rev() {
        text.replace_range(range.clone(), "");
    }
    match root.first_child() {
        Some(first) => text.insert_str(first.range().start, &element),
        None => {
            // A self-closing root: `<svg …/>` becomes `<svg …>…</svg>`.
            let end = root.range().end;
            let qname = &svg[root.range().start + 1..]
                .split(|c: char| c.is_whitespace() || c == '/' || c == '>')
                .next()
                .unwrap_or("svg");
            let close = text[..end].rfind("/>").unwrap_or(end - 2);
            text.replace_range(close..end, &format!(">{element}</{qname}>"));
        }
    }
    if declare {
        let start = root.range().start + 1;
        let name_len = svg[start..]
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(0);
        text.insert_str(start + name_len, &format!(" xmlns:{prefix}=\"{OB3_NS}\""));
    }
    Ok(text)
}

/// A simple square badge drawn as SVG, for a credential whose achievement
/// has no image the app can fetch: the achievement's name and the issuer's
/// name on a ribbon-coloured disc, in the app's colours.
pub fn plain_svg(name: &str, issuer: &str) -> String {
    fn escape(text: &str) -> String {
        text.chars()
            .take(60)
            .map(|c| match c {
                '&' => "&amp;".to_owned(),
                '<' => "&lt;".to_owned(),
                '>' => "&gt;".to_owned(),
                '"' => "&quot;".to_owned(),
                c if c.is_control() => " ".to_owned(),
                c => c.to_string(),
            })
            .collect()
    }
    let (name, issuer) = (escape(name), escape(issuer));
    format!(
        concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512" role="img" aria-label="{name} – {issuer}">"##,
            r##"<title>{name} – {issuer}</title>"##,
            r##"<rect width="512" height="512" fill="#ffffff"/>"##,
            r##"<circle cx="256" cy="256" r="240" fill="#1b5e20"/>"##,
            r##"<circle cx="256" cy="256" r="212" fill="none" stroke="#ffffff" stroke-width="8"/>"##,
            r##"<text x="256" y="250" text-anchor="middle" font-family="sans-serif" font-size="34" font-weight="bold" fill="#ffffff">{name}</text>"##,
            r##"<text x="256" y="310" text-anchor="middle" font-family="sans-serif" font-size="24" fill="#ffffff">{issuer}</text>"##,
            "</svg>"
        ),
        name = name,
        issuer = issuer
    )
}

/// An image to share with the credential `signed` baked in: `image` (the
/// achievement's PNG or SVG) when it is one that bakes, otherwise
/// [`plain_svg`]. Returns the bytes and their media type.
pub fn share_image(
    signed: &str,
    image: Option<&[u8]>,
    name: &str,
    issuer: &str,
) -> (Vec<u8>, &'static str) {
    if let Some(image) = image {
        if image.starts_with(&png::SIGNATURE) {
            if let Ok(baked) = bake_png(image, signed) {
                return (baked, "image/png");
            }
        } else if let Ok(text) = std::str::from_utf8(image) {
            if let Ok(baked) = bake_svg(text, signed) {
                return (baked.into_bytes(), "image/svg+xml");
            }
        }
    }
    // The drawn badge always parses, so baking it cannot fail; were it to,
    // the credential alone is still worth sharing.
    let plain = plain_svg(name, issuer);
    let baked = bake_svg(&plain, signed).unwrap_or(plain);
    (baked.into_bytes(), "image/svg+xml")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::png::tests::tiny_png;
    use crate::svg;

    #[test]
    fn a_shared_image_carries_the_credential() {
        let check = |image: Option<&[u8]>, mime: &str| {
            let (bytes, got) = share_image("eyJ.eyJ.sig", image, "Ensiapu <1> & \"2\"", "Kylä");
            assert_eq!(got, mime);
            let text = if mime == "image/png" {
                png::baked(&bytes, png::OB3_KEYWORD).unwrap().unwrap()
            } else {
                svg::baked(std::str::from_utf8(&bytes).unwrap())
                    .unwrap()
                    .unwrap()
                    .text
            };
            assert_eq!(text, "eyJ.eyJ.sig");
        };
        check(Some(&tiny_png()), "image/png");
        check(
            Some(br#"<svg xmlns="http://www.w3.org/2000/svg"/>"#),
            "image/svg+xml",
        );
        // A JPEG or a damaged image falls back to the drawn badge.
        check(Some(&[0xff, 0xd8, 0xff]), "image/svg+xml");
        check(Some(b"\x89PNG\r\n\x1a\nbroken"), "image/svg+xml");
        check(None, "image/svg+xml");
        assert!(plain_svg("a<b", "c").contains("a&lt;b"));
    }

    fn round_trip_png(credential: &str) {
        let once = bake_png(&tiny_png(), "old").unwrap();
        let twice = bake_png(&once, credential).unwrap();
        assert_eq!(
            png::baked(&twice, png::OB3_KEYWORD),
            Ok(Some(credential.to_owned()))
        );
        let texts = png::chunks(&twice)
            .unwrap()
            .iter()
            .filter(|c| &c.kind == b"iTXt")
            .count();
        assert_eq!(texts, 1);
        let kinds: Vec<_> = png::chunks(&twice)
            .unwrap()
            .iter()
            .map(|c| c.kind)
            .collect();
        assert_eq!(kinds, [*b"IHDR", *b"IDAT", *b"iTXt", *b"IEND"]);
    }

    #[test]
    fn png_baking_round_trips_and_replaces() {
        round_trip_png("{\"a\":\"ä\"}");
        round_trip_png("eyJ.eyJ.sig");
        assert_eq!(
            bake_png(b"nope", "x"),
            Err(BakeError::Png(PngError::NotPng))
        );
    }

    fn round_trip_svg(image: &str, credential: &str) {
        let once = bake_svg(image, "{\"old\":1}").unwrap();
        let twice = bake_svg(&once, credential).unwrap();
        let got = svg::baked(&twice).unwrap().unwrap();
        assert_eq!(got.text, credential, "{twice}");
        assert!(got.ob3);
        assert_eq!(twice.matches(":credential>").count(), 2, "{twice}");
    }

    #[test]
    fn svg_baking_round_trips_and_replaces() {
        let svg = r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1"><circle r="1"/></svg>"#;
        round_trip_svg(svg, r#"{"a":"]]>","b":"<&>"}"#);
        round_trip_svg(
            r#"<svg xmlns="http://www.w3.org/2000/svg"/>"#,
            "eyJ.eyJ.sig",
        );
        round_trip_svg(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://x"/></svg>"#,
            "{}",
        );
        assert!(bake_svg("<html/>", "x").is_err());
        assert!(bake_svg("<svg", "x").is_err());
    }
}
