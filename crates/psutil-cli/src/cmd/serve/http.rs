//! The HTTP/1.1 server of `psutil serve`: one thread, one epoll loop over
//! non-blocking sockets. `GET`/`HEAD` only, small request bodies discarded,
//! keep-alive and pipelining.
//!
//! Why not hyper (on tokio)? A minimal hyper 1 + tokio server builds in
//! ~25 s of CPU in release on the dev machine (+24 % over the whole
//! `psutil` binary's ~104 s), and still leaves the part that matters here
//! to write: a connection cap with eviction, and deadlines per request
//! rather than per read. rustix (already in the build through the library)
//! gives epoll and `accept4`, so the loop below costs no new crates.
//!
//! Why this shape: misbehaving clients must not starve a well-behaved
//! scraper, so nothing a client does may hold a thread or a slot for long.
//! - Every connection is accepted, up to [`Limits::max_connections`]; past
//!   that, the connection that made progress least recently (a complete
//!   request, response bytes written; trickled head bytes don't count) is
//!   closed to make room, so a flood of silent or slow connections
//!   displaces itself, never a newcomer.
//! - A request head has [`Limits::head_timeout`] from accept (or from the
//!   first byte of a kept-alive connection's next request) to arrive whole,
//!   however its bytes are spaced, and at most [`MAX_HEAD`] bytes.
//! - Kept-alive connections are closed after [`Limits::idle_timeout`]
//!   without a request, and answered `Connection: close` when more than
//!   3/4 of the slots are taken.
//! - Responses are written without blocking, one per connection at a time
//!   (the body is shared, not copied), within [`Limits::write_timeout`];
//!   a connection's next request is not read before its response is out.
//! - Requests completed in one turn of the loop are answered together, so
//!   concurrent scrapes share one collection (see `Exporter::metrics`).
//!   The collection runs on the loop's thread: collections are one at a
//!   time anyway, a few ms each, and meanwhile the kernel queues new
//!   connections ([`BACKLOG`]) and bytes; no hand-off, no second thread.

use std::collections::BTreeMap;
use std::io::{self, IoSlice, Read};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::fd::OwnedFd;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustix::event::epoll;
use rustix::io::Errno;
use rustix::net::{SendAncillaryBuffer, SendFlags, SocketFlags};

/// Default for [`Limits::max_connections`].
pub const MAX_CONNECTIONS: usize = 1024;
/// Longest request head accepted (request line plus headers).
pub const MAX_HEAD: usize = 16 * 1024;
/// Most header lines in a request.
const MAX_HEADERS: usize = 64;
/// Largest request body accepted (and discarded): GET and HEAD need none.
const MAX_BODY: usize = 64 * 1024;
/// After a `Connection: close` response, how long unread request bytes
/// are drained before closing (closing with unread data sends a reset,
/// which can destroy the response before the client reads it).
const DRAIN_TIMEOUT: Duration = Duration::from_secs(1);
/// Connections accepted per turn of the loop, so that a flood of new
/// connections cannot delay reading the ones already accepted.
const ACCEPT_BATCH: usize = 32;
/// How often deadlines are checked.
const SWEEP_EVERY: Duration = Duration::from_millis(100);
/// Listen backlog (std's is 128): room for bursts while a collection runs.
const BACKLOG: i32 = 1024;
/// epoll data of the listening socket; connections use slab tokens.
const LISTENER: u64 = u64::MAX;

/// The server's limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections held at once.
    pub max_connections: usize,
    /// Time for a request head (and body) to arrive whole.
    pub head_timeout: Duration,
    /// Time a kept-alive connection may wait for its next request.
    pub idle_timeout: Duration,
    /// Time for a response to be written whole.
    pub write_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: MAX_CONNECTIONS,
            head_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(20),
            write_timeout: Duration::from_secs(10),
        }
    }
}

/// One request, as the handler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET` or `HEAD` (others are answered 405 without the handler).
    pub method: String,
    /// The path without the query string.
    pub path: String,
    /// When the request was taken up: a collection started since then is
    /// fresh enough for it.
    pub arrived: Instant,
}

/// What a handler answers.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: &'static str,
    /// The body, shared with other responses of the same collection.
    pub body: Arc<String>,
}

impl Response {
    /// A response with a body of its own.
    pub fn new(status: u16, content_type: &'static str, body: impl Into<String>) -> Self {
        Response {
            status,
            content_type,
            body: Arc::new(body.into()),
        }
    }

    /// A plain-text response.
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Self::new(status, "text/plain; charset=utf-8", body)
    }
}

/// Answers requests; called on the server's thread.
pub type Handler = dyn Fn(&Request) -> Response;

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

// ---- parsing -----------------------------------------------------------

/// A parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The request method, as sent (methods are case-sensitive).
    pub method: String,
    /// The path of the target, without query or fragment.
    pub path: String,
    /// The client wants the connection kept (HTTP/1.1 without
    /// `Connection: close`, or HTTP/1.0 with `keep-alive`).
    pub keep_alive: bool,
    /// Declared body length.
    pub content_length: usize,
}

fn is_blank(b: u8) -> bool {
    b == b'\r' || b == b'\n'
}

/// Where the head at the start of `buf` ends (just past its empty line),
/// if it is complete. Empty lines before the request line are skipped
/// (RFC 9112 §2.2). `from`: bytes already searched without success, so a
/// head trickled byte by byte is not scanned again and again.
pub fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    let start = buf.iter().position(|&b| !is_blank(b))?;
    // A terminator may straddle the last search's end by two bytes.
    let mut i = from.saturating_sub(2).max(start);
    while let Some(off) = buf.get(i..)?.iter().position(|&b| b == b'\n') {
        let lf = i + off;
        match (buf.get(lf + 1), buf.get(lf + 2)) {
            (Some(b'\n'), _) => return Some(lf + 2),
            (Some(b'\r'), Some(b'\n')) => return Some(lf + 3),
            _ => i = lf + 1,
        }
    }
    None
}

/// `tchar` of RFC 9110 §5.6.2: what names and methods are made of.
fn is_token(s: &[u8]) -> bool {
    !s.is_empty()
        && s.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A field value: visible characters, spaces, tabs, obs-text; no controls.
fn is_field_value(s: &[u8]) -> bool {
    s.iter().all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// Parses a complete head (as delimited by [`head_end`]); on error, the
/// status to answer before closing. Strict where leniency lets a request
/// be read two ways (RFC 9112 §6.3): a duplicate or malformed
/// `Content-Length`, `Transfer-Encoding` beside it, whitespace before a
/// colon, obsolete line folding, stray CRs and controls are all 400.
pub fn parse_head(raw: &[u8]) -> Result<Head, u16> {
    let start = raw.iter().position(|&b| !is_blank(b)).ok_or(400u16)?;
    let mut lines = raw[start..]
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let request_line = lines.next().ok_or(400u16)?;
    let mut parts = request_line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if !is_token(method) {
        return Err(400);
    }
    let http11 = match version {
        b"HTTP/1.1" => true,
        b"HTTP/1.0" => false,
        // A later 1.x speaks 1.1 to us (RFC 9110 §6.2).
        [b'H', b'T', b'T', b'P', b'/', b'1', b'.', d] if d.is_ascii_digit() => true,
        [b'H', b'T', b'T', b'P', b'/', a, b'.', b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            return Err(505)
        }
        _ => return Err(400),
    };
    let path = target_path(target).ok_or(400u16)?;

    let mut keep_alive = http11;
    let mut content_length: Option<usize> = None;
    let mut transfer_encoding = false;
    let mut hosts = 0;
    let mut count = 0;
    for line in lines {
        if line.is_empty() {
            break;
        }
        count += 1;
        if count > MAX_HEADERS {
            return Err(431);
        }
        // No colon, whitespace before it, or a folded continuation line.
        let colon = line.iter().position(|&b| b == b':').ok_or(400u16)?;
        let (name, value) = (&line[..colon], trim_ows(&line[colon + 1..]));
        if !is_token(name) || !is_field_value(value) {
            return Err(400);
        }
        if name.eq_ignore_ascii_case(b"content-length") {
            // A second one, even equal, or a list: reject, don't guess.
            if content_length.is_some() || value.is_empty() || !value.iter().all(u8::is_ascii_digit)
            {
                return Err(400);
            }
            let n = std::str::from_utf8(value)
                .ok()
                .and_then(|s| s.parse::<usize>().ok())
                .ok_or(400u16)?;
            content_length = Some(n);
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            transfer_encoding = true;
        } else if name.eq_ignore_ascii_case(b"host") {
            hosts += 1;
        } else if name.eq_ignore_ascii_case(b"connection") {
            for token in value.split(|&b| b == b',').map(trim_ows) {
                if token.eq_ignore_ascii_case(b"close") {
                    keep_alive = false;
                } else if token.eq_ignore_ascii_case(b"keep-alive") && !http11 {
                    keep_alive = true;
                }
            }
        }
    }
    // RFC 9112 §3.2: exactly one Host in 1.1, at most one in 1.0.
    if hosts > 1 || (http11 && hosts == 0) {
        return Err(400);
    }
    if transfer_encoding {
        // Both framings at once is how requests are smuggled; chunked
        // request bodies are not implemented (nothing here takes a body).
        return Err(if content_length.is_some() || !http11 {
            400
        } else {
            501
        });
    }
    Ok(Head {
        method: String::from_utf8_lossy(method).into_owned(),
        path,
        keep_alive,
        content_length: content_length.unwrap_or(0),
    })
}

/// The path of a request target in origin form (`/p?q`) or absolute form
/// (`http://host/p?q`, RFC 9112 §3.2.2); `*` for OPTIONS.
fn target_path(target: &[u8]) -> Option<String> {
    if target.is_empty() || !target.iter().all(|&b| b.is_ascii_graphic()) {
        return None;
    }
    let s = std::str::from_utf8(target).ok()?;
    if s == "*" {
        return Some(s.to_string());
    }
    let path = if s.starts_with('/') {
        s
    } else {
        let lower = s.get(..8)?.to_ascii_lowercase();
        let rest = if lower.starts_with("http://") {
            &s[7..]
        } else if lower.starts_with("https://") {
            &s[8..]
        } else {
            return None;
        };
        match rest.find(['/', '?', '#']) {
            Some(i) if rest[i..].starts_with('/') => &rest[i..],
            _ => "/",
        }
    };
    Some(path.split(['?', '#']).next().unwrap_or("/").to_string())
}

/// The status line and headers of a response.
fn response_head(r: &Response, close: bool) -> Vec<u8> {
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
    head.push_str("\r\n");
    head.into_bytes()
}

// ---- the event loop ------------------------------------------------------

/// A response being written.
struct Out {
    head: Vec<u8>,
    /// None for HEAD.
    body: Option<Arc<String>>,
    /// Bytes written so far (head first, then body).
    pos: usize,
    /// Close the connection once written.
    close: bool,
}

enum State {
    /// Reading a request head. `idle`: a kept-alive connection between
    /// requests (no byte of the next one yet).
    Head {
        idle: bool,
    },
    /// Discarding `left` bytes of the body of a request, then serving it.
    Body {
        left: usize,
        head: Head,
    },
    /// A complete request, answered at the end of this turn.
    Ready(Head),
    Write(Out),
    /// Written a response with `Connection: close`; reading until the
    /// peer closes, or the deadline.
    Drain,
}

struct Conn {
    stream: TcpStream,
    state: State,
    /// Bytes read and not yet consumed (a head in progress, or pipelined
    /// requests); at most [`MAX_HEAD`].
    buf: Vec<u8>,
    /// How much of `buf` was searched for a head's end.
    scanned: usize,
    /// When the current state times out.
    deadline: Instant,
    /// Key in `Server::lru`.
    lru: u64,
    /// Registered epoll interest.
    writing: bool,
}

/// A slab slot; the generation goes into the epoll token so that an event
/// for a closed connection can't reach the next one in the same slot.
struct Slot {
    gen: u32,
    conn: Option<Conn>,
}

struct Server {
    listener: TcpListener,
    epoll: OwnedFd,
    limits: Limits,
    slots: Vec<Slot>,
    free: Vec<usize>,
    open: usize,
    /// Connections by last progress, oldest first: who to evict.
    lru: BTreeMap<u64, usize>,
    tick: u64,
    /// Tokens of connections in `State::Ready`.
    ready: Vec<u64>,
    /// The batch `answer_ready` works through (swapped with `ready`, so
    /// that neither is allocated again each turn).
    answering: Vec<u64>,
    /// Accepting stopped (out of fds) until then.
    accept_paused: Option<Instant>,
    next_sweep: Instant,
}

/// Serves forever; returns only if waiting for events fails.
pub fn serve(listener: TcpListener, limits: Limits, handler: &Handler) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    // Re-listening on a listening socket just resizes its backlog.
    rustix::net::listen(&listener, BACKLOG)?;
    let epoll = epoll::create(epoll::CreateFlags::CLOEXEC)?;
    epoll::add(
        &epoll,
        &listener,
        epoll::EventData::new_u64(LISTENER),
        epoll::EventFlags::IN,
    )?;
    let mut s = Server {
        listener,
        epoll,
        limits: Limits {
            max_connections: limits.max_connections.max(1),
            ..limits
        },
        slots: Vec::new(),
        free: Vec::new(),
        open: 0,
        lru: BTreeMap::new(),
        tick: 0,
        ready: Vec::new(),
        answering: Vec::new(),
        accept_paused: None,
        next_sweep: Instant::now(),
    };
    let mut events = Vec::with_capacity(256);
    let mut scratch = vec![0u8; MAX_HEAD];
    loop {
        let now = Instant::now();
        let wait = if s.ready.is_empty() {
            s.next_sweep.saturating_duration_since(now)
        } else {
            Duration::ZERO
        };
        let timeout = rustix::event::Timespec::try_from(wait).unwrap_or(rustix::event::Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        });
        events.clear();
        match epoll::wait(
            &s.epoll,
            rustix::buffer::spare_capacity(&mut events),
            Some(&timeout),
        ) {
            Ok(_) | Err(Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
        for ev in &events {
            let token = ev.data.u64();
            if token == LISTENER {
                s.accept(&mut scratch);
            } else {
                s.on_event(token, &mut scratch);
            }
        }
        s.answer_ready(handler);
        if Instant::now() >= s.next_sweep {
            s.sweep();
        }
    }
}

fn token(idx: usize, gen: u32) -> u64 {
    (u64::from(gen) << 32) | idx as u64
}

impl Server {
    fn conn(&mut self, idx: usize) -> Option<&mut Conn> {
        self.slots.get_mut(idx)?.conn.as_mut()
    }

    /// The slot index of a live token.
    fn live(&self, token: u64) -> Option<usize> {
        let idx = (token & 0xffff_ffff) as usize;
        let slot = self.slots.get(idx)?;
        (slot.conn.is_some() && u64::from(slot.gen) == token >> 32).then_some(idx)
    }

    fn token_of(&self, idx: usize) -> u64 {
        token(idx, self.slots.get(idx).map_or(0, |s| s.gen))
    }

    /// Records progress: moves the connection to the young end of the LRU.
    fn touch(&mut self, idx: usize) {
        self.tick += 1;
        let tick = self.tick;
        if let Some(c) = self.conn(idx) {
            let old = std::mem::replace(&mut c.lru, tick);
            self.lru.remove(&old);
            self.lru.insert(tick, idx);
        }
    }

    fn close(&mut self, idx: usize) {
        let Some(slot) = self.slots.get_mut(idx) else {
            return;
        };
        if let Some(c) = slot.conn.take() {
            slot.gen = slot.gen.wrapping_add(1);
            self.lru.remove(&c.lru);
            self.free.push(idx);
            self.open -= 1;
            // Dropping the stream closes it, which also leaves the epoll set.
        }
    }

    /// Closes the connection that made progress least recently.
    fn evict(&mut self) -> bool {
        match self.lru.first_key_value() {
            Some((_, &idx)) => {
                self.close(idx);
                true
            }
            None => false,
        }
    }

    fn accept(&mut self, scratch: &mut [u8]) {
        if self.accept_paused.is_some() {
            return;
        }
        for _ in 0..ACCEPT_BATCH {
            let fd = match rustix::net::accept_with(
                &self.listener,
                SocketFlags::NONBLOCK | SocketFlags::CLOEXEC,
            ) {
                Ok(fd) => fd,
                Err(Errno::AGAIN) => return,
                Err(Errno::MFILE | Errno::NFILE | Errno::NOBUFS | Errno::NOMEM) => {
                    // Out of descriptors or memory: make room, and if there
                    // is nobody to evict, stop accepting for a moment
                    // (the listener would stay readable: a busy loop).
                    if !self.evict() {
                        self.pause_accepting();
                    }
                    return;
                }
                // The peer gave up already (ECONNABORTED) and the like.
                Err(_) => continue,
            };
            if self.open >= self.limits.max_connections {
                self.evict();
            }
            self.add(TcpStream::from(fd), scratch);
        }
    }

    fn pause_accepting(&mut self) {
        let none = epoll::EventFlags::empty();
        let data = epoll::EventData::new_u64(LISTENER);
        if epoll::modify(&self.epoll, &self.listener, data, none).is_ok() {
            self.accept_paused = Some(Instant::now() + SWEEP_EVERY);
        }
    }

    fn add(&mut self, stream: TcpStream, scratch: &mut [u8]) {
        let _ = stream.set_nodelay(true);
        let idx = self.free.pop().unwrap_or_else(|| {
            self.slots.push(Slot { gen: 0, conn: None });
            self.slots.len() - 1
        });
        let token = self.token_of(idx);
        let data = epoll::EventData::new_u64(token);
        if epoll::add(&self.epoll, &stream, data, epoll::EventFlags::IN).is_err() {
            self.free.push(idx);
            return;
        }
        if let Some(slot) = self.slots.get_mut(idx) {
            slot.conn = Some(Conn {
                stream,
                state: State::Head { idle: false },
                buf: Vec::new(),
                scanned: 0,
                deadline: Instant::now() + self.limits.head_timeout,
                lru: 0,
                writing: false,
            });
        }
        self.open += 1;
        self.touch(idx);
        // The request usually came with the connection: read it now, before
        // more accepts can push this connection towards eviction.
        self.read(idx, scratch);
    }

    fn on_event(&mut self, token: u64, scratch: &mut [u8]) {
        let Some(idx) = self.live(token) else {
            return;
        };
        match self.conn(idx).map(|c| &c.state) {
            Some(State::Write(_)) => self.flush(idx),
            Some(State::Ready(_)) | None => {}
            Some(_) => self.read(idx, scratch),
        }
    }

    /// One read (the buffer takes all a head may need), then whatever it
    /// completes.
    fn read(&mut self, idx: usize, scratch: &mut [u8]) {
        let head_timeout = self.limits.head_timeout;
        let Some(c) = self.conn(idx) else {
            return;
        };
        let want = match &c.state {
            State::Head { .. } => MAX_HEAD.saturating_sub(c.buf.len()),
            State::Body { left, .. } => *left,
            State::Drain => scratch.len(),
            State::Ready(_) | State::Write(_) => return,
        };
        let want = want.min(scratch.len()).max(1);
        let n = match (&c.stream).read(&mut scratch[..want]) {
            Ok(0) => return self.close(idx),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return,
            Err(_) => return self.close(idx),
        };
        match &mut c.state {
            State::Head { idle } => {
                if *idle {
                    *idle = false;
                    c.deadline = Instant::now() + head_timeout;
                }
                c.buf.extend_from_slice(&scratch[..n]);
                self.parse(idx);
            }
            State::Body { left, .. } => {
                *left -= n.min(*left);
                if *left == 0 {
                    self.body_done(idx);
                }
            }
            // Discarded.
            State::Drain | State::Ready(_) | State::Write(_) => {}
        }
    }

    /// Looks for a complete head in the buffer; on one, moves on to its
    /// body or to the ready list.
    fn parse(&mut self, idx: usize) {
        let Some(c) = self.conn(idx) else {
            return;
        };
        let Some(end) = head_end(&c.buf, c.scanned) else {
            c.scanned = c.buf.len();
            if c.buf.len() >= MAX_HEAD {
                self.fail(idx, 431);
            }
            return;
        };
        let parsed = parse_head(&c.buf[..end]);
        c.buf.drain(..end);
        c.scanned = 0;
        let head = match parsed {
            Ok(h) if h.content_length > MAX_BODY => return self.fail(idx, 413),
            Ok(h) => h,
            Err(status) => return self.fail(idx, status),
        };
        // Body bytes that came with the head.
        let buffered = head.content_length.min(c.buf.len());
        c.buf.drain(..buffered);
        let left = head.content_length - buffered;
        c.state = State::Body { left, head };
        self.touch(idx);
        if left == 0 {
            self.body_done(idx);
        }
    }

    fn body_done(&mut self, idx: usize) {
        let Some(c) = self.conn(idx) else {
            return;
        };
        if let State::Body { head, .. } = std::mem::replace(&mut c.state, State::Drain) {
            c.state = State::Ready(head);
            let token = self.token_of(idx);
            self.ready.push(token);
        }
    }

    /// Answers every request completed this turn: the first /metrics one
    /// collects, the rest share its result.
    fn answer_ready(&mut self, handler: &Handler) {
        let arrived = Instant::now();
        // Requests that complete while answering (pipelined ones) go to
        // `ready` for the next turn.
        let mut batch = std::mem::take(&mut self.answering);
        std::mem::swap(&mut batch, &mut self.ready);
        for &token in &batch {
            let Some(idx) = self.live(token) else {
                continue;
            };
            let Some(c) = self.conn(idx) else {
                continue;
            };
            let State::Ready(head) = std::mem::replace(&mut c.state, State::Drain) else {
                continue;
            };
            let head_only = head.method == "HEAD";
            let resp = if head.method == "GET" || head_only {
                handler(&Request {
                    method: head.method,
                    path: head.path,
                    arrived,
                })
            } else {
                Response::text(405, "only GET and HEAD\n")
            };
            let pressure = self.open * 4 > self.limits.max_connections * 3;
            self.respond(idx, &resp, head_only, !head.keep_alive || pressure);
        }
        batch.clear();
        self.answering = batch;
    }

    /// Answers a malformed request and closes.
    fn fail(&mut self, idx: usize, status: u16) {
        let r = Response::text(status, format!("{}\n", reason(status)));
        self.respond(idx, &r, false, true);
    }

    fn respond(&mut self, idx: usize, r: &Response, head_only: bool, close: bool) {
        let deadline = Instant::now() + self.limits.write_timeout;
        let Some(c) = self.conn(idx) else {
            return;
        };
        c.state = State::Write(Out {
            head: response_head(r, close),
            body: (!head_only).then(|| Arc::clone(&r.body)),
            pos: 0,
            close,
        });
        c.deadline = deadline;
        self.flush(idx);
    }

    /// Writes what the socket takes; on completion, the next request.
    fn flush(&mut self, idx: usize) {
        let mut progress = false;
        let done = loop {
            let Some(c) = self.conn(idx) else {
                return;
            };
            let State::Write(out) = &mut c.state else {
                return;
            };
            let body = out.body.as_deref().map_or(&[][..], |b| b.as_bytes());
            let total = out.head.len() + body.len();
            if out.pos >= total {
                break true;
            }
            let (h, b) = if out.pos < out.head.len() {
                (&out.head[out.pos..], body)
            } else {
                (&[][..], &body[out.pos - out.head.len()..])
            };
            // sendmsg: head and body in one go, and no SIGPIPE.
            match rustix::net::sendmsg(
                &c.stream,
                &[IoSlice::new(h), IoSlice::new(b)],
                &mut SendAncillaryBuffer::default(),
                SendFlags::NOSIGNAL | SendFlags::DONTWAIT,
            ) {
                Ok(0) => return self.close(idx),
                Ok(n) => {
                    out.pos += n;
                    progress = true;
                }
                Err(Errno::AGAIN) => break false,
                Err(Errno::INTR) => {}
                Err(_) => return self.close(idx),
            }
        };
        if progress {
            self.touch(idx);
        }
        if done {
            self.finish(idx);
        } else {
            self.set_writing(idx, true);
        }
    }

    /// A response is out: close, or wait for the next request.
    fn finish(&mut self, idx: usize) {
        let (head_timeout, idle_timeout) = (self.limits.head_timeout, self.limits.idle_timeout);
        // First, as parsing a pipelined request may start another write.
        self.set_writing(idx, false);
        let Some(c) = self.conn(idx) else {
            return;
        };
        let State::Write(out) = &c.state else {
            return;
        };
        if out.close {
            let _ = c.stream.shutdown(Shutdown::Write);
            c.state = State::Drain;
            c.deadline = Instant::now() + DRAIN_TIMEOUT;
            c.buf = Vec::new();
        } else if c.buf.is_empty() {
            c.state = State::Head { idle: true };
            c.deadline = Instant::now() + idle_timeout;
        } else {
            // A pipelined request: parsed now, answered next turn (its
            // arrival is after this turn's collection started).
            c.state = State::Head { idle: false };
            c.deadline = Instant::now() + head_timeout;
            self.parse(idx);
        }
    }

    fn set_writing(&mut self, idx: usize, writing: bool) {
        let token = self.token_of(idx);
        let Some(c) = self.slots.get_mut(idx).and_then(|s| s.conn.as_mut()) else {
            return;
        };
        if c.writing == writing {
            return;
        }
        let flags = if writing {
            epoll::EventFlags::OUT
        } else {
            epoll::EventFlags::IN
        };
        let data = epoll::EventData::new_u64(token);
        if epoll::modify(&self.epoll, &c.stream, data, flags).is_ok() {
            c.writing = writing;
        } else {
            self.close(idx);
        }
    }

    /// Closes connections past their deadline; resumes accepting.
    fn sweep(&mut self) {
        let now = Instant::now();
        self.next_sweep = now + SWEEP_EVERY;
        // `close` leaves the slab's length alone: no list of the expired.
        for idx in 0..self.slots.len() {
            let expired = self.slots[idx]
                .conn
                .as_ref()
                .is_some_and(|c| c.deadline <= now && !matches!(c.state, State::Ready(_)));
            if expired {
                self.close(idx);
            }
        }
        if self.accept_paused.is_some_and(|t| t <= now) {
            let data = epoll::EventData::new_u64(LISTENER);
            if epoll::modify(&self.epoll, &self.listener, data, epoll::EventFlags::IN).is_ok() {
                self.accept_paused = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::SocketAddr;
    use std::thread;

    fn parse(s: &str) -> Result<Head, u16> {
        let b = s.as_bytes();
        let end = head_end(b, 0).expect("complete head");
        parse_head(&b[..end])
    }

    #[test]
    fn parses_requests() {
        let h = parse("GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n").unwrap();
        assert_eq!((h.method.as_str(), h.path.as_str()), ("GET", "/metrics"));
        assert!(h.keep_alive && h.content_length == 0);
        // HTTP/1.0 closes unless asked; bare LFs; no Host needed.
        assert!(!parse("GET / HTTP/1.0\n\n").unwrap().keep_alive);
        assert!(
            parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
                .unwrap()
                .keep_alive
        );
        let h = parse(
            "GET / HTTP/1.1\r\nHost: a\r\nConnection: x, Close\r\nContent-Length: 3\r\n\r\nabc",
        )
        .unwrap();
        assert!(!h.keep_alive && h.content_length == 3);
        // Empty lines before the request line are skipped.
        assert_eq!(
            parse("\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\n\r\n")
                .unwrap()
                .method,
            "HEAD"
        );
        // Absolute form; a later HTTP/1.x minor version.
        assert_eq!(
            parse("GET http://a:1/metrics?q HTTP/1.1\r\nHost: a\r\n\r\n")
                .unwrap()
                .path,
            "/metrics"
        );
        assert_eq!(
            parse("GET HTTP://a HTTP/1.2\r\nHost: a\r\n\r\n")
                .unwrap()
                .path,
            "/"
        );
        // Whitespace around values is not part of them.
        assert_eq!(
            parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: \t7 \r\n\r\n")
                .unwrap()
                .content_length,
            7
        );
    }

    #[test]
    fn finds_the_end_of_a_head() {
        assert_eq!(
            head_end(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET", 0),
            Some(27)
        );
        assert_eq!(head_end(b"GET / HTTP/1.0\n\n", 0), Some(16));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: a\r\n", 0), None);
        assert_eq!(head_end(b"\r\n\r\n", 0), None);
        // Byte by byte, resuming the search: the same answer.
        let full = b"\r\nGET / HTTP/1.1\r\nA: b\r\n\r\nrest";
        let mut scanned = 0;
        let mut found = None;
        for n in 1..=full.len() {
            found = head_end(&full[..n], scanned);
            if found.is_some() {
                break;
            }
            scanned = n;
        }
        assert_eq!(found, head_end(full, 0));
        assert_eq!(found, Some(26));
    }

    #[test]
    fn rejects_ambiguous_framing() {
        // RFC 9112 §6.3: duplicate Content-Length, even equal, is 400.
        let dup = "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n";
        assert_eq!(parse(dup), Err(400));
        for cl in [
            "1, 1",
            "-1",
            "+1",
            "0x10",
            "1 2",
            "",
            "99999999999999999999999",
        ] {
            let req = format!("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: {cl}\r\n\r\n");
            assert_eq!(parse(&req), Err(400), "{cl:?}");
        }
        // Transfer-Encoding with Content-Length (either order), in 1.0, alone.
        let te_cl =
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n";
        assert_eq!(parse(te_cl), Err(400));
        let cl_te =
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(parse(cl_te), Err(400));
        assert_eq!(
            parse("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Err(400)
        );
        assert_eq!(
            parse("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Err(501)
        );
    }

    #[test]
    fn rejects_bad_heads() {
        for bad in [
            "GET /\r\n\r\n",
            "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET x HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n",
            "G(T / HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nbad header\r\nHost: a\r\n\r\n",
            // Whitespace before the colon; obsolete line folding.
            "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  2\r\n\r\n",
            // A stray CR, a control character in a value.
            "GET / HTTP/1.1\r\nHost: a\rX: 1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n",
            // Host: missing in 1.1, or twice.
            "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/x\r\nHost: a\r\n\r\n",
            "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n",
        ] {
            assert_eq!(parse(bad), Err(400), "{bad:?}");
        }
        assert_eq!(parse("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), Err(505));
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: y\r\n")).collect();
        assert_eq!(
            parse(&format!("GET / HTTP/1.1\r\nHost: a\r\n{many}\r\n")),
            Err(431)
        );
    }

    #[test]
    fn parses_arbitrary_bytes_without_panicking() {
        // A cheap fuzz: every prefix and every byte flip of a valid head.
        let base = b"GET http://h/m?q HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab";
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for n in 0..=base.len() {
            let _ = head_end(&base[..n], 0).map(|e| parse_head(&base[..e]));
        }
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut b = base.to_vec();
            let i = (state % b.len() as u64) as usize;
            b[i] = (state >> 32) as u8;
            let _ = head_end(&b, (state >> 40) as usize % b.len()).map(|e| parse_head(&b[..e]));
        }
    }

    #[test]
    fn writes_response_heads() {
        let head = response_head(&Response::text(404, "nope\n"), true);
        assert_eq!(
            String::from_utf8(head).unwrap(),
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Length: 5\r\nConnection: close\r\n\r\n"
        );
        let head = String::from_utf8(response_head(&Response::text(405, "x"), false)).unwrap();
        assert!(
            head.contains("Connection: keep-alive\r\n") && head.contains("Allow: GET, HEAD\r\n")
        );
    }

    // ---- the loop, with short limits, on a thread of its own ----------

    fn server(limits: Limits) -> SocketAddr {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        thread::spawn(move || {
            let handler = |r: &Request| Response::text(200, format!("{} {}\n", r.method, r.path));
            let _ = serve(l, limits, &handler);
        });
        addr
    }

    fn short() -> Limits {
        Limits {
            max_connections: 8,
            head_timeout: Duration::from_millis(600),
            idle_timeout: Duration::from_millis(300),
            write_timeout: Duration::from_millis(600),
        }
    }

    /// Reads until the peer closes (or 5 s pass); what arrived.
    fn read_all(s: &mut TcpStream) -> String {
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    fn get(addr: SocketAddr, path: &str) -> String {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        read_all(&mut s)
    }

    /// Whether the server closed `s` (EOF or reset) within `within`.
    fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
        s.set_read_timeout(Some(within)).unwrap();
        let mut b = [0u8; 4096];
        loop {
            match s.read(&mut b) {
                Ok(0) => return true,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return false,
                Err(e) if e.kind() == io::ErrorKind::TimedOut => return false,
                Err(_) => return true,
            }
        }
    }

    #[test]
    fn serves_keep_alive_pipelined_and_bodies() {
        let addr = server(short());
        assert!(get(addr, "/x?y").ends_with("\r\n\r\nGET /x\n"));
        let mut s = TcpStream::connect(addr).unwrap();
        // Two pipelined requests (the first with a small body), then HEAD
        // with close: three answers in order, then the close.
        s.write_all(
            b"GET /a HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbodyGET /b HTTP/1.1\r\nHost: a\r\n\r\n\
              HEAD /c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
        let all = read_all(&mut s);
        let a = all.find("GET /a\n").unwrap();
        let b = all.find("GET /b\n").unwrap();
        assert!(
            a < b && all.matches("HTTP/1.1 200 OK").count() == 3,
            "{all}"
        );
        assert!(all.ends_with("Connection: close\r\n\r\n"), "{all}");
        // Errors close the connection after answering.
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
        )
        .unwrap();
        assert!(read_all(&mut s).starts_with("HTTP/1.1 400 Bad Request\r\n"));
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\n")
            .unwrap();
        assert!(read_all(&mut s).starts_with("HTTP/1.1 413 "));
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"DELETE / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            .unwrap();
        assert!(read_all(&mut s).starts_with("HTTP/1.1 405 "));
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(format!("GET / HTTP/1.1\r\nX: {}", "a".repeat(MAX_HEAD)).as_bytes())
            .unwrap();
        assert!(read_all(&mut s).starts_with("HTTP/1.1 431 "));
    }

    #[test]
    fn a_trickled_head_is_cut_off_at_the_deadline() {
        // One byte every 100 ms never completes a head: closed at the head
        // deadline (600 ms), not kept open by each byte's arrival.
        let addr = server(short());
        let mut s = TcpStream::connect(addr).unwrap();
        let start = Instant::now();
        let mut sent = 0;
        while start.elapsed() < Duration::from_secs(5) {
            if s.write_all(b"X").is_err() {
                break;
            }
            sent += 1;
            if closed_within(&mut s, Duration::from_millis(100)) {
                break;
            }
        }
        assert!(sent < 40, "still open after {sent} bytes");
        // A silent connection, likewise.
        let mut s = TcpStream::connect(addr).unwrap();
        assert!(closed_within(&mut s, Duration::from_secs(5)));
    }

    #[test]
    fn idle_keep_alive_connections_are_closed() {
        let addr = server(short());
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").unwrap();
        let mut b = [0u8; 512];
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        assert!(s.read(&mut b).unwrap() > 0);
        assert!(closed_within(&mut s, Duration::from_secs(5)));
    }

    #[test]
    fn a_client_that_never_reads_is_dropped_and_blocks_nobody() {
        // A big body, so the socket buffers fill and the write stalls.
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let body = Arc::new("x".repeat(32 << 20));
        thread::spawn(move || {
            let handler = move |_: &Request| Response {
                status: 200,
                content_type: "text/plain",
                body: Arc::clone(&body),
            };
            let _ = serve(l, short(), &handler);
        });
        let mut stuck = TcpStream::connect(addr).unwrap();
        stuck
            .write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            .unwrap();
        thread::sleep(Duration::from_millis(100));
        // Others are served meanwhile.
        let mut other = TcpStream::connect(addr).unwrap();
        other
            .write_all(b"HEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            .unwrap();
        assert!(read_all(&mut other).starts_with("HTTP/1.1 200 OK"));
        // The stalled writer is cut off at the write deadline (600 ms):
        // reading now ends well short of the 32 MiB.
        thread::sleep(Duration::from_millis(1500));
        let got = read_all(&mut stuck).len();
        assert!(got < 32 << 20, "{got}");
    }

    #[test]
    fn under_pressure_keep_alive_is_declined() {
        let addr = server(short());
        let ask = || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").unwrap();
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut b = [0u8; 512];
            let n = s.read(&mut b).unwrap();
            String::from_utf8_lossy(&b[..n]).into_owned()
        };
        assert!(ask().contains("Connection: keep-alive\r\n"));
        // 7 of 8 slots taken (with the asking one): more than 3/4.
        let _held: Vec<TcpStream> = (0..6).map(|_| TcpStream::connect(addr).unwrap()).collect();
        thread::sleep(Duration::from_millis(100));
        assert!(ask().contains("Connection: close\r\n"));
    }

    #[test]
    fn past_the_cap_the_stalest_connection_is_evicted() {
        let addr = server(short());
        // 8 silent connections fill the cap; the first is the stalest.
        let mut silent: Vec<TcpStream> =
            (0..8).map(|_| TcpStream::connect(addr).unwrap()).collect();
        thread::sleep(Duration::from_millis(100));
        // A newcomer is served, not refused...
        assert!(get(addr, "/").starts_with("HTTP/1.1 200 OK"));
        // ...and made room by closing the oldest silent one.
        assert!(closed_within(&mut silent[0], Duration::from_millis(200)));
        // A flood of 50 more: everyone keeps getting served.
        let _flood: Vec<TcpStream> = (0..50).map(|_| TcpStream::connect(addr).unwrap()).collect();
        for _ in 0..5 {
            assert!(get(addr, "/").starts_with("HTTP/1.1 200 OK"));
        }
    }
}
