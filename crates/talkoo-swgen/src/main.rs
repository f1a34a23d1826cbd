//! Build step run by Trunk after staging (`post_build` hook): makes the output an offline-capable PWA.
//!
//! It writes `sw.js` with the list of files to precache and a cache version
//! taken from their contents, `version.json` with that version for the app's
//! Settings page, and puts the hashes of index.html's inline scripts (Trunk's
//! loader) and its inline stylesheet into its Content Security Policy, so no
//! `unsafe-inline` is needed.
//! It can also be run by hand on a built directory, which the end-to-end
//! tests do to publish a changed build.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use base64::Engine;
use sha2::{Digest, Sha256};

/// Folders that are served but not precached: the catalogue feed is stored
/// in IndexedDB by the app, not in the shell cache.
const NOT_PRECACHED: &[&str] = &["feed/"];
/// Files this tool writes, which cannot be part of what they describe.
const GENERATED: &[&str] = &["sw.js", "version.json"];
const TEMPLATE: &str = include_str!("../sw.template.js");

fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from));
    let Some(dir) = dir else {
        eprintln!("usage: talkoo-swgen DIR (or run as a Trunk post_build hook, which sets TRUNK_STAGING_DIR)");
        return ExitCode::from(2);
    };
    match run(&dir) {
        Ok(summary) => {
            println!("talkoo-swgen: {summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("talkoo-swgen: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(dir: &Path) -> Result<String, String> {
    let index_path = dir.join("index.html");
    let html = fs::read_to_string(&index_path)
        .map_err(|e| format!("cannot read {}: {e}", index_path.display()))?;
    let html = set_inline_hashes(&html)?;
    fs::write(&index_path, &html)
        .map_err(|e| format!("cannot write {}: {e}", index_path.display()))?;

    let mut files = Vec::new();
    collect(dir, dir, &mut files).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let precache: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter(|(path, _)| is_precached(path))
        .collect();
    let version = content_version(&precache);
    let bytes: usize = precache.iter().map(|(_, b)| b.len()).sum();

    let mut paths: Vec<String> = precache.iter().map(|(p, _)| p.clone()).collect();
    paths.push("version.json".to_owned());
    fs::write(dir.join("sw.js"), render_worker(&version, &paths))
        .map_err(|e| format!("cannot write sw.js: {e}"))?;
    let info = serde_json::json!({ "version": version, "files": paths.len(), "bytes": bytes });
    fs::write(dir.join("version.json"), format!("{info}\n"))
        .map_err(|e| format!("cannot write version.json: {e}"))?;
    Ok(format!(
        "version {version}, {} files ({bytes} bytes) precached",
        paths.len()
    ))
}

/// Lists every file under `dir` as (path relative to `root` with `/`, bytes),
/// sorted by path so the version does not depend on directory order.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(root, &path, out)?;
        } else {
            let relative = path
                .strip_prefix(root)
                .map_err(std::io::Error::other)?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((relative, fs::read(&path)?));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(())
}

fn is_precached(path: &str) -> bool {
    !GENERATED.contains(&path) && !NOT_PRECACHED.iter().any(|dir| path.starts_with(dir))
}

/// A short hex digest over every path and its bytes.
fn content_version(files: &[(String, Vec<u8>)]) -> String {
    let mut hasher = Sha256::new();
    for (path, bytes) in files {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn render_worker(version: &str, paths: &[String]) -> String {
    let list = serde_json::to_string(paths).unwrap_or_else(|_| "[]".to_owned());
    TEMPLATE
        .replace("__VERSION__", version)
        .replace("__PRECACHE__", &list)
}

/// The bodies of inline `<script>` elements (those without `src`).
fn inline_scripts(html: &str) -> Vec<&str> {
    inline_elements(html, "script")
}

/// The bodies of the `tag` elements that have no `src` attribute.
fn inline_elements<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut bodies = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let attributes = &after[..open_end];
        let body_and_rest = &after[open_end + 1..];
        let Some(end) = body_and_rest.find(&close) else {
            break;
        };
        if !attributes.contains("src=") {
            bodies.push(&body_and_rest[..end]);
        }
        rest = &body_and_rest[end..];
    }
    bodies
}

/// Where the policy text of the CSP `<meta>` lies, whatever the order and
/// quoting of its attributes (the release minifier changes both).
fn csp_content_span(html: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    while let Some(found) = html[offset..].find("<meta") {
        let start = offset + found;
        let end = start + html[start..].find('>')?;
        let tag = &html[start..end];
        if tag.to_ascii_lowercase().contains("content-security-policy") {
            let key = "content=\"";
            let value_start = start + tag.find(key)? + key.len();
            let value_end = value_start + html[value_start..end].find('"')?;
            return Some((value_start, value_end));
        }
        offset = end;
    }
    None
}

/// `'sha256-…'` sources for `bodies`, as CSP hashes them.
fn hash_sources(bodies: &[&str]) -> String {
    bodies
        .iter()
        .map(|body| {
            let digest = Sha256::digest(body.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect()
}

/// Rewrites the `script-src` and `style-src` directives of the page's CSP
/// `<meta>` to allow exactly the inline scripts and stylesheets present
/// now. Running it again gives the same page, so a staged build can be
/// processed twice.
fn set_inline_hashes(html: &str) -> Result<String, String> {
    let script_src = format!(
        "script-src 'self' 'wasm-unsafe-eval'{}",
        hash_sources(&inline_scripts(html))
    );
    let style_src = format!(
        "style-src 'self'{}",
        hash_sources(&inline_elements(html, "style"))
    );
    let (content_start, content_end) = csp_content_span(html).ok_or(
        "index.html has no Content-Security-Policy <meta> with a quoted content attribute",
    )?;
    let policy = &html[content_start..content_end];
    let mut directives: Vec<String> = policy
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty() && !d.starts_with("script-src") && !d.starts_with("style-src"))
        .map(str::to_owned)
        .collect();
    directives.insert(1.min(directives.len()), style_src);
    directives.insert(1.min(directives.len()), script_src);
    Ok(format!(
        "{}{}{}",
        &html[..content_start],
        directives.join("; "),
        &html[content_end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'"><script type="module" src="/x.js"></script></head><body><script type="module">import init from '/a.js';</script></body></html>"#;

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        assert_eq!(inline_scripts(PAGE), vec!["import init from '/a.js';"]);
    }

    #[test]
    fn csp_gets_the_hash_of_each_inline_script_and_nothing_unsafe() {
        let out = set_inline_hashes(PAGE).expect("rewrite");
        let digest = Sha256::digest(b"import init from '/a.js';");
        let hash = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(
            out.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'"
            )),
            "{out}"
        );
        assert!(!out.contains("unsafe-inline") && !out.contains("'unsafe-eval'"));
        assert!(out.contains("default-src 'self'; script-src"), "{out}");
        assert!(out.contains("style-src 'self'"));
    }

    #[test]
    fn csp_gets_the_hash_of_the_inline_stylesheet() {
        let page = "<meta content=\"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'\" http-equiv=Content-Security-Policy><style>.a{color:red}</style><script type=module>go()</script>";
        let out = set_inline_hashes(page).expect("rewrite");
        let hash =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b".a{color:red}"));
        assert!(
            out.contains(&format!("; style-src 'self' 'sha256-{hash}'; ")),
            "{out}"
        );
        assert_eq!(out.matches("style-src").count(), 1, "{out}");
        assert!(out.contains("img-src 'self'"), "{out}");
        assert!(!out.contains("unsafe-inline"), "{out}");
    }

    #[test]
    fn minified_meta_with_other_attribute_order_is_found() {
        let page = "<meta content=\"default-src 'self'; script-src 'self'\" http-equiv=Content-Security-Policy><script type=module>go()</script>";
        let out = set_inline_hashes(page).expect("rewrite");
        assert!(out.contains("'wasm-unsafe-eval' 'sha256-"), "{out}");
        assert!(
            out.ends_with("http-equiv=Content-Security-Policy><script type=module>go()</script>"),
            "{out}"
        );
    }

    #[test]
    fn rewriting_twice_changes_nothing() {
        let once = set_inline_hashes(PAGE).expect("once");
        assert_eq!(set_inline_hashes(&once).expect("twice"), once);
    }

    #[test]
    fn a_page_without_csp_is_an_error() {
        assert!(set_inline_hashes("<html><script>x</script></html>").is_err());
    }

    fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(p, b)| ((*p).to_owned(), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn version_follows_contents_not_only_names() {
        let a = content_version(&files(&[("app-1.js", "one"), ("index.html", "x")]));
        let same = content_version(&files(&[("app-1.js", "one"), ("index.html", "x")]));
        let changed_bytes = content_version(&files(&[("app-1.js", "two"), ("index.html", "x")]));
        let renamed = content_version(&files(&[("app-2.js", "one"), ("index.html", "x")]));
        assert_eq!(a, same);
        assert_ne!(a, changed_bytes);
        assert_ne!(a, renamed);
        assert_eq!(a.len(), 16);
    }

    #[test]
    fn generated_files_and_the_feed_are_not_precached() {
        for (path, expected) in [
            ("index.html", true),
            ("icons/icon-192.png", true),
            ("sw.js", false),
            ("version.json", false),
            ("feed/manifest.json", false),
        ] {
            assert_eq!(is_precached(path), expected, "{path}");
        }
    }

    #[test]
    fn worker_lists_files_and_version() {
        let js = render_worker("abc", &["index.html".to_owned(), "a b.js".to_owned()]);
        assert!(js.contains(r#"const VERSION = "abc";"#));
        assert!(js.contains(r#"const PRECACHE = ["index.html","a b.js"];"#));
        assert!(!js.contains("__"));
    }

    #[test]
    fn run_writes_worker_version_and_csp_into_a_directory() {
        let dir = std::env::temp_dir().join(format!("talkoo-swgen-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("icons")).expect("mkdir");
        fs::write(dir.join("index.html"), PAGE).expect("write");
        fs::write(dir.join("icons/a.png"), "png").expect("write");
        let first = run(&dir).expect("run");
        let version1 = fs::read_to_string(dir.join("version.json")).expect("version.json");
        assert!(first.contains("3 files"), "{first}");
        assert!(fs::read_to_string(dir.join("sw.js"))
            .expect("sw.js")
            .contains("icons/a.png"));
        // Same bytes, same version, even after a second run over our own output.
        run(&dir).expect("rerun");
        assert_eq!(
            fs::read_to_string(dir.join("version.json")).expect("again"),
            version1
        );
        // One changed byte under the same name gives a new version.
        fs::write(dir.join("icons/a.png"), "pnG").expect("write");
        run(&dir).expect("changed");
        assert_ne!(
            fs::read_to_string(dir.join("version.json")).expect("changed"),
            version1
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
