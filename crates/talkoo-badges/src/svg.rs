//! Baked SVG badges: finding the `openbadges:credential` (OB 3.0) or `openbadges:assertion` (OB 2.0) element and its credential, as text, CDATA or a `verify` attribute.

/// The OB 3.0 baking namespace.
pub const OB3_NS: &str = "https://purl.imsglobal.org/ob/v3p0";
/// The OB 2.0 baking namespace.
pub const OB2_NS: &str = "http://openbadges.org";

/// Why an SVG could not be read.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SvgError {
    /// Not well-formed XML.
    #[error("not well-formed XML: {0}")]
    Xml(String),
    /// The root element is not `svg`.
    #[error("not an SVG")]
    NotSvg,
}

/// What a baked SVG holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baked {
    /// `true` for OB 3.0 (`credential`), `false` for OB 2.0 (`assertion`).
    pub ob3: bool,
    /// The credential: the element's text (JSON), or its `verify`
    /// attribute (a JWT, or an OB 2.0 hosted assertion's address).
    pub text: String,
    /// Whether it came from the `verify` attribute.
    pub from_verify: bool,
}

/// The credential baked into an SVG, if any.
pub fn baked(text: &str) -> Result<Option<Baked>, SvgError> {
    let options = roxmltree::ParsingOptions {
        // Many SVG editors write a DOCTYPE; roxmltree limits entity
        // expansion, so a billion-laughs file is refused, not expanded.
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| SvgError::Xml(e.to_string()))?;
    if doc.root_element().tag_name().name() != "svg" {
        return Err(SvgError::NotSvg);
    }
    for node in doc.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name();
        let ob3 = match (tag.name(), tag.namespace()) {
            ("credential", Some(ns)) if ns != "http://www.w3.org/2000/svg" => true,
            ("assertion", Some(ns)) if ns != "http://www.w3.org/2000/svg" => false,
            _ => continue,
        };
        if let Some(verify) = node.attribute("verify") {
            return Ok(Some(Baked {
                ob3,
                text: verify.trim().to_owned(),
                from_verify: true,
            }));
        }
        let body: String = node
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        return Ok(Some(Baked {
            ob3,
            text: body.trim().to_owned(),
            from_verify: false,
        }));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(svg: &str, expected: Result<Option<(bool, &str, bool)>, ()>) {
        let got = baked(svg)
            .map(|o| o.map(|b| (b.ob3, b.text, b.from_verify)))
            .map_err(|_| ());
        assert_eq!(
            got,
            expected.map(|o| o.map(|(a, t, v)| (a, t.to_owned(), v))),
            "{svg}"
        );
    }

    #[test]
    fn credentials_are_found_as_cdata_text_or_verify() {
        let open = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">"#;
        check(&format!("{open}<openbadges:credential><![CDATA[{{\"a\":1}}]]></openbadges:credential></svg>"), Ok(Some((true, "{\"a\":1}", false))));
        check(&format!("{open}<openbadges:credential>\n  {{&quot;a&quot;:1}}\n</openbadges:credential></svg>"), Ok(Some((true, "{\"a\":1}", false))));
        check(
            &format!("{open}<openbadges:credential verify=\"e30.e30.x\"/></svg>"),
            Ok(Some((true, "e30.e30.x", true))),
        );
        check(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://x/a"/></svg>"#,
            Ok(Some((false, "https://x/a", true))),
        );
        check(&format!("{open}<circle r=\"1\"/></svg>"), Ok(None));
        check("<html/>", Err(()));
        check("<svg><credential>", Err(()));
    }
}
