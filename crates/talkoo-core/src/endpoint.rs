//! Which hours-inbox addresses may receive a volunteer's join token: `https:` ones, and plain `http:` only to this device.
//!
//! The app sends the token as `Authorization: Bearer …` to the
//! `hours_endpoint` a feed names, so an address that would carry it
//! unencrypted across a network is refused twice: by feed validation, so a
//! feed naming one is never applied, and by the app before every request, as
//! a membership keeps the address it was joined with.
//!
//! Plain `http:` is allowed to loopback addresses only, for an inbox run on
//! the device itself: `127.0.0.0/8`, `[::1]` and `localhost`. Only those
//! exact spellings count. Browsers read `0x7f000001`, `2130706433`, `127.1`,
//! `0127.0.0.1` (octal, so `87.0.0.1`) and `[0:0:0:0:0:0:0:1]` by rules of
//! their own; refusing every other spelling means this check and the browser
//! can never disagree about where a token goes. For the same reason
//! `[::ffff:127.0.0.1]` (an IPv4-mapped address) is refused: browsers differ
//! on whether it is the device itself, and the app's Content Security Policy
//! does not list it. `*.localhost` and `localhost.` are refused too.
//!
//! No URL crate is compiled into the wasm for this: the parser below reads
//! only scheme, authority and path, and refuses every character that browsers
//! drop or reinterpret (tabs, newlines, spaces, and `\`, which they read as
//! `/`), so `http://evil.example\@127.0.0.1/` cannot pass for a loopback
//! address.

/// Why an address may not be used as an hours inbox. Each message can be
/// shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointProblem {
    /// Not an absolute URL with a scheme, `//` and a host.
    #[error("the inbox address is not a web address such as `https://inbox.example.fi/`")]
    NotUrl,
    /// A scheme other than `https:` or `http:`.
    #[error("the inbox address uses `{scheme}:`; an inbox must use `https:`")]
    Scheme {
        /// The scheme, in lower case.
        scheme: String,
    },
    /// Plain `http:` to a host that is not this device.
    #[error("the inbox address uses plain `http:` to {host}, which would send the volunteer's join token unencrypted; use `https:` (plain `http:` is only for an inbox on this device: 127.x.x.x, [::1] or localhost)")]
    PlainHttp {
        /// The host as written.
        host: String,
    },
    /// A user name or password before `@` in the authority.
    #[error(
        "the inbox address contains a user name or password (`…@`), which must not be part of it"
    )]
    Credentials,
    /// A host that is not a valid host name or IP address.
    #[error("the inbox address's host `{host}` is not a valid host name or IP address")]
    Host {
        /// The host as written.
        host: String,
    },
    /// A port that is not a number from 1 to 65535.
    #[error("the inbox address's port `{port}` is not a number from 1 to 65535")]
    Port {
        /// The port as written.
        port: String,
    },
    /// A `?` query or `#` fragment: request paths are appended to the
    /// address, so they would end up inside the query or fragment.
    #[error(
        "the inbox address must not have a `?` query or `#` fragment (it is the inbox's base URL)"
    )]
    QueryOrFragment,
    /// The path does not end with `/`, so `v1/entries` cannot be appended.
    #[error("the inbox address must end with `/` (it is the inbox's base URL)")]
    NoTrailingSlash,
}

/// Every reason `url` may not be used as an hours inbox; empty when it may.
/// An address that is no `http(s)` URL at all gets that one problem only.
pub fn endpoint_problems(url: &str) -> Vec<EndpointProblem> {
    // Browsers drop tabs and newlines anywhere in a URL, trim spaces, and
    // read `\` as `/`; any of them would make this reading and the browser's
    // differ, so none is allowed. The other characters are never valid
    // unescaped in a URL.
    let unsafe_char = |c: char| {
        c.is_control()
            || c.is_whitespace()
            || matches!(c, '\\' | '"' | '<' | '>' | '^' | '`' | '{' | '|' | '}')
    };
    if url.chars().any(unsafe_char) {
        return vec![EndpointProblem::NotUrl];
    }
    let Some((scheme, rest)) = url.split_once(':') else {
        return vec![EndpointProblem::NotUrl];
    };
    if !is_scheme(scheme) {
        return vec![EndpointProblem::NotUrl];
    }
    let scheme = scheme.to_ascii_lowercase();
    let secure = match scheme.as_str() {
        "https" => true,
        "http" => false,
        _ => return vec![EndpointProblem::Scheme { scheme }],
    };
    // Browsers accept `http:host` and `http:///host` for the special
    // schemes; an address written that way is a mistake worth naming.
    let Some(rest) = rest.strip_prefix("//") else {
        return vec![EndpointProblem::NotUrl];
    };
    let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let mut problems = Vec::new();
    // Browsers take the host from after the last `@`, and so does this.
    let host_port = match authority.rsplit_once('@') {
        Some((_, host_port)) => {
            problems.push(EndpointProblem::Credentials);
            host_port
        }
        None => authority,
    };
    let (host, port) = split_host_port(host_port);
    if host.is_empty() {
        return vec![EndpointProblem::NotUrl];
    }
    let host_ok = is_host(host);
    if !host_ok {
        problems.push(EndpointProblem::Host {
            host: host.to_owned(),
        });
    }
    if let Some(port) = port {
        let ok = (1..=5).contains(&port.len())
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65_535).contains(&p));
        if !ok {
            problems.push(EndpointProblem::Port {
                port: port.to_owned(),
            });
        }
    }
    // With an invalid host there is no telling where the request would go;
    // that problem is already named.
    if !secure && host_ok && !is_loopback(host) {
        problems.push(EndpointProblem::PlainHttp {
            host: host.to_owned(),
        });
    }
    let (path, tail) = path.split_at(path.find(['?', '#']).unwrap_or(path.len()));
    if !tail.is_empty() {
        problems.push(EndpointProblem::QueryOrFragment);
    }
    if !path.ends_with('/') {
        problems.push(EndpointProblem::NoTrailingSlash);
    }
    problems
}

/// `Ok` when the join token may be sent to `url`, otherwise the first of
/// its [`endpoint_problems`]. The app calls this before every request.
pub fn check_endpoint(url: &str) -> Result<(), EndpointProblem> {
    match endpoint_problems(url).into_iter().next() {
        None => Ok(()),
        Some(problem) => Err(problem),
    }
}

/// Whether the join token may be sent to `url`.
pub fn is_allowed_endpoint(url: &str) -> bool {
    endpoint_problems(url).is_empty()
}

/// RFC 3986 scheme syntax: a letter, then letters, digits, `+`, `-`, `.`.
fn is_scheme(scheme: &str) -> bool {
    let mut bytes = scheme.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
}

/// Splits `host[:port]`, keeping an IPv6 literal's brackets on the host. A
/// bracket left open or followed by anything but a port leaves the whole
/// text as the host, which then fails [`is_host`].
fn split_host_port(host_port: &str) -> (&str, Option<&str>) {
    if host_port.starts_with('[') {
        if let Some(close) = host_port.find(']') {
            let (host, after) = host_port.split_at(close + 1);
            if after.is_empty() {
                return (host, None);
            }
            if let Some(port) = after.strip_prefix(':') {
                return (host, Some(port));
            }
        }
        return (host_port, None);
    }
    match host_port.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_port, None),
    }
}

/// A host name of letters (any script, for internationalised names), digits
/// and inner `-` in non-empty dot-separated labels, or a bracketed IPv6
/// literal. An IPv6 literal is checked for its characters only: it is never
/// loopback unless it is exactly `[::1]`, and the browser refuses a
/// malformed one itself.
fn is_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[') {
        return inner.strip_suffix(']').is_some_and(|ip| {
            ip.contains(':')
                && ip.len() <= 45
                && ip
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        });
    }
    host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Whether a valid host is this device, in one of the exact spellings the
/// module's documentation lists.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host == "[::1]"
        || ipv4(host).is_some_and(|[first, ..]| first == 127)
}

/// An IPv4 address in canonical dotted decimal: four parts of 0–255 without
/// leading zeros, which every browser reads the same way.
fn ipv4(host: &str) -> Option<[u8; 4]> {
    let mut octets = [0; 4];
    let mut parts = host.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        let canonical = (1..=3).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'));
        if !canonical {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    parts.next().is_none().then_some(octets)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expects `check_endpoint(input)` to give `expected`, and
    /// `is_allowed_endpoint` to agree.
    fn check(input: &str, expected: Result<(), EndpointProblem>) {
        assert_eq!(check_endpoint(input), expected, "{input:?}");
        assert_eq!(is_allowed_endpoint(input), expected.is_ok(), "{input:?}");
    }

    fn plain_http(host: &str) -> Result<(), EndpointProblem> {
        Err(EndpointProblem::PlainHttp {
            host: host.to_owned(),
        })
    }

    fn scheme(scheme: &str) -> Result<(), EndpointProblem> {
        Err(EndpointProblem::Scheme {
            scheme: scheme.to_owned(),
        })
    }

    fn host(host: &str) -> Result<(), EndpointProblem> {
        Err(EndpointProblem::Host {
            host: host.to_owned(),
        })
    }

    fn port(port: &str) -> Result<(), EndpointProblem> {
        Err(EndpointProblem::Port {
            port: port.to_owned(),
        })
    }

    #[test]
    fn https_anywhere_and_plain_http_on_this_device_are_allowed() {
        check("https://inbox.example.fi/", Ok(()));
        check("https://inbox.example.fi/talkoo/", Ok(()));
        check("https://inbox.example.fi:8443/", Ok(()));
        check("HTTPS://INBOX.EXAMPLE.FI/", Ok(()));
        check("https://93.184.216.34/", Ok(()));
        check("https://[2001:db8::1]:8443/", Ok(()));
        check("https://yhdistys.äänekoski.fi/", Ok(()));
        check("https://xn--nekoski-cxaa.fi/", Ok(()));
        check("https://inbox.example.fi/a@b/", Ok(()));
        check("http://127.0.0.1:8091/", Ok(()));
        check("http://127.0.0.1/", Ok(()));
        check("http://127.255.0.254:80/", Ok(()));
        check("http://localhost:8091/", Ok(()));
        check("HTTP://LocalHost:8091/", Ok(()));
        check("http://[::1]:8091/", Ok(()));
        check("http://[::1]/inbox/", Ok(()));
    }

    #[test]
    fn plain_http_elsewhere_is_refused() {
        check("http://inbox.example.fi/", plain_http("inbox.example.fi"));
        check("HTTP://Inbox.Example.FI/", plain_http("Inbox.Example.FI"));
        check("http://192.168.1.10:8091/", plain_http("192.168.1.10"));
        check(
            "http://127.0.0.1.evil.com/",
            plain_http("127.0.0.1.evil.com"),
        );
        check(
            "http://localhost.evil.com/",
            plain_http("localhost.evil.com"),
        );
        check("http://inbox.localhost/", plain_http("inbox.localhost"));
        // Spellings a browser may read as loopback, or as something else:
        // only the canonical ones count (see the module's documentation).
        check("http://0x7f000001/", plain_http("0x7f000001"));
        check("http://2130706433/", plain_http("2130706433"));
        check("http://127.1/", plain_http("127.1"));
        check("http://0127.0.0.1/", plain_http("0127.0.0.1"));
        check("http://127.0.0.256/", plain_http("127.0.0.256"));
        check(
            "http://[::ffff:127.0.0.1]/",
            plain_http("[::ffff:127.0.0.1]"),
        );
        check("http://[0:0:0:0:0:0:0:1]/", plain_http("[0:0:0:0:0:0:0:1]"));
    }

    #[test]
    fn addresses_that_are_not_plain_base_urls_are_refused() {
        check(
            "https://user:secret@inbox.example.fi/",
            Err(EndpointProblem::Credentials),
        );
        check(
            "http://evil.example@127.0.0.1/",
            Err(EndpointProblem::Credentials),
        );
        // A browser reads `\` as `/`, so this goes to evil.example.
        check(
            "http://evil.example\\@127.0.0.1/",
            Err(EndpointProblem::NotUrl),
        );
        // A browser drops the tab, so this goes to 127.0.0.1.evil.com.
        check("http://127.0.0.1\t.evil.com/", Err(EndpointProblem::NotUrl));
        check(" https://inbox.example.fi/", Err(EndpointProblem::NotUrl));
        check("https://in box.example.fi/", Err(EndpointProblem::NotUrl));
        check("", Err(EndpointProblem::NotUrl));
        check("inbox.example.fi/", Err(EndpointProblem::NotUrl));
        check("https:inbox.example.fi/", Err(EndpointProblem::NotUrl));
        check("https:///v1/", Err(EndpointProblem::NotUrl));
        check("https://:8443/", Err(EndpointProblem::NotUrl));
        check("ftp://inbox.example.fi/", scheme("ftp"));
        check("javascript:alert(1)", scheme("javascript"));
        check("WS://127.0.0.1/", scheme("ws"));
        check(
            "https://inbox.example.fi/v1",
            Err(EndpointProblem::NoTrailingSlash),
        );
        check(
            "https://inbox.example.fi",
            Err(EndpointProblem::NoTrailingSlash),
        );
        check(
            "https://inbox.example.fi/?org=1",
            Err(EndpointProblem::QueryOrFragment),
        );
        check(
            "https://inbox.example.fi/#/",
            Err(EndpointProblem::QueryOrFragment),
        );
        check("https://inbox.example.fi:0/", port("0"));
        check("https://inbox.example.fi:65536/", port("65536"));
        check("http://127.0.0.1:/", port(""));
        check("https://inbox.example.fi:84a/", port("84a"));
        check("https://inbox_1.example.fi/", host("inbox_1.example.fi"));
        check("https://-inbox.example.fi/", host("-inbox.example.fi"));
        check("http://localhost./", host("localhost."));
        check("https://inbox..example.fi/", host("inbox..example.fi"));
        check("https://inbox%2eexample.fi/", host("inbox%2eexample.fi"));
        check("http://[::1/", host("[::1"));
        check("http://[::1]x/", host("[::1]x"));
        check("http://[fe80::1%25eth0]/", host("[fe80::1%25eth0]"));
    }

    #[test]
    fn every_problem_of_an_address_is_listed() {
        assert_eq!(
            endpoint_problems("http://user@inbox.example.fi:99999/v1?x=1"),
            [
                EndpointProblem::Credentials,
                EndpointProblem::Port {
                    port: "99999".into()
                },
                EndpointProblem::PlainHttp {
                    host: "inbox.example.fi".into()
                },
                EndpointProblem::QueryOrFragment,
                EndpointProblem::NoTrailingSlash,
            ]
        );
        assert_eq!(endpoint_problems("https://inbox.example.fi/"), []);
    }

    #[test]
    fn messages_say_what_to_do() {
        let message = |url: &str| check_endpoint(url).expect_err(url).to_string();
        assert_eq!(
            message("http://inbox.example.fi/"),
            "the inbox address uses plain `http:` to inbox.example.fi, which would send \
             the volunteer's join token unencrypted; use `https:` (plain `http:` is only \
             for an inbox on this device: 127.x.x.x, [::1] or localhost)"
        );
        assert_eq!(
            message("https://inbox.example.fi/v1"),
            "the inbox address must end with `/` (it is the inbox's base URL)"
        );
        assert_eq!(
            message("mailto:inbox@example.fi"),
            "the inbox address uses `mailto:`; an inbox must use `https:`"
        );
    }
}
