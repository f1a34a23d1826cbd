//! The JSON-LD contexts bundled with the verifier, so that canonicalising a credential never needs the network.
//!
//! Every context a signed credential names must be here; a name that is not
//! is refused rather than fetched. Where and under which licence each copy
//! was taken is written in `contexts/SOURCES.md`.

use std::cell::RefCell;

use json_ld::syntax::Parse;
use json_ld::{Iri, IriBuf, LoadError, Loader, RemoteDocument};

/// Open Badges 3.0.3 as the 1EdTech validator publishes it (with
/// `endorsementJwt` and `jti`): a superset of the purl copy, so a badge that
/// does not use those terms canonicalises the same under either.
pub const OB_3_0_3: &str = include_str!("../../contexts/ob-v3p0-3.0.3.json");

/// Every bundled context: the URLs it is published under and its text.
///
/// Earlier Open Badges 3.0 versions keep their own copies because they map
/// some terms to other IRIs (for example `image`), and a credential signed
/// under one version only verifies with that version's statements.
pub const BUNDLED: &[(&[&str], &str)] = &[
    (
        &["https://www.w3.org/2018/credentials/v1"],
        include_str!("../../contexts/credentials-v1.jsonld"),
    ),
    (
        &["https://www.w3.org/ns/credentials/v2"],
        include_str!("../../contexts/credentials-v2.jsonld"),
    ),
    (
        &["https://www.w3.org/ns/credentials/examples/v2"],
        include_str!("../../contexts/credentials-examples-v2.jsonld"),
    ),
    (
        &["https://w3id.org/security/data-integrity/v1"],
        include_str!("../../contexts/data-integrity-v1.jsonld"),
    ),
    (
        &["https://w3id.org/security/data-integrity/v2"],
        include_str!("../../contexts/data-integrity-v2.jsonld"),
    ),
    (
        &["https://w3id.org/security/multikey/v1"],
        include_str!("../../contexts/multikey-v1.jsonld"),
    ),
    (
        &["https://w3id.org/security/suites/ed25519-2020/v1"],
        include_str!("../../contexts/ed25519-signature-2020-v1.jsonld"),
    ),
    (
        &[
            "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld",
        ],
        include_str!("../../contexts/ob-v3p0-3.0.0.json"),
    ),
    (
        &["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"],
        include_str!("../../contexts/ob-v3p0-3.0.1.json"),
    ),
    (
        &["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"],
        include_str!("../../contexts/ob-v3p0-3.0.2.json"),
    ),
    (
        &["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        OB_3_0_3,
    ),
    (
        &["https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"],
        include_str!("../../contexts/ob-v3p0-extensions.json"),
    ),
];

/// The bundled text of the context published at `url`, if there is one.
pub fn bundled(url: &str) -> Option<&'static str> {
    BUNDLED
        .iter()
        .find(|(urls, _)| urls.contains(&url))
        .map(|(_, text)| *text)
}

/// Why the loader refused a URL; the caller reads the URL from
/// [`BundledLoader::missing`] to name it to the user.
#[derive(Debug, thiserror::Error)]
#[error("context not bundled")]
struct NotBundled;

/// A JSON-LD loader that answers only from [`BUNDLED`] and remembers the
/// first URL it could not answer.
#[derive(Default)]
pub(crate) struct BundledLoader {
    /// The first context URL asked for that is not bundled.
    pub(crate) missing: RefCell<Option<String>>,
}

impl Loader for BundledLoader {
    async fn load(&self, url: &Iri) -> Result<RemoteDocument<IriBuf>, LoadError> {
        let text = bundled(url.as_str()).ok_or_else(|| {
            self.missing
                .borrow_mut()
                .get_or_insert_with(|| url.as_str().to_owned());
            LoadError::new(url.to_owned(), NotBundled)
        })?;
        let (value, _) = json_ld::syntax::Value::parse_str(text)
            .map_err(|e| LoadError::new(url.to_owned(), e))?;
        Ok(RemoteDocument::new(Some(url.to_owned()), None, value))
    }
}
