//! Regression test (issue 13): every connection is answered, however many idle keep-alive connections a browser holds open.
//!
//! talkoo-serve used tiny_http, which read each connection on a thread of
//! a pool. When two connections arrived together while one pool thread was
//! free, the second could be queued behind connections that browsers keep
//! open, and was never read. In the end-to-end tests a page's sync worker
//! script or its service worker's precache then waited forever (about one
//! test in fifty, more when the page's first paint came earlier).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running talkoo-serve, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_talkoo-serve"))
        .arg("--dir")
        .arg(dir)
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("talkoo-serve starts");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("its first line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("the address")
        .to_owned();
    Server { child, addr }
}

/// One keep-alive connection, as a browser holds it.
struct Connection {
    stream: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Connection {
    fn open(addr: &str) -> Connection {
        let stream = TcpStream::connect(addr).expect("connects");
        // Long enough for a loaded machine, far shorter than "never".
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let reader = BufReader::new(stream.try_clone().expect("clone"));
        Connection { stream, reader }
    }

    /// Sends a GET and reads the whole answer; its status, or the error
    /// that ended the wait.
    fn get(&mut self, path: &str) -> Result<u16, String> {
        write!(self.stream, "GET {path} HTTP/1.1\r\nHost: test\r\n\r\n")
            .map_err(|e| e.to_string())?;
        let mut status = None;
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.reader
                .read_line(&mut line)
                .map_err(|e| format!("no answer: {e}"))?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if status.is_none() {
                status = line.split(' ').nth(1).and_then(|s| s.parse().ok());
            } else if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        self.reader
            .read_exact(&mut body)
            .map_err(|e| e.to_string())?;
        status.ok_or_else(|| "no status line".to_owned())
    }
}

fn site() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("talkoo-serve-connections-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("site folder");
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Talkoo</title>",
    )
    .expect("index.html");
    dir
}

#[test]
fn connections_arriving_together_are_all_answered_while_others_stay_open() {
    let dir = site();
    for round in 0..30 {
        let server = start(&dir);
        // Idle connections, kept open after a page's first requests.
        let mut idle: Vec<Connection> = (0..3).map(|_| Connection::open(&server.addr)).collect();
        for connection in &mut idle {
            assert_eq!(connection.get("/"), Ok(200));
        }
        // Several at once, as a service worker's precache opens them.
        let mut burst: Vec<Connection> = (0..4).map(|_| Connection::open(&server.addr)).collect();
        for (i, connection) in burst.iter_mut().enumerate() {
            assert_eq!(
                connection.get("/"),
                Ok(200),
                "round {round}, connection {i} of the burst"
            );
        }
        // The idle ones still work.
        for connection in &mut idle {
            assert_eq!(connection.get("/index.html"), Ok(200));
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}
