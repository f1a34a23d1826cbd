//! What the pages read of the stored manifest (`ManifestView`, issue 13): the demo manifest's regions, names, municipalities and demo flag, the same as the whole manifest's.

use std::path::Path;

use talkoo_core::feed::{parse_text, Manifest, ManifestView, Municipality};
use talkoo_core::model::LangText;

#[test]
fn the_pages_view_of_the_demo_manifest_keeps_what_they_show() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/feed/manifest.json");
    let text = std::fs::read_to_string(path).expect("the demo manifest");
    let whole: Manifest = parse_text("manifest.json", &text).expect("whole");
    let view: ManifestView = parse_text("manifest.json", &text).expect("view");
    assert!(view.demo && whole.demo);
    let shown = |regions: Vec<(&String, &LangText, &Vec<Municipality>)>| {
        regions
            .into_iter()
            .map(|(id, name, municipalities)| (id.clone(), name.clone(), municipalities.clone()))
            .collect::<Vec<_>>()
    };
    let expected = shown(
        whole
            .regions
            .iter()
            .map(|r| (&r.id, &r.name, &r.municipalities))
            .collect(),
    );
    assert_eq!(expected.len(), 3);
    assert_eq!(
        shown(
            view.regions
                .iter()
                .map(|r| (&r.id, &r.name, &r.municipalities))
                .collect()
        ),
        expected
    );
}

#[test]
fn a_manifest_of_another_major_version_is_refused_as_a_view_too() {
    let text = r#"{"schema_version":"2.0","demo":false,"regions":[]}"#;
    assert!(parse_text::<ManifestView>("manifest.json", text).is_err());
}
