//! Serves a built Talkoo (`dist/`) over HTTP with the MIME types, cache headers and route fallback a PWA needs.
//!
//! `index.html`, `sw.js` and other unhashed files must be revalidated on
//! every load or an update would never be seen; Trunk's content-hashed
//! assets never change and are cached for a year. ETags let a revalidation
//! cost a 304 instead of the file.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use sha2::{Digest, Sha256};
use tiny_http::{Header, Method, Request, Response, Server};

const USAGE: &str = "usage: talkoo-serve [--dir DIR] [--addr HOST:PORT]  (defaults: dist, 127.0.0.1:8080; port 0 picks a free one)";

fn main() -> ExitCode {
    let mut dir = PathBuf::from("dist");
    let mut addr = "127.0.0.1:8080".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--dir", Some(value)) => dir = PathBuf::from(value),
            ("--addr", Some(value)) => addr = value,
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    if !dir.is_dir() {
        eprintln!(
            "talkoo-serve: {} does not exist; build the app first (make run does)",
            dir.display()
        );
        return ExitCode::FAILURE;
    }
    if !dir.join("index.html").is_file() {
        eprintln!(
            "talkoo-serve: {} has no index.html at the top; only apps in sub-folders are served",
            dir.display()
        );
    }
    let server = match Server::http(&addr) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("talkoo-serve: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The end-to-end tests read this line to learn the port.
    println!(
        "Talkoo is served at http://{}/ from {}",
        server.server_addr(),
        dir.display()
    );
    for request in server.incoming_requests() {
        let response = respond(&dir, &request);
        let _ = request.respond(response);
    }
    ExitCode::SUCCESS
}

/// What to send back, decided from the request alone so it can be tested.
#[derive(Debug, PartialEq, Eq)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

fn respond(dir: &Path, request: &Request) -> Response<std::io::Cursor<Vec<u8>>> {
    let if_none_match = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("If-None-Match"))
        .map(|h| h.value.as_str().to_owned());
    let head = *request.method() == Method::Head;
    let reply = match request.method() {
        Method::Get | Method::Head => reply(dir, request.url(), if_none_match.as_deref()),
        _ => text(405, "only GET and HEAD are served"),
    };
    let mut response = Response::from_data(if head { Vec::new() } else { reply.body })
        .with_status_code(reply.status);
    for (name, value) in reply.headers {
        if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    response
}

fn text(status: u16, message: &str) -> Reply {
    Reply {
        status,
        headers: vec![
            ("Content-Type", "text/plain; charset=utf-8".to_owned()),
            ("Cache-Control", "no-store".to_owned()),
        ],
        body: format!("{message}\n").into_bytes(),
    }
}

fn reply(dir: &Path, url: &str, if_none_match: Option<&str>) -> Reply {
    let Some(relative) = safe_path(url) else {
        return text(400, "bad path");
    };
    let mut file = dir.join(&relative);
    if file.is_dir() {
        file = file.join("index.html");
    }
    if !file.is_file() {
        // Paths without an extension are routes of the single-page app; the
        // app is the nearest index.html above them, so an app built for a
        // sub-path (`--public-url /talkoo/`) works from a sub-folder.
        let is_route = relative.extension().is_none();
        let app = relative
            .ancestors()
            .skip(1)
            .map(|folder| dir.join(folder).join("index.html"))
            .find(|candidate| candidate.is_file());
        match app {
            Some(index) if is_route => file = index,
            _ => return text(404, "not found"),
        }
    }
    let Ok(body) = fs::read(&file) else {
        return text(500, "cannot read the file");
    };
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let etag = format!("\"{}\"", hex(&Sha256::digest(&body)[..8]));
    let mut headers = vec![
        ("Content-Type", mime_type(name).to_owned()),
        ("Cache-Control", cache_control(name).to_owned()),
        ("ETag", etag.clone()),
        ("X-Content-Type-Options", "nosniff".to_owned()),
        ("Referrer-Policy", "no-referrer".to_owned()),
    ];
    if if_none_match
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        headers.retain(|(n, _)| *n != "Content-Type");
        return Reply {
            status: 304,
            headers,
            body: Vec::new(),
        };
    }
    Reply {
        status: 200,
        headers,
        body,
    }
}

/// The request path as a relative file path, refusing anything that could
/// leave the served directory.
fn safe_path(url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_decode(path)?;
    let relative = PathBuf::from(decoded.trim_start_matches('/'));
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(relative)
}

fn percent_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = input.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn mime_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Trunk names hashed assets `stem-<16 hex>.ext` (the wasm gets `_bg`).
fn is_content_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn cache_control(name: &str) -> &'static str {
    if is_content_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small site in a folder of its own, removed when dropped; tests run
    /// in parallel and rewriting a shared folder would race.
    struct Site(PathBuf);

    impl Drop for Site {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn site() -> Site {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("talkoo-serve-test-{}-{n}", std::process::id()));
        fs::create_dir_all(dir.join("icons")).expect("mkdir");
        fs::create_dir_all(dir.join("talkoo")).expect("mkdir");
        for (path, body) in [
            ("index.html", "<!doctype html>"),
            ("sw.js", "// sw"),
            ("talkoo-0123456789abcdef_bg.wasm", "wasm"),
            ("icons/icon-192.png", "png"),
            ("talkoo/index.html", "<!doctype html><p>sub"),
        ] {
            fs::write(dir.join(path), body).expect("write");
        }
        Site(dir)
    }

    fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
        reply
            .headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// (url, status, content type, cache control)
    fn check(url: &str, status: u16, mime: &str, cache: &str) {
        let reply = reply(&site().0, url, None);
        assert_eq!(reply.status, status, "{url}");
        assert_eq!(header(&reply, "Content-Type"), Some(mime), "{url}");
        assert_eq!(header(&reply, "Cache-Control"), Some(cache), "{url}");
    }

    #[test]
    fn paths_types_and_cache_headers() {
        check("/", 200, "text/html; charset=utf-8", "no-cache");
        check("/settings", 200, "text/html; charset=utf-8", "no-cache");
        check(
            "/events/123?x=1",
            200,
            "text/html; charset=utf-8",
            "no-cache",
        );
        check("/sw.js", 200, "text/javascript; charset=utf-8", "no-cache");
        check(
            "/talkoo-0123456789abcdef_bg.wasm",
            200,
            "application/wasm",
            "public, max-age=31536000, immutable",
        );
        check("/icons/icon-192.png", 200, "image/png", "no-cache");
        check(
            "/talkoo/settings",
            200,
            "text/html; charset=utf-8",
            "no-cache",
        );
        check("/missing.js", 404, "text/plain; charset=utf-8", "no-store");
        check(
            "/../etc/passwd",
            400,
            "text/plain; charset=utf-8",
            "no-store",
        );
        check(
            "/%2e%2e/secret",
            400,
            "text/plain; charset=utf-8",
            "no-store",
        );
    }

    #[test]
    fn routes_get_the_nearest_app() {
        assert_eq!(
            reply(&site().0, "/talkoo/events/42", None).body,
            b"<!doctype html><p>sub"
        );
        assert_eq!(reply(&site().0, "/settings", None).body, b"<!doctype html>");
    }

    #[test]
    fn matching_etag_gives_304_without_body() {
        let site = site();
        let first = reply(&site.0, "/sw.js", None);
        let etag = header(&first, "ETag").expect("etag").to_owned();
        let again = reply(&site.0, "/sw.js", Some(&etag));
        assert_eq!(again.status, 304);
        assert!(again.body.is_empty());
        assert_eq!(reply(&site.0, "/sw.js", Some("\"other\"")).status, 200);
    }

    #[test]
    fn hashed_names() {
        for (name, expected) in [
            ("talkoo-0123456789abcdef.js", true),
            ("talkoo-0123456789abcdef_bg.wasm", true),
            ("main-fedcba9876543210.css", true),
            ("sw.js", false),
            ("icon-192.png", false),
            ("manifest.webmanifest", false),
        ] {
            assert_eq!(is_content_hashed(name), expected, "{name}");
        }
    }
}
