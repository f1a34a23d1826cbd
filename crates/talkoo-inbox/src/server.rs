//! The listening side: accepts connections, reads requests, sends answers, and stops cleanly when asked.
//!
//! One thread per connection, at most [`MAX_CONNECTIONS`] at once: a
//! volunteering network's inbox sees a handful of phones at a time, and a
//! browser keeps a connection open between requests, so a fixed pool of a
//! few threads would sit waiting on idle phones. Timeouts end connections
//! that go quiet, so a stalled client cannot hold a thread for long, and
//! every request has a deadline from its first byte, so neither can a
//! client that trickles a byte just often enough never to go quiet.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::api::{Answer, Api, Fault, Reply};
use crate::http::{self, Body, HeadError};
use crate::limit::{Clock, Limits, SystemClock};
use crate::store::Inbox;
use crate::InboxError;

/// Connections served at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 64;

/// How long a connection may stay silent, between requests or within one.
const IDLE_TIMEOUT: Duration = Duration::from_secs(15);

/// How long a request may take to arrive, from its first byte to its
/// last, unless configured otherwise. A phone on a poor connection sends a
/// few kilobytes in well under this.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(30);

/// How a server behaves besides its database and address.
#[derive(Debug, Clone)]
pub struct Config {
    /// The failure to play (the app's end-to-end tests).
    pub fault: Fault,
    /// How long a request may take to arrive from its first byte.
    pub request_deadline: Duration,
    /// The rate limits.
    pub limits: Limits,
    /// Whether the peer is a reverse proxy whose `X-Forwarded-For` names
    /// the client.
    pub trust_proxy: bool,
    /// Where the rate limits' time comes from.
    pub clock: Arc<dyn Clock>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            fault: Fault::None,
            request_deadline: REQUEST_DEADLINE,
            limits: Limits::default(),
            trust_proxy: false,
            clock: Arc::new(SystemClock),
        }
    }
}

impl Config {
    /// The default configuration playing `fault`.
    pub fn with_fault(fault: Fault) -> Config {
        Config {
            fault,
            ..Config::default()
        }
    }
}

/// How long, and how many bytes, a connection closed before its body was
/// read is drained, so the client reads the answer instead of a reset.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 1024 * 1024;

type Open = Arc<Mutex<HashMap<u64, TcpStream>>>;

/// A running server; dropping it stops it.
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    open: Open,
    accept: Option<JoinHandle<()>>,
}

impl Running {
    /// The address it listens on, with the real port when 0 was asked for.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Blocks while the server runs (for the command line, for ever).
    pub fn wait(mut self) {
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // The accept loop only looks at the flag when a connection comes in.
        let _ = TcpStream::connect(wake_address(self.addr));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        for stream in lock(&self.open).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// Where to connect to reach a listener, which may be bound to all addresses.
fn wake_address(addr: SocketAddr) -> SocketAddr {
    let mut target = addr;
    if addr.ip().is_unspecified() {
        target.set_ip(match addr {
            SocketAddr::V4(_) => [127, 0, 0, 1].into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    target
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts serving the protocol over `inbox` on `addr` (`127.0.0.1:0` picks
/// a free port). Returns once connections are accepted.
pub fn start(inbox: Inbox, addr: &str, config: &Config) -> Result<Running, InboxError> {
    let listener = TcpListener::bind(addr).map_err(|source| InboxError::Listen {
        addr: addr.to_owned(),
        source,
    })?;
    let local = listener.local_addr().map_err(|source| InboxError::Listen {
        addr: addr.to_owned(),
        source,
    })?;
    let api = Arc::new(Api::new(inbox, config));
    let deadline = config.request_deadline;
    let stop = Arc::new(AtomicBool::new(false));
    let open: Open = Arc::default();
    let accept = {
        let (stop, open) = (stop.clone(), open.clone());
        std::thread::Builder::new()
            .name("talkoo-inbox-accept".to_owned())
            .spawn(move || accept_loop(&listener, &api, deadline, &stop, &open))
            .map_err(|source| InboxError::Listen {
                addr: addr.to_owned(),
                source,
            })?
    };
    Ok(Running {
        addr: local,
        stop,
        open,
        accept: Some(accept),
    })
}

fn accept_loop(
    listener: &TcpListener,
    api: &Arc<Api>,
    deadline: Duration,
    stop: &AtomicBool,
    open: &Open,
) {
    let next_id = AtomicU64::new(0);
    loop {
        let accepted = listener.accept();
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok((mut stream, peer)) = accepted else {
            // A client that gave up between connecting and being accepted.
            continue;
        };
        let id = next_id.fetch_add(1, Ordering::Relaxed);
        {
            let mut open = lock(open);
            if open.len() >= MAX_CONNECTIONS {
                let busy = Answer::error(503, "busy", "the inbox is busy; try again in a minute");
                let _ =
                    http::write_answer(&mut stream, busy.status, &busy.headers, &busy.body, true);
                continue;
            }
            match stream.try_clone() {
                Ok(clone) => open.insert(id, clone),
                Err(_) => continue,
            };
        }
        let (api, registry) = (api.clone(), open.clone());
        let spawned = std::thread::Builder::new()
            .name("talkoo-inbox-connection".to_owned())
            .spawn(move || {
                serve_connection(&api, &stream, peer, deadline);
                lock(&registry).remove(&id);
            });
        if spawned.is_err() {
            lock(open).remove(&id);
        }
    }
}

/// A connection's reading side: every read waits at most the idle
/// timeout, and, while a request is arriving, no longer than that
/// request's deadline. Socket timeouts bound one read only, so the deadline
/// is turned into the timeout of each read in turn.
struct Timed<'a> {
    stream: &'a TcpStream,
    deadline: Option<Instant>,
}

impl Read for Timed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut timeout = IDLE_TIMEOUT;
        if let Some(deadline) = self.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            // A zero timeout would mean none at all to the system.
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            timeout = timeout.min(left);
        }
        self.stream.set_read_timeout(Some(timeout))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}

/// Serves requests on one connection until the client closes it, asks for
/// it to close, goes quiet, or a request leaves the stream unusable. Each
/// request's deadline starts when its first byte is there to read.
fn serve_connection(api: &Api, stream: &TcpStream, peer: SocketAddr, deadline: Duration) {
    let _ = stream.set_write_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(Timed {
        stream,
        deadline: None,
    });
    let mut writer = stream;
    loop {
        reader.get_mut().deadline = None;
        match reader.fill_buf() {
            Ok([]) | Err(_) => return,
            Ok(_) => {}
        }
        reader.get_mut().deadline = Some(Instant::now() + deadline);
        let head = match http::read_head(&mut reader) {
            Ok(Some(head)) => head,
            Ok(None) | Err(HeadError::Closed) => return,
            Err(HeadError::TimedOut) => {
                eprintln!("{peer} sent no whole request head in time; closed");
                return finish(stream, &mut reader, &Answer::timed_out(), false);
            }
            Err(HeadError::TooLarge) => {
                let answer = Answer::error(431, "too-large", "the request head is too large");
                return finish(stream, &mut reader, &answer, false);
            }
            Err(HeadError::Malformed(why)) => {
                let answer = Answer::error(400, "malformed", why);
                return finish(stream, &mut reader, &answer, false);
            }
        };
        let length = match head.body_length() {
            Ok(length) => length,
            Err((status, why)) => {
                let code = if status == 411 {
                    "length-required"
                } else {
                    "malformed"
                };
                let answer = Answer::error(status, code, why);
                return finish(stream, &mut reader, &answer, false);
            }
        };
        let expects_continue = head
            .header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
        let mut continue_to = stream;
        let mut body = Body::new(
            &mut reader,
            length,
            expects_continue.then_some(&mut continue_to as &mut dyn Write),
        );
        let reply = api.handle(peer.ip(), &head, &mut body);
        let finished = body.is_finished();
        let answer = match reply {
            Reply::Hangup => {
                eprintln!(
                    "{} {} closed without an answer (fault mode)",
                    head.method.escape_debug(),
                    head.path().escape_debug()
                );
                let _ = stream.shutdown(Shutdown::Both);
                return;
            }
            Reply::Answer(answer) => answer,
        };
        // Paths come from clients; escaping keeps one request on one log line.
        eprintln!(
            "{} {} {}",
            head.method.escape_debug(),
            head.path().escape_debug(),
            answer.status
        );
        if !finished || head.wants_close() || api.closes_connections() {
            return finish(stream, &mut reader, &answer, finished);
        }
        if http::write_answer(
            &mut writer,
            answer.status,
            &answer.headers,
            &answer.body,
            false,
        )
        .is_err()
        {
            return;
        }
    }
}

/// Sends a last answer and closes. When the request's body was left unread,
/// the rest of it is drained for a moment first: closing a socket with
/// unread input makes the system send a reset, which can destroy the answer
/// before the client reads it.
fn finish(
    stream: &TcpStream,
    reader: &mut BufReader<Timed<'_>>,
    answer: &Answer,
    body_finished: bool,
) {
    let mut writer = stream;
    let _ = http::write_answer(
        &mut writer,
        answer.status,
        &answer.headers,
        &answer.body,
        true,
    );
    let _ = stream.shutdown(Shutdown::Write);
    if !body_finished {
        // The drain has a deadline of its own, which also ends a request's
        // that already passed.
        reader.get_mut().deadline = Some(Instant::now() + LINGER);
        let mut drained = 0;
        let mut buffer = [0u8; 8192];
        while drained < LINGER_BYTES {
            match reader.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}
