//! A minimal HTTP/1.1 server on `std::net`: one thread per connection,
//! at most [`MAX_CONNECTIONS`] at once (more get `503` straight away),
//! `GET`/`HEAD` only, no request bodies, keep-alive with an idle timeout.
//! Enough for Prometheus and curl, and no async runtime to build.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 16;
/// How long a read may wait: the request head, and the idle time between
/// two requests of a kept-alive connection.
const READ_TIMEOUT: Duration = Duration::from_secs(15);
const WRITE_TIMEOUT: Duration = Duration::from_secs(15);
/// Longest request head accepted (request line plus headers).
const MAX_HEAD: usize = 16 * 1024;
/// Requests served on one connection before it is closed.
const MAX_REQUESTS: usize = 1000;

/// One parsed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path without the query string.
    pub path: String,
    /// When the request head had been read.
    pub arrived: Instant,
}

/// What a handler answers.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Arc<String>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<String>) -> Self {
        Response {
            status,
            content_type,
            body: Arc::new(body.into()),
        }
    }

    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Self::new(status, "text/plain; charset=utf-8", body)
    }
}

pub type Handler = dyn Fn(&Request) -> Response + Send + Sync;

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// Accepts connections forever (returns only if accepting fails for good).
pub fn serve(listener: TcpListener, handler: Arc<Handler>) -> io::Result<()> {
    let active = Arc::new(AtomicUsize::new(0));
    let mut consecutive_errors = 0u32;
    loop {
        let stream = match listener.accept() {
            Ok((s, _)) => {
                consecutive_errors = 0;
                s
            }
            Err(e) => {
                // EMFILE and friends: back off, give up only if it lasts.
                consecutive_errors += 1;
                if consecutive_errors > 1000 {
                    return Err(e);
                }
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            refuse(stream);
            continue;
        }
        let guard = Slot(Arc::clone(&active));
        let handler = Arc::clone(&handler);
        let spawned = thread::Builder::new()
            .name("psutil-serve-conn".into())
            .spawn(move || {
                let _guard = guard;
                let _ = connection(stream, &*handler);
            });
        // On failure the closure (and so the slot) was dropped.
        if spawned.is_err() {
            thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Answers 503 on the accepting thread, briefly: the answer, then the
/// request is drained (closing with unread data would reset the connection
/// before the client reads the answer).
fn refuse(mut s: TcpStream) {
    let _ = s.set_write_timeout(Some(Duration::from_millis(200)));
    let _ = s.set_read_timeout(Some(Duration::from_millis(100)));
    let r = Response::text(503, "too many connections\n");
    if write_response(&mut s, &r, false, true).is_ok() {
        let _ = s.shutdown(Shutdown::Write);
        let mut buf = [0u8; 4096];
        let deadline = Instant::now() + Duration::from_millis(200);
        while Instant::now() < deadline {
            match s.read(&mut buf) {
                Ok(n) if n > 0 => {}
                _ => break,
            }
        }
    }
}

/// Frees a connection slot when the connection's thread ends.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A request head, or why it could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum Head {
    Request {
        req: Request,
        /// The client wants the connection kept (HTTP/1.1 without
        /// `Connection: close`, or HTTP/1.0 with `keep-alive`).
        keep_alive: bool,
        /// Declared body length (to discard).
        content_length: usize,
    },
    /// The peer closed the connection before a new request.
    Closed,
    /// Malformed: answer with this status and close.
    Bad(u16),
}

/// Reads one request head from `r`.
pub fn read_head(r: &mut impl BufRead) -> io::Result<Head> {
    let mut head_len = 0usize;
    let mut line = Vec::new();
    let mut first: Option<String> = None;
    let mut keep_alive_hdr: Option<bool> = None;
    let mut content_length = 0usize;
    loop {
        line.clear();
        let n = r
            .by_ref()
            .take((MAX_HEAD - head_len + 1) as u64)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(if first.is_none() && head_len == 0 {
                Head::Closed
            } else {
                Head::Bad(400)
            });
        }
        head_len += n;
        if head_len > MAX_HEAD {
            return Ok(Head::Bad(431));
        }
        if !line.ends_with(b"\n") {
            // The peer closed mid-line.
            return Ok(Head::Bad(400));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if first.is_none() {
            // Tolerate empty lines before the request line (RFC 9112 2.2).
            if !text.is_empty() {
                first = Some(text.to_string());
            }
            continue;
        }
        if text.is_empty() {
            break;
        }
        let Some((name, value)) = text.split_once(':') else {
            return Ok(Head::Bad(400));
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("connection") {
            let v = value.to_ascii_lowercase();
            if v.split(',').any(|t| t.trim() == "close") {
                keep_alive_hdr = Some(false);
            } else if v.split(',').any(|t| t.trim() == "keep-alive") {
                keep_alive_hdr = Some(true);
            }
        } else if name.eq_ignore_ascii_case("content-length") {
            match value.parse::<usize>() {
                Ok(n) => content_length = n,
                Err(_) => return Ok(Head::Bad(400)),
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Ok(Head::Bad(501));
        }
    }
    let first = first.unwrap_or_default();
    let mut parts = first.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(Head::Bad(400));
    };
    let keep_alive = match version {
        "HTTP/1.1" => keep_alive_hdr.unwrap_or(true),
        "HTTP/1.0" => keep_alive_hdr.unwrap_or(false),
        _ => return Ok(Head::Bad(400)),
    };
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Ok(Head::Bad(400));
    }
    Ok(Head::Request {
        req: Request {
            method: method.to_string(),
            path: path.to_string(),
            arrived: Instant::now(),
        },
        keep_alive,
        content_length,
    })
}

fn connection(stream: TcpStream, handler: &Handler) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    for n in 1..=MAX_REQUESTS {
        let (req, keep_alive, content_length) = match read_head(&mut reader)? {
            Head::Closed => break,
            Head::Bad(status) => {
                let r = Response::text(status, format!("{}\n", reason(status)));
                write_response(&mut writer, &r, false, true)?;
                break;
            }
            Head::Request {
                req,
                keep_alive,
                content_length,
            } => (req, keep_alive, content_length),
        };
        // GET and HEAD carry no body; accept a small one and drop it.
        if content_length > 64 * 1024 {
            let r = Response::text(413, "request body too large\n");
            write_response(&mut writer, &r, false, true)?;
            break;
        }
        io::copy(
            &mut reader.by_ref().take(content_length as u64),
            &mut io::sink(),
        )?;
        let keep_alive = keep_alive && n < MAX_REQUESTS;
        let head_only = req.method == "HEAD";
        let resp = if req.method == "GET" || head_only {
            handler(&req)
        } else {
            Response::text(405, "only GET and HEAD\n")
        };
        write_response(&mut writer, &resp, head_only, !keep_alive)?;
        if !keep_alive {
            break;
        }
    }
    let _ = writer.shutdown(Shutdown::Write);
    Ok(())
}

fn write_response(
    w: &mut impl Write,
    r: &Response,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len(),
        if close { "close" } else { "keep-alive" },
    );
    if r.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    if r.status == 503 {
        head.push_str("Retry-After: 1\r\n");
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes())?;
    if !head_only {
        w.write_all(r.body.as_bytes())?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(s: &str) -> Head {
        read_head(&mut io::Cursor::new(s.as_bytes().to_vec())).unwrap()
    }

    #[test]
    fn parses_requests() {
        match head("GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n") {
            Head::Request {
                req, keep_alive, ..
            } => {
                assert_eq!(
                    (req.method.as_str(), req.path.as_str()),
                    ("GET", "/metrics")
                );
                assert!(keep_alive);
            }
            h => panic!("{h:?}"),
        }
        match head("GET / HTTP/1.0\n\n") {
            Head::Request { keep_alive, .. } => assert!(!keep_alive),
            h => panic!("{h:?}"),
        }
        match head("GET / HTTP/1.1\r\nConnection: Close\r\nContent-Length: 3\r\n\r\nabc") {
            Head::Request {
                keep_alive,
                content_length,
                ..
            } => assert!(!keep_alive && content_length == 3),
            h => panic!("{h:?}"),
        }
    }

    #[test]
    fn rejects_bad_heads() {
        assert_eq!(head(""), Head::Closed);
        assert_eq!(head("GET /"), Head::Bad(400));
        assert_eq!(head("GET / HTTP/1.1\r\n"), Head::Bad(400));
        assert_eq!(head("GET /\r\n\r\n"), Head::Bad(400));
        assert_eq!(head("GET x HTTP/1.1\r\n\r\n"), Head::Bad(400));
        assert_eq!(head("GET / HTTP/2\r\n\r\n"), Head::Bad(400));
        assert_eq!(head("GET / HTTP/1.1\r\nbad header\r\n\r\n"), Head::Bad(400));
        assert_eq!(
            head("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Head::Bad(501)
        );
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(head(&huge), Head::Bad(431));
    }

    #[test]
    fn writes_responses() {
        let mut out = Vec::new();
        write_response(&mut out, &Response::text(404, "nope\n"), false, true).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Length: 5\r\nConnection: close\r\n\r\nnope\n"
        );
        let mut out = Vec::new();
        write_response(&mut out, &Response::text(200, "abc"), true, false).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("Content-Length: 3\r\n") && s.ends_with("\r\n\r\n"));
    }
}
