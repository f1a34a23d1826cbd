//! The Data Integrity transformation: a JSON-LD document to its RDF Dataset Canonicalization (RDFC-1.0) N-Quads, in safe mode.
//!
//! Safe mode means a term the contexts do not define is an error naming the
//! term, not silently dropped: an unsigned statement must never ride along
//! with a signed credential.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use json_ld::expansion::{Action, Policy};
use json_ld::rdf_types::{generator, Id, LiteralType, Term};
use json_ld::syntax::Parse;
use json_ld::{ExpandError, JsonLdProcessor, RemoteDocument, ToRdfError};
use oxrdf::{BlankNode, Dataset, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad};

use super::contexts::BundledLoader;
use super::DiError;

/// Drives a future that never waits: with only bundled contexts the JSON-LD
/// processor has nothing to wait for, so one poll finishes it. `None` would
/// mean it waited after all, which is reported instead of spinning.
fn run_now<F: Future>(future: F) -> Option<F::Output> {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

/// Canonical N-Quads of `doc` (a JSON-LD document with its `@context`).
pub(crate) fn canonical_nquads(doc: &serde_json::Value) -> Result<String, DiError> {
    let dataset = to_dataset(doc)?;
    rdf_canon::canonicalize(&dataset).map_err(|e| DiError::Canonicalization(e.to_string()))
}

/// The JSON-LD 1.1 keywords; any other member starting with `@` is ignored
/// by expansion.
const KEYWORDS: &[&str] = &[
    "@base",
    "@container",
    "@context",
    "@direction",
    "@graph",
    "@id",
    "@import",
    "@included",
    "@index",
    "@json",
    "@language",
    "@list",
    "@nest",
    "@none",
    "@prefix",
    "@propagate",
    "@protected",
    "@reverse",
    "@set",
    "@type",
    "@value",
    "@version",
    "@vocab",
];

/// Refuses members that look like keywords but are not, which JSON-LD
/// expansion ignores and so leaves unsigned.
fn check_keyword_like(value: &serde_json::Value) -> Result<(), DiError> {
    match value {
        serde_json::Value::Object(map) => map.iter().try_for_each(|(key, item)| {
            if key.starts_with('@') && !KEYWORDS.contains(&key.as_str()) {
                return Err(DiError::Unsigned(format!("the member {key}")));
            }
            check_keyword_like(item)
        }),
        serde_json::Value::Array(items) => items.iter().try_for_each(check_keyword_like),
        _ => Ok(()),
    }
}

/// Expands `doc` with the bundled contexts and turns it into an RDF dataset.
fn to_dataset(doc: &serde_json::Value) -> Result<Dataset, DiError> {
    check_keyword_like(doc)?;
    let text = doc.to_string();
    let (value, _) = json_ld::syntax::Value::parse_str(&text)
        .map_err(|e| DiError::JsonLd(format!("the JSON could not be read: {e}")))?;
    let input = RemoteDocument::new(None, None, value);
    let loader = BundledLoader::default();
    let expand = |invalid| {
        let options = json_ld::Options {
            expansion_policy: Policy {
                invalid,
                // A context's `@vocab` is a deliberate mapping (the W3C
                // examples context has one); the VC 2.0 context has none.
                vocab: Action::Keep,
                allow_undefined: false,
            },
            ..Default::default()
        };
        run_now(input.to_rdf_using(generator::Blank::new(), &loader, options))
            .ok_or_else(|| DiError::JsonLd("the JSON-LD processor waited for input".into()))
    };
    let mut rdf = match expand(Action::Reject)? {
        Ok(rdf) => rdf,
        Err(error) => {
            if let Some(url) = loader.missing.borrow_mut().take() {
                return Err(DiError::ContextNotBundled(url));
            }
            if let ToRdfError::Expand(ExpandError::Expansion(
                json_ld::expansion::Error::InvalidTypeValue,
            )) = error
            {
                // The processor does not say which type; expanding again
                // while keeping invalid types finds it to name it.
                if let Ok(Ok(kept)) = expand(Action::Keep) {
                    kept.document().iter().try_for_each(check_indexed)?;
                }
            }
            return Err(expansion_error(error));
        }
    };
    rdf.document().iter().try_for_each(check_indexed)?;
    let mut dataset = Dataset::new();
    for quad in rdf.cloned_quads() {
        let json_ld::rdf_types::Quad(subject, predicate, object, graph) = quad;
        let predicate = match predicate {
            Id::Iri(iri) => named(iri.as_str()),
            // Blank-node predicates are not produced without generalised RDF.
            Id::Blank(_) => continue,
        };
        let object: oxrdf::Term = match object {
            Term::Id(id) => node(id).into(),
            Term::Literal(literal) => match literal.type_ {
                LiteralType::Any(datatype) => {
                    Literal::new_typed_literal(literal.value, named(datatype.as_str())).into()
                }
                LiteralType::LangString(tag) => Literal::new_language_tagged_literal_unchecked(
                    literal.value,
                    tag.as_str().to_ascii_lowercase(),
                )
                .into(),
            },
        };
        let graph = match graph {
            None => GraphName::DefaultGraph,
            Some(id) => match node(id) {
                NamedOrBlankNode::NamedNode(n) => GraphName::NamedNode(n),
                NamedOrBlankNode::BlankNode(b) => GraphName::BlankNode(b),
            },
        };
        dataset.insert(&Quad::new(node(subject), predicate, object, graph));
    }
    Ok(dataset)
}

/// An IRI as an oxrdf node. The JSON-LD processor only emits valid IRIs,
/// so no check is repeated here.
fn named(iri: &str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

/// A JSON-LD node id as an oxrdf subject; blank node ids lose their `_:`.
fn node(id: Id) -> NamedOrBlankNode {
    match id {
        Id::Iri(iri) => named(iri.as_str()).into(),
        Id::Blank(blank) => BlankNode::new_unchecked(blank.suffix()).into(),
    }
}

/// Plain words for a JSON-LD failure, naming the term when there is one.
fn expansion_error(error: ToRdfError) -> DiError {
    let ToRdfError::Expand(error) = error;
    match error {
        ExpandError::Expansion(json_ld::expansion::Error::KeyExpansionFailed(term)) => {
            DiError::UndefinedTerm(term)
        }
        other => DiError::JsonLd(other.to_string()),
    }
}

/// Checks that nothing in the expanded document would be dropped on the way
/// to RDF: the processor leaves out a node whose `@id` is not an absolute
/// IRI (with all its statements), a type that is not one, a property named
/// by a blank node, a string with a malformed language tag, and every
/// `@index`. Left unchecked, that part of the credential would be shown but
/// not signed.
fn check_indexed(
    object: &json_ld::IndexedObject<json_ld::IriBuf, json_ld::BlankIdBuf>,
) -> Result<(), DiError> {
    if let Some(index) = object.index() {
        return Err(DiError::Unsigned(format!("@index {index:?}")));
    }
    check_kept(object.inner())
}

/// [`check_indexed`] for a node in `@included` or a reverse property.
fn check_indexed_node(node: &json_ld::IndexedNode) -> Result<(), DiError> {
    if let Some(index) = node.index() {
        return Err(DiError::Unsigned(format!("@index {index:?}")));
    }
    check_node(node.inner())
}

/// [`check_indexed`] without the index.
fn check_kept(object: &json_ld::Object) -> Result<(), DiError> {
    match object {
        json_ld::Object::Node(node) => check_node(node),
        json_ld::Object::List(list) => list.iter().try_for_each(check_indexed),
        json_ld::Object::Value(json_ld::Value::LangString(text)) => match text.language() {
            Some(tag) if !tag.is_well_formed() => Err(DiError::BadLanguage(tag.to_string())),
            _ => Ok(()),
        },
        json_ld::Object::Value(_) => Ok(()),
    }
}

/// [`check_kept`] for a node object.
fn check_node(node: &json_ld::Node) -> Result<(), DiError> {
    if let Some(json_ld::Id::Invalid(id)) = &node.id {
        return Err(DiError::NotAnIri(id.clone()));
    }
    for ty in node.types() {
        if let json_ld::Id::Invalid(name) = ty {
            return Err(DiError::UndefinedTerm(name.clone()));
        }
    }
    for (property, values) in node.properties() {
        match property {
            json_ld::Id::Invalid(name) => return Err(DiError::UndefinedTerm(name.clone())),
            // Blank-node properties are not RDF and would be dropped.
            json_ld::Id::Valid(Id::Blank(blank)) => {
                return Err(DiError::UndefinedTerm(blank.to_string()));
            }
            json_ld::Id::Valid(Id::Iri(_)) => {}
        }
        values.iter().try_for_each(check_indexed)?;
    }
    node.graph()
        .into_iter()
        .flatten()
        .try_for_each(check_indexed)?;
    node.included()
        .into_iter()
        .flatten()
        .try_for_each(check_indexed_node)?;
    for (_, nodes) in node.reverse_properties().into_iter().flat_map(|r| r.iter()) {
        nodes.iter().try_for_each(check_indexed_node)?;
    }
    Ok(())
}
