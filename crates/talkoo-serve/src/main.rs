//! Serves a built Talkoo (`dist/`) over HTTP with the MIME types, cache headers and route fallback a PWA needs.
//!
//! `index.html`, `sw.js` and other unhashed files must be revalidated on
//! every load or an update would never be seen; Trunk's content-hashed
//! assets never change and are cached for a year. ETags let a revalidation
//! cost a 304 instead of the file. Text and wasm are sent compressed (brotli,
//! else gzip) when the browser accepts it: the wasm shrinks to under a third,
//! which is most of a first visit on 3G.
//!
//! Each connection has a thread of its own, closed after a quiet spell.
//! Browsers keep connections open between requests, and a page's service
//! worker opens several at once: tiny_http, used before, read connections
//! on a pool of threads and could leave a new one queued behind idle ones
//! for good (issue 13, `tests/connections.rs`). Requests are parsed by
//! httparse.

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::{Digest, Sha256};

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
    let listener = match TcpListener::bind(&addr) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("talkoo-serve: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = listener
        .local_addr()
        .map_or_else(|_| addr.clone(), |a| a.to_string());
    // The end-to-end tests read this line to learn the port.
    println!("Talkoo is served at http://{local}/ from {}", dir.display());
    let _ = io::stdout().flush();
    let dir = Arc::new(dir);
    let cache = Arc::new(Mutex::new(Compressed::default()));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let (dir, cache) = (Arc::clone(&dir), Arc::clone(&cache));
        std::thread::spawn(move || {
            // A connection that fails only ends itself.
            let _ = connection(stream, &dir, &cache);
        });
    }
    ExitCode::SUCCESS
}

/// How long a connection may stay quiet, between requests or within one,
/// before it is closed and its thread ends.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest request head read; a longer one is refused.
const MAX_HEAD: usize = 64 * 1024;

/// Answers one connection's requests in turn, until the client closes it,
/// asks to, sends what is not a GET or HEAD, or goes quiet.
fn connection(stream: TcpStream, dir: &Path, cache: &Mutex<Compressed>) -> io::Result<()> {
    // Each answer is one write (`write_reply`), so Nagle's algorithm has
    // nothing to hold back; without it, a small answer's last segment
    // could still wait for the client's delayed ACK.
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
    stream.set_write_timeout(Some(IDLE_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    while let Some(head) = read_head(&mut reader)? {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        let Ok(httparse::Status::Complete(_)) = request.parse(&head) else {
            return write_reply(&mut writer, text(400, "bad request"), false, false);
        };
        let header = |name: &str| {
            request
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .and_then(|h| std::str::from_utf8(h.value).ok())
        };
        let connection = header("Connection").map(str::to_ascii_lowercase);
        let keep_alive = match request.version {
            Some(1) => !connection.as_deref().is_some_and(|c| c.contains("close")),
            _ => connection
                .as_deref()
                .is_some_and(|c| c.contains("keep-alive")),
        };
        let method = request.method.unwrap_or_default();
        let get_or_head = method == "GET" || method == "HEAD";
        let reply = if get_or_head {
            let found = reply(dir, request.path.unwrap_or("/"), header("If-None-Match"));
            let mut cache = cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            encode(found, header("Accept-Encoding"), &mut cache)
        } else {
            text(405, "only GET and HEAD are served")
        };
        // Another method's body is not read, so the connection ends with
        // its answer.
        let keep_alive = keep_alive && get_or_head;
        write_reply(&mut writer, reply, method == "HEAD", keep_alive)?;
        if !keep_alive {
            break;
        }
    }
    Ok(())
}

/// The next request's head, up to and including its empty line; `None`
/// when the client has closed the connection.
fn read_head(reader: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut head = Vec::new();
    loop {
        if reader.read_until(b'\n', &mut head)? == 0 {
            return Ok(None);
        }
        // Empty lines before a request are allowed (RFC 9112, 2.2).
        if head == b"\r\n" || head == b"\n" {
            head.clear();
        } else if head.ends_with(b"\r\n\r\n") || head.ends_with(b"\n\n") {
            return Ok(Some(head));
        } else if head.len() > MAX_HEAD {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "request head too long",
            ));
        }
    }
}

/// Writes `reply`, without its body for a HEAD request, in one write.
/// Written apart, the head went out at once and Nagle's algorithm held the
/// body back until the client acknowledged the head, which a client delays
/// by up to 40 ms: about one answer in six to the demo's first sync waited
/// that long on a keep-alive connection (issue 13).
fn write_reply(out: &mut impl Write, reply: Reply, head: bool, keep_alive: bool) -> io::Result<()> {
    let mut text = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    if !keep_alive {
        text.push_str("Connection: close\r\n");
    }
    text.push_str("\r\n");
    let mut answer = text.into_bytes();
    if !head {
        answer.extend_from_slice(&reply.body);
    }
    out.write_all(&answer)?;
    out.flush()
}

/// The reason phrase of each status this server sends.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    }
}

/// What to send back, decided from the request alone so it can be tested.
#[derive(Debug, PartialEq, Eq)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
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
    // A compressed copy's tag is the file's tag with the encoding added.
    let base_tag = |t: &str| {
        let t = t.trim();
        ENCODINGS
            .iter()
            .find_map(|e| t.strip_suffix(&format!("-{e}\"")).map(|s| format!("{s}\"")))
            .unwrap_or_else(|| t.to_owned())
    };
    if if_none_match.is_some_and(|tags| {
        tags.split(',')
            .any(|t| base_tag(t) == etag || t.trim() == "*")
    }) {
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

/// The encodings offered, best first.
const ENCODINGS: [&str; 2] = ["br", "gzip"];

/// Files smaller than this are sent as they are: compressing them saves
/// less than the header costs.
const MIN_COMPRESS: usize = 1024;

/// Compressed copies by file tag and encoding, made on first request: the
/// served files do not change while the server runs, except by a new build
/// whose files have new tags.
#[derive(Debug, Default)]
struct Compressed(HashMap<(String, &'static str), Vec<u8>>);

/// The best encoding the browser accepts (`br`, then `gzip`); `q=0` refuses.
fn pick_encoding(accept: Option<&str>) -> Option<&'static str> {
    let accept = accept?;
    let accepted = |name: &str| {
        accept.split(',').any(|part| {
            let mut fields = part.split(';');
            let token = fields.next().unwrap_or_default().trim();
            let refused = fields.any(|f| {
                f.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    == Some(0.0)
            });
            token.eq_ignore_ascii_case(name) && !refused
        })
    };
    ENCODINGS.into_iter().find(|e| accepted(e))
}

fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || [
            "application/wasm",
            "application/json",
            "application/manifest+json",
            "image/svg+xml",
        ]
        .iter()
        .any(|t| content_type.starts_with(t))
}

fn compress(encoding: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    if encoding == "br" {
        // Quality 9 is within a few per cent of 11 and fast enough to do on
        // the first request of each file.
        let params = brotli::enc::BrotliEncoderParams {
            quality: 9,
            lgwin: 22,
            ..Default::default()
        };
        let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
    } else {
        let mut encoder = flate2::write::GzEncoder::new(out, flate2::Compression::default());
        let _ = encoder.write_all(body);
        out = encoder.finish().unwrap_or_default();
    }
    out
}

/// Sends a 200 of a compressible type compressed when the browser accepts
/// it; every answer that could vary says so.
fn encode(mut reply: Reply, accept: Option<&str>, cache: &mut Compressed) -> Reply {
    let content_type = header_value(&reply, "Content-Type").unwrap_or_default();
    let is_file = header_value(&reply, "ETag").is_some();
    if is_file && (reply.status == 304 || compressible(&content_type)) {
        reply.headers.push(("Vary", "Accept-Encoding".to_owned()));
    }
    let (Some(encoding), true) = (pick_encoding(accept), reply.status == 200) else {
        return reply;
    };
    if !is_file || !compressible(&content_type) || reply.body.len() < MIN_COMPRESS {
        return reply;
    }
    let etag = header_value(&reply, "ETag").unwrap_or_default();
    let body = cache
        .0
        .entry((etag.clone(), encoding))
        .or_insert_with(|| compress(encoding, &reply.body));
    reply.body = body.clone();
    for (name, value) in &mut reply.headers {
        if *name == "ETag" {
            *value = format!("{}-{encoding}\"", etag.trim_end_matches('"'));
        }
    }
    reply
        .headers
        .push(("Content-Encoding", encoding.to_owned()));
    reply
}

fn header_value(reply: &Reply, name: &str) -> Option<String> {
    reply
        .headers
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.clone())
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
        // The app's Swedish and English messages (Fluent), read at start.
        "ftl" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Trunk names hashed assets `stem-<hash>.ext` (the wasm gets `_bg`), the
/// 64-bit hash in hex without leading zeros: 16 digits, or fewer in one
/// build of sixteen. talkoo-split names the parts it splits off the shell
/// after the shell, `stem-<hash>-<part>.ext`, and they change only with it.
fn is_content_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    // A name part of 12 to 16 hex digits is taken for a hash, and a shorter
    // word (`add`, `decade`) is not; a hash with five leading zero digits
    // comes once in a million builds, and is then only cached less.
    let is_hash =
        |h: &str| (12..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit());
    let mut parts = stem.rsplit('-');
    let last = parts.next().unwrap_or_default();
    let before = parts.next();
    (before.is_some() && is_hash(last)) || (before.is_some_and(is_hash) && parts.next().is_some())
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

    /// Issue 13: the app reads its Swedish and English messages at start,
    /// so they are sent as text and compressed like the rest of the app.
    #[test]
    fn message_catalogues_are_compressible_text() {
        for name in ["sv.ftl", "en.ftl"] {
            assert_eq!(mime_type(name), "text/plain; charset=utf-8");
            assert!(compressible(mime_type(name)), "{name}");
        }
    }

    /// Counts the writes an answer is made of.
    #[derive(Default)]
    struct Writes(Vec<Vec<u8>>);

    impl Write for Writes {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.push(buf.to_vec());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Issue 13: an answer's head and body went out in two writes, and
    /// Nagle's algorithm then held the body until the client acknowledged
    /// the head (up to 40 ms on a keep-alive connection).
    #[test]
    fn an_answer_is_one_write() {
        for (head, body) in [(false, "hello\n"), (true, "")] {
            let mut out = Writes::default();
            write_reply(&mut out, text(200, "hello"), head, true).expect("written");
            assert_eq!(out.0.len(), 1, "HEAD {head}");
            let answer = String::from_utf8(out.0.concat()).expect("text");
            assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
            assert!(answer.ends_with(&format!("\r\n\r\n{body}")), "{answer}");
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
    fn encodings_are_negotiated() {
        for (accept, expected) in [
            (None, None),
            (Some("gzip, deflate, br, zstd"), Some("br")),
            (Some("gzip"), Some("gzip")),
            (Some("br;q=0, gzip"), Some("gzip")),
            (Some("identity"), None),
        ] {
            assert_eq!(pick_encoding(accept), expected, "{accept:?}");
        }
    }

    #[test]
    fn text_and_wasm_are_sent_compressed_and_revalidate() {
        let site = site();
        let big = "<!doctype html>".repeat(200);
        fs::write(site.0.join("index.html"), &big).expect("write");
        let mut cache = Compressed::default();
        let plain = reply(&site.0, "/", None);
        let br = encode(reply(&site.0, "/", None), Some("gzip, br"), &mut cache);
        assert_eq!(header(&br, "Content-Encoding"), Some("br"));
        assert_eq!(header(&br, "Vary"), Some("Accept-Encoding"));
        assert!(br.body.len() < big.len() / 10, "{} bytes", br.body.len());
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br.body[..], &mut back).expect("brotli");
        assert_eq!(back, big.as_bytes());
        let gz = encode(reply(&site.0, "/", None), Some("gzip"), &mut cache);
        assert_eq!(header(&gz, "Content-Encoding"), Some("gzip"));
        let mut back = Vec::new();
        io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz.body[..]), &mut back)
            .expect("gzip");
        assert_eq!(back, big.as_bytes());
        // Each copy has its own tag, and revalidating it gives a 304.
        let tag = header(&br, "ETag").expect("etag").to_owned();
        assert_ne!(Some(tag.as_str()), header(&plain, "ETag"));
        assert_eq!(reply(&site.0, "/", Some(&tag)).status, 304);
        // Small files and images go as they are.
        let small = encode(reply(&site.0, "/sw.js", None), Some("br"), &mut cache);
        assert_eq!(header(&small, "Content-Encoding"), None);
        let png = encode(
            reply(&site.0, "/icons/icon-192.png", None),
            Some("br"),
            &mut cache,
        );
        assert_eq!(header(&png, "Content-Encoding"), None);
    }

    #[test]
    fn hashed_names() {
        for (name, expected) in [
            ("talkoo-0123456789abcdef.js", true),
            ("talkoo-0123456789abcdef_bg.wasm", true),
            ("main-fedcba9876543210.css", true),
            ("talkoo-0123456789abcdef-pages.wasm", true),
            ("talkoo-0123456789abcdef-split.js", true),
            // Trunk drops the hash's leading zeros: one build in sixteen.
            ("talkoo-a73593ceb204c42.js", true),
            ("talkoo-a73593ceb204c42_bg.wasm", true),
            ("talkoo-a73593ceb204c42-pages.wasm", true),
            ("talkoo-3593ceb204c4.js", true),
            ("icon-add.svg", false),
            ("talkoo-decade.js", false),
            ("0123456789abcdef-pages.wasm", false),
            ("talkoo-pages.wasm", false),
            ("talkoo-sync_bg.wasm", false),
            ("sw.js", false),
            ("icon-192.png", false),
            ("manifest.webmanifest", false),
        ] {
            assert_eq!(is_content_hashed(name), expected, "{name}");
        }
    }
}
