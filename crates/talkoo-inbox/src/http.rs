//! Just enough HTTP/1.1 for the hours protocol: request heads, bodies framed by Content-Length, and answers.
//!
//! The inbox speaks HTTP itself rather than through tiny_http (which
//! talkoo-serve uses) because tiny_http 0.12 cannot do two things the
//! protocol needs. It drains an unread body on drop into a buffer as large as
//! the declared Content-Length, so one request saying `Content-Length:
//! 999999999999999` aborts the whole process whatever the handler answered.
//! And it offers no way to close a keep-alive connection without an answer,
//! which the fault modes must do so the app sees a real network error.
//! Owning this small layer keeps both under control: a body is read only
//! after the request passed the header checks, never beyond the route's
//! limit, and a connection can be closed at any point.

use std::io::{self, BufRead, Read, Write};

/// The longest request line plus headers accepted.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;

/// The most header lines accepted.
const MAX_HEADERS: usize = 100;

/// A request line and its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The method, as sent (methods are case-sensitive).
    pub method: String,
    /// The request target, e.g. `/v1/entries?x=1`.
    pub target: String,
    /// Whether the request is HTTP/1.0 (its connection then ends after it).
    pub http10: bool,
    /// Header names and values in the order sent.
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// The first header called `name`, compared without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query string.
    pub fn path(&self) -> &str {
        self.target.split(['?', '#']).next().unwrap_or_default()
    }

    /// Whether the connection ends after this request: when the client
    /// asks, and always for HTTP/1.0, whose keep-alive is an extension not
    /// worth supporting for the few old tools that still speak it.
    pub fn wants_close(&self) -> bool {
        let connection = self.header("connection").unwrap_or_default();
        self.http10
            || connection
                .split(',')
                .any(|t| t.trim().eq_ignore_ascii_case("close"))
    }

    /// How the body is delimited: its length, or an answer refusing the
    /// request. Chunked bodies are refused with 411, as browsers send a
    /// length for every body `fetch` makes from a string.
    pub fn body_length(&self) -> Result<usize, (u16, &'static str)> {
        if self.header("transfer-encoding").is_some() {
            return Err((411, "send the body with a Content-Length, not chunked"));
        }
        let mut length = None;
        for (name, value) in &self.headers {
            if !name.eq_ignore_ascii_case("content-length") {
                continue;
            }
            let value = value.trim();
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err((400, "the Content-Length is not a number"));
            }
            // A length too large for usize is over every limit anyway.
            let parsed = value.parse::<usize>().unwrap_or(usize::MAX);
            if length.is_some_and(|l| l != parsed) {
                return Err((400, "the request has two different Content-Lengths"));
            }
            length = Some(parsed);
        }
        Ok(length.unwrap_or(0))
    }
}

/// Why a request head could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum HeadError {
    /// Not HTTP/1.x; the text says what was wrong.
    Malformed(&'static str),
    /// More than [`MAX_HEAD_BYTES`] or [`MAX_HEADERS`].
    TooLarge,
    /// The connection ended in the middle of a head.
    Closed,
    /// The reader timed out in the middle of a head (the request's
    /// deadline passed, or the client went quiet).
    TimedOut,
}

/// Whether a read failed because its time ran out: std reports an expired
/// socket timeout as `WouldBlock` on Unix and `TimedOut` on Windows.
pub fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

/// Reads one request head. `Ok(None)` means the client closed the
/// connection cleanly between requests.
pub fn read_head(reader: &mut dyn BufRead) -> Result<Option<Head>, HeadError> {
    let mut budget = MAX_HEAD_BYTES;
    let mut line = next_line(reader, &mut budget)?;
    // RFC 9112 asks servers to ignore empty lines before a request line.
    while line.as_deref() == Some("") {
        line = next_line(reader, &mut budget)?;
    }
    let Some(request_line) = line else {
        return Ok(None);
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed(
            "the request line is not METHOD PATH VERSION",
        ));
    };
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => {
            return Err(HeadError::Malformed(
                "only HTTP/1.0 and HTTP/1.1 are spoken",
            ))
        }
    };
    if method.is_empty() || !target.starts_with('/') {
        return Err(HeadError::Malformed("the request target must be a path"));
    }
    let mut headers = Vec::new();
    loop {
        let line = next_line(reader, &mut budget)?.ok_or(HeadError::Closed)?;
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(HeadError::TooLarge);
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(HeadError::Malformed("a header line has no colon"));
        };
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(HeadError::Malformed("a header name is empty or has spaces"));
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    Ok(Some(Head {
        method: method.to_owned(),
        target: target.to_owned(),
        http10,
        headers,
    }))
}

/// One line without its CRLF (or bare LF), within what is left of the head's
/// budget; `None` at a clean end of input before any byte of the line.
fn next_line(reader: &mut dyn BufRead, budget: &mut usize) -> Result<Option<String>, HeadError> {
    let mut bytes = Vec::new();
    let read = reader
        .take(*budget as u64 + 1)
        .read_until(b'\n', &mut bytes)
        .map_err(|e| {
            if is_timeout(&e) {
                HeadError::TimedOut
            } else {
                HeadError::Closed
            }
        })?;
    if read == 0 {
        return Ok(None);
    }
    if read > *budget {
        return Err(HeadError::TooLarge);
    }
    *budget -= read;
    if bytes.pop() != Some(b'\n') {
        return Err(HeadError::Closed);
    }
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| HeadError::Malformed("the head is not text"))
}

/// Why a body could not be had.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Longer than the route accepts; nothing or only the limit was read.
    TooLarge,
    /// The connection ended before the declared length.
    Incomplete,
    /// The reader timed out before the declared length (the request's
    /// deadline passed, or the client went quiet).
    TimedOut,
}

/// A request's body, not yet read: the handler decides, after checking the
/// headers, whether to read it and up to what limit.
pub struct Body<'a> {
    reader: &'a mut dyn BufRead,
    remaining: usize,
    /// Where to send `100 Continue` before reading, when the client waits for it.
    continue_to: Option<&'a mut dyn Write>,
}

impl std::fmt::Debug for Body<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Body")
            .field("remaining", &self.remaining)
            .finish()
    }
}

impl<'a> Body<'a> {
    /// A body of `length` bytes on `reader`; `continue_to` is given when the
    /// request carried `Expect: 100-continue`.
    pub fn new(
        reader: &'a mut dyn BufRead,
        length: usize,
        continue_to: Option<&'a mut dyn Write>,
    ) -> Body<'a> {
        Body {
            reader,
            remaining: length,
            continue_to,
        }
    }

    /// Reads the whole body if it is at most `limit` bytes. A declared
    /// length over the limit is refused before a byte is read, and no more
    /// than `limit + 1` bytes are ever taken from the connection.
    pub fn read(&mut self, limit: usize) -> Result<Vec<u8>, BodyError> {
        if self.remaining > limit {
            return Err(BodyError::TooLarge);
        }
        if let Some(out) = self.continue_to.take() {
            out.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .and_then(|()| out.flush())
                .map_err(|_| BodyError::Incomplete)?;
        }
        let mut bytes = Vec::with_capacity(self.remaining);
        let allowed = self.remaining.min(limit + 1) as u64;
        let read = (&mut *self.reader)
            .take(allowed)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                if is_timeout(&e) {
                    BodyError::TimedOut
                } else {
                    BodyError::Incomplete
                }
            })?;
        self.remaining -= read;
        if bytes.len() > limit {
            return Err(BodyError::TooLarge);
        }
        if self.remaining > 0 {
            return Err(BodyError::Incomplete);
        }
        Ok(bytes)
    }

    /// Whether every byte of the body has been read, so the next request
    /// on the connection starts where the reader is.
    pub fn is_finished(&self) -> bool {
        self.remaining == 0
    }
}

/// The reason phrase of the status codes the inbox uses.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// Writes an answer in one piece. `close` adds `Connection: close`; a 204
/// carries no Content-Length, as RFC 9110 asks.
pub fn write_answer(
    out: &mut dyn Write,
    status: u16,
    headers: &[(&str, String)],
    body: &[u8],
    close: bool,
) -> io::Result<()> {
    let mut bytes = format!("HTTP/1.1 {status} {}\r\n", reason(status)).into_bytes();
    for (name, value) in headers {
        bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    if status != 204 {
        bytes.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    if close {
        bytes.extend_from_slice(b"Connection: close\r\n");
    }
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(body);
    out.write_all(&bytes)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Option<Head>, HeadError> {
        read_head(&mut text.as_bytes())
    }

    /// (raw head, method, path, header to look up, its value)
    fn check(raw: &str, method: &str, path: &str, header: &str, value: Option<&str>) {
        let head = head(raw).expect("valid").expect("a head");
        assert_eq!(head.method, method, "{raw:?}");
        assert_eq!(head.path(), path, "{raw:?}");
        assert_eq!(head.header(header), value, "{raw:?}");
    }

    #[test]
    fn heads_are_read() {
        check(
            "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET",
            "/v1/health",
            "host",
            Some("x"),
        );
        check(
            "GET /v1/me?x=1 HTTP/1.1\r\n\r\n",
            "GET",
            "/v1/me",
            "host",
            None,
        );
        check(
            "\r\nPOST /v1/entries HTTP/1.1\nauthorization:  Bearer ab \n\n",
            "POST",
            "/v1/entries",
            "Authorization",
            Some("Bearer ab"),
        );
    }

    #[test]
    fn broken_heads_are_refused() {
        for (raw, expected) in [
            ("", Ok(None)),
            (
                "GET /\r\n\r\n",
                Err(HeadError::Malformed(
                    "the request line is not METHOD PATH VERSION",
                )),
            ),
            (
                "GET / HTTP/2\r\n\r\n",
                Err(HeadError::Malformed(
                    "only HTTP/1.0 and HTTP/1.1 are spoken",
                )),
            ),
            (
                "GET x HTTP/1.1\r\n\r\n",
                Err(HeadError::Malformed("the request target must be a path")),
            ),
            (
                "GET / HTTP/1.1\r\nbad\r\n\r\n",
                Err(HeadError::Malformed("a header line has no colon")),
            ),
            ("GET / HTTP/1.1\r\nHost: x\r\n", Err(HeadError::Closed)),
        ] {
            assert_eq!(head(raw), expected, "{raw:?}");
        }
        let long = format!(
            "GET / HTTP/1.1\r\nX: {}\r\n\r\n",
            "a".repeat(MAX_HEAD_BYTES)
        );
        assert_eq!(head(&long), Err(HeadError::TooLarge));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: 1\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(head(&many), Err(HeadError::TooLarge));
    }

    #[test]
    fn connection_close_and_lengths() {
        let parse = |raw: &str| head(raw).expect("valid").expect("a head");
        assert!(!parse("GET / HTTP/1.1\r\n\r\n").wants_close());
        assert!(parse("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").wants_close());
        assert!(parse("GET / HTTP/1.0\r\n\r\n").wants_close());
        assert!(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").wants_close());
        assert!(parse("GET / HTTP/1.1\r\nConnection: keep-alive, close\r\n\r\n").wants_close());
        for (raw, expected) in [
            ("POST / HTTP/1.1\r\n\r\n", Ok(0)),
            ("POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n", Ok(12)),
            (
                "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                Ok(usize::MAX),
            ),
            ("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", Err(400)),
            (
                "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                Err(400),
            ),
            (
                "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                Err(411),
            ),
        ] {
            assert_eq!(
                parse(raw).body_length().map_err(|e| e.0),
                expected,
                "{raw:?}"
            );
        }
    }

    #[test]
    fn bodies_are_read_only_within_the_limit() {
        // (bytes on the wire, declared length, limit, result, bytes left unread)
        for (wire, declared, limit, expected, left) in [
            ("hello", 5, 5, Ok(b"hello".to_vec()), 0),
            ("hello", 5, 4, Err(BodyError::TooLarge), 5),
            ("hel", 5, 10, Err(BodyError::Incomplete), 0),
            ("helloNEXT", 5, 10, Ok(b"hello".to_vec()), 4),
        ] {
            let mut reader = wire.as_bytes();
            let mut body = Body::new(&mut reader, declared, None);
            assert_eq!(body.read(limit), expected, "{wire:?}");
            assert_eq!(reader.len(), left, "{wire:?}");
        }
    }

    /// A reader that gives its bytes, then fails as an expired socket
    /// timeout does.
    struct Stalls<'a>(&'a [u8]);

    impl Read for Stalls<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            let n = self.0.len().min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_read_that_times_out_is_told_from_a_closed_connection() {
        let mut reader = io::BufReader::new(Stalls(b"GET / HTTP/1.1\r\nHo"));
        assert_eq!(read_head(&mut reader), Err(HeadError::TimedOut));
        let mut reader = io::BufReader::new(Stalls(b"{\"ids\""));
        let mut body = Body::new(&mut reader, 10, None);
        assert_eq!(body.read(100), Err(BodyError::TimedOut));
        assert!(!body.is_finished());
    }

    #[test]
    fn a_waiting_client_is_told_to_continue_only_when_the_body_is_wanted() {
        let mut interim = Vec::new();
        let mut reader = &b"{}"[..];
        let mut body = Body::new(&mut reader, 2, Some(&mut interim));
        assert_eq!(body.read(1), Err(BodyError::TooLarge));
        assert_eq!(body.read(2), Ok(b"{}".to_vec()));
        assert_eq!(interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[test]
    fn answers_carry_their_length_except_204() {
        let mut out = Vec::new();
        write_answer(&mut out, 201, &[("A", "b".to_owned())], b"{}", false).expect("write");
        assert_eq!(
            out,
            b"HTTP/1.1 201 Created\r\nA: b\r\nContent-Length: 2\r\n\r\n{}"
        );
        let mut out = Vec::new();
        write_answer(&mut out, 204, &[], b"", true).expect("write");
        assert_eq!(out, b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    }
}
