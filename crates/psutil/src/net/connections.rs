//! psutil's `net_connections()` and `Process.net_connections()` records:
//! socket types, TCP states, the `kind` argument and the addresses.

use std::fmt;
use std::net::IpAddr;
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;

#[cfg(feature = "serde")]
use serde::Serialize;

use super::{format_ip, AddressFamily};
use crate::platform::imp::net::{self as imp, RawEndpoint, SockRecord, Table};
use crate::{Error, Process, Result, Threads};

/// psutil's `socket.SocketKind` values (JSON as the number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[cfg_attr(feature = "serde", serde(into = "i32"))]
pub enum SocketType {
    /// `SOCK_STREAM` (1)
    Stream,
    /// `SOCK_DGRAM` (2)
    Dgram,
    /// `SOCK_RAW` (3)
    Raw,
    /// `SOCK_RDM` (4)
    Rdm,
    /// `SOCK_SEQPACKET` (5)
    SeqPacket,
    /// Any other number (psutil keeps the plain integer).
    Other(i32),
}

impl SocketType {
    /// Every named type (not [`SocketType::Other`]).
    pub const ALL: &'static [SocketType] = &[
        SocketType::Stream,
        SocketType::Dgram,
        SocketType::Raw,
        SocketType::Rdm,
        SocketType::SeqPacket,
    ];

    /// The kernel's number.
    pub fn as_i32(self) -> i32 {
        match self {
            SocketType::Stream => 1,
            SocketType::Dgram => 2,
            SocketType::Raw => 3,
            SocketType::Rdm => 4,
            SocketType::SeqPacket => 5,
            SocketType::Other(n) => n,
        }
    }

    /// The type with the kernel's number `n`.
    pub fn from_i32(n: i32) -> Self {
        match n {
            1 => SocketType::Stream,
            2 => SocketType::Dgram,
            3 => SocketType::Raw,
            4 => SocketType::Rdm,
            5 => SocketType::SeqPacket,
            n => SocketType::Other(n),
        }
    }

    /// Python's name (`"SOCK_STREAM"`, ...), `"?"` for others.
    pub fn as_str(self) -> &'static str {
        match self {
            SocketType::Stream => "SOCK_STREAM",
            SocketType::Dgram => "SOCK_DGRAM",
            SocketType::Raw => "SOCK_RAW",
            SocketType::Rdm => "SOCK_RDM",
            SocketType::SeqPacket => "SOCK_SEQPACKET",
            SocketType::Other(_) => "?",
        }
    }
}

impl From<SocketType> for i32 {
    fn from(t: SocketType) -> i32 {
        t.as_i32()
    }
}

psutil_names!(SocketType, "socket type");

/// psutil's `CONN_*` constants: a TCP state, or `NONE` for UDP and UNIX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[cfg_attr(feature = "serde", serde(into = "&'static str"))]
pub enum ConnStatus {
    /// `CONN_ESTABLISHED`
    Established,
    /// `CONN_SYN_SENT`
    SynSent,
    /// `CONN_SYN_RECV`
    SynRecv,
    /// `CONN_FIN_WAIT1`
    FinWait1,
    /// `CONN_FIN_WAIT2`
    FinWait2,
    /// `CONN_TIME_WAIT`
    TimeWait,
    /// `CONN_CLOSE`
    Close,
    /// `CONN_CLOSE_WAIT`
    CloseWait,
    /// `CONN_LAST_ACK`
    LastAck,
    /// `CONN_LISTEN`
    Listen,
    /// `CONN_CLOSING`
    Closing,
    /// `CONN_NONE`: UDP and UNIX sockets.
    None,
}

impl ConnStatus {
    /// Every status, in the kernel's TCP state order, then `NONE`.
    pub const ALL: &'static [ConnStatus] = &[
        ConnStatus::Established,
        ConnStatus::SynSent,
        ConnStatus::SynRecv,
        ConnStatus::FinWait1,
        ConnStatus::FinWait2,
        ConnStatus::TimeWait,
        ConnStatus::Close,
        ConnStatus::CloseWait,
        ConnStatus::LastAck,
        ConnStatus::Listen,
        ConnStatus::Closing,
        ConnStatus::None,
    ];

    /// psutil's string (`"ESTABLISHED"`, ..., `"NONE"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ConnStatus::Established => "ESTABLISHED",
            ConnStatus::SynSent => "SYN_SENT",
            ConnStatus::SynRecv => "SYN_RECV",
            ConnStatus::FinWait1 => "FIN_WAIT1",
            ConnStatus::FinWait2 => "FIN_WAIT2",
            ConnStatus::TimeWait => "TIME_WAIT",
            ConnStatus::Close => "CLOSE",
            ConnStatus::CloseWait => "CLOSE_WAIT",
            ConnStatus::LastAck => "LAST_ACK",
            ConnStatus::Listen => "LISTEN",
            ConnStatus::Closing => "CLOSING",
            ConnStatus::None => "NONE",
        }
    }

    /// The status of a kernel TCP state number (psutil's `TCP_STATUSES`);
    /// numbers psutil does not know give [`ConnStatus::None`].
    pub fn from_tcp_state(state: u8) -> Self {
        match state {
            1..=11 => Self::ALL[usize::from(state) - 1],
            _ => ConnStatus::None,
        }
    }
}

impl From<ConnStatus> for &'static str {
    fn from(s: ConnStatus) -> &'static str {
        s.as_str()
    }
}

psutil_names!(ConnStatus, "connection status");

/// psutil's `kind` argument of `net_connections()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ConnectionKind {
    /// `"inet"`: TCP and UDP over IPv4 and IPv6 (psutil's default).
    #[default]
    Inet,
    /// `"inet4"`: TCP and UDP over IPv4.
    Inet4,
    /// `"inet6"`: TCP and UDP over IPv6.
    Inet6,
    /// `"tcp"`
    Tcp,
    /// `"tcp4"`
    Tcp4,
    /// `"tcp6"`
    Tcp6,
    /// `"udp"`
    Udp,
    /// `"udp4"`
    Udp4,
    /// `"udp6"`
    Udp6,
    /// `"unix"`: UNIX sockets.
    Unix,
    /// `"all"`: everything above.
    All,
}

impl ConnectionKind {
    /// Every kind, in psutil's order (`tuple(conn_tmap)`, the order its
    /// error message lists them in).
    pub const ALL: &'static [ConnectionKind] = &[
        ConnectionKind::All,
        ConnectionKind::Tcp,
        ConnectionKind::Tcp4,
        ConnectionKind::Udp,
        ConnectionKind::Udp4,
        ConnectionKind::Inet,
        ConnectionKind::Inet4,
        ConnectionKind::Inet6,
        ConnectionKind::Tcp6,
        ConnectionKind::Udp6,
        ConnectionKind::Unix,
    ];

    /// psutil's name (`"inet"`, `"tcp6"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionKind::Inet => "inet",
            ConnectionKind::Inet4 => "inet4",
            ConnectionKind::Inet6 => "inet6",
            ConnectionKind::Tcp => "tcp",
            ConnectionKind::Tcp4 => "tcp4",
            ConnectionKind::Tcp6 => "tcp6",
            ConnectionKind::Udp => "udp",
            ConnectionKind::Udp4 => "udp4",
            ConnectionKind::Udp6 => "udp6",
            ConnectionKind::Unix => "unix",
            ConnectionKind::All => "all",
        }
    }

    /// The tables this kind reads (psutil's `tmap`).
    fn tables(self) -> &'static [Table] {
        use Table::*;
        match self {
            ConnectionKind::All => &[Tcp4, Tcp6, Udp4, Udp6, Unix],
            ConnectionKind::Tcp => &[Tcp4, Tcp6],
            ConnectionKind::Tcp4 => &[Tcp4],
            ConnectionKind::Tcp6 => &[Tcp6],
            ConnectionKind::Udp => &[Udp4, Udp6],
            ConnectionKind::Udp4 => &[Udp4],
            ConnectionKind::Udp6 => &[Udp6],
            ConnectionKind::Unix => &[Unix],
            ConnectionKind::Inet => &[Tcp4, Tcp6, Udp4, Udp6],
            ConnectionKind::Inet4 => &[Tcp4, Udp4],
            ConnectionKind::Inet6 => &[Tcp6, Udp6],
        }
    }
}

impl std::str::FromStr for ConnectionKind {
    type Err = Error;

    /// Parses psutil's name; anything else fails like psutil's
    /// `ValueError`: `invalid kind argument 'x'; valid ones are: (...)`.
    fn from_str(s: &str) -> Result<Self> {
        ConnectionKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<String> = ConnectionKind::ALL
                    .iter()
                    .map(|k| format!("'{}'", k.as_str()))
                    .collect();
                let repr = format!("{s:?}");
                let repr = if s.contains('\'') {
                    repr
                } else {
                    format!("'{}'", &repr[1..repr.len() - 1])
                };
                Error::invalid(format!(
                    "invalid kind argument {repr}; valid ones are: ({})",
                    names.join(", ")
                ))
            })
    }
}

psutil_names!(ConnectionKind);

/// A socket address as psutil reports it in `laddr`/`raddr`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Addr {
    /// psutil's `addr(ip, port)` namedtuple (TCP/UDP with a port). Python
    /// shows `ip` as [`format_ip`] writes it (e.g. `::ffff:10.0.0.1` for an
    /// IPv4-mapped IPv6 address).
    Inet {
        /// The address.
        ip: IpAddr,
        /// The port, never 0 (port 0 is [`Addr::Empty`]).
        port: u16,
    },
    /// psutil's `()`: a TCP/UDP endpoint with port 0 (not bound/connected).
    Empty,
    /// A UNIX socket path, as the kernel's bytes (empty when unbound, and
    /// always empty as `raddr`); abstract names start with `@`, as psutil
    /// shows them.
    Path(PathBuf),
}

impl Addr {
    /// The IP of an `Inet` address.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Addr::Inet { ip, .. } => Some(*ip),
            _ => None,
        }
    }

    /// The port of an `Inet` address.
    pub fn port(&self) -> Option<u16> {
        match self {
            Addr::Inet { port, .. } => Some(*port),
            _ => None,
        }
    }

    /// True for `()` and `""`.
    pub fn is_empty(&self) -> bool {
        matches!(self, Addr::Empty) || matches!(self, Addr::Path(p) if p.as_os_str().is_empty())
    }

    fn from_raw(raw: RawEndpoint) -> Addr {
        match raw {
            RawEndpoint::Ip(_, 0) => Addr::Empty,
            RawEndpoint::Ip(ip, port) => Addr::Inet { ip, port },
            RawEndpoint::Path(p) => Addr::Path(PathBuf::from(std::ffi::OsString::from_vec(p))),
        }
    }
}

impl fmt::Display for Addr {
    /// `ip:port` (`[ip]:port` for IPv6, the IP as [`format_ip`] writes it),
    /// the path (invalid UTF-8 replaced), or nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Addr::Inet { ip, port } if ip.is_ipv6() => write!(f, "[{}]:{port}", format_ip(*ip)),
            Addr::Inet { ip, port } => write!(f, "{}:{port}", format_ip(*ip)),
            Addr::Empty => Ok(()),
            Addr::Path(p) => f.write_str(&p.to_string_lossy()),
        }
    }
}

#[cfg(feature = "serde")]
impl Serialize for Addr {
    /// As `json.dumps` renders psutil's value: `["ip", port]`, `[]` or
    /// `"path"` (invalid UTF-8 replaced).
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self {
            Addr::Inet { ip, port } => {
                let mut t = s.serialize_seq(Some(2))?;
                t.serialize_element(&format_ip(*ip))?;
                t.serialize_element(port)?;
                t.end()
            }
            Addr::Empty => s.serialize_seq(Some(0))?.end(),
            Addr::Path(p) => s.serialize_str(&p.to_string_lossy()),
        }
    }
}

/// psutil's `sconn`: one socket of `net_connections()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
// Serialize only: a field serializes lossily (enum as its psutil int/str, or Addr).
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct Connection {
    /// The descriptor in the owning process, -1 when the owner is unknown
    /// (no permission to read its fds, or a socket no process holds).
    pub fd: i32,
    /// `Unix`, `Inet` or `Inet6`.
    pub family: AddressFamily,
    /// The socket type.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub type_: SocketType,
    /// The local address.
    pub laddr: Addr,
    /// The remote address.
    pub raddr: Addr,
    /// The TCP state; `NONE` for UDP and UNIX sockets.
    pub status: ConnStatus,
    /// The owning process, `None` when unknown.
    pub pid: Option<u32>,
    /// The owner's start time (clock ticks after boot), read by the same
    /// scan: the identity [`Connection::process`] checks.
    #[cfg_attr(feature = "serde", serde(skip))]
    start_ticks: Option<u64>,
}

impl Connection {
    /// The process holding this socket, as it was when the socket was
    /// found: `Ok(None)` when the owner is unknown (`pid` is `None`), and
    /// `NoSuchProcess` when that process is gone, even if its PID now
    /// names another process (psutil has no equivalent; `Process(c.pid)`
    /// there can name a newer process).
    ///
    /// ```
    /// use psutil::net::{net_connections, ConnStatus, ConnectionKind};
    ///
    /// // Who listens on this port?
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let port = listener.local_addr()?.port();
    /// let c = net_connections(ConnectionKind::Tcp4)?
    ///     .into_iter()
    ///     .find(|c| c.laddr.port() == Some(port) && c.status == ConnStatus::Listen)
    ///     .expect("our listener");
    /// let p = c.process()?.expect("a known holder");
    /// assert_eq!(p.pid(), std::process::id());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `NoSuchProcess` when the holder has exited (or its start time could
    /// not be read during the scan).
    pub fn process(&self) -> Result<Option<Process>> {
        owner_process(self.pid, self.start_ticks)
    }
}

/// psutil's `pconn`: one socket of `Process.net_connections()` (an
/// `sconn` without the pid).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
// Serialize only: a field serializes lossily (enum as its psutil int/str, or Addr).
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct ProcessConnection {
    /// The descriptor in the process.
    pub fd: i32,
    /// `Unix`, `Inet` or `Inet6`.
    pub family: AddressFamily,
    /// The socket type.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub type_: SocketType,
    /// The local address.
    pub laddr: Addr,
    /// The remote address.
    pub raddr: Addr,
    /// The TCP state; `NONE` for UDP and UNIX sockets.
    pub status: ConnStatus,
    /// The holder's PID and start time, when known.
    #[cfg_attr(feature = "serde", serde(skip))]
    owner: (Option<u32>, Option<u64>),
}

impl ProcessConnection {
    /// The process holding this socket, checked to be the same process
    /// (see [`Connection::process`]).
    ///
    /// # Errors
    ///
    /// `NoSuchProcess` when that process has exited.
    pub fn process(&self) -> Result<Option<Process>> {
        owner_process(self.owner.0, self.owner.1)
    }
}

impl From<Connection> for ProcessConnection {
    fn from(c: Connection) -> Self {
        ProcessConnection {
            fd: c.fd,
            family: c.family,
            type_: c.type_,
            laddr: c.laddr,
            raddr: c.raddr,
            status: c.status,
            owner: (c.pid, c.start_ticks),
        }
    }
}

fn owner_process(pid: Option<u32>, start_ticks: Option<u64>) -> Result<Option<Process>> {
    let Some(pid) = pid else {
        return Ok(None);
    };
    match start_ticks {
        Some(ticks) => Process::from_pid_and_start(pid, ticks).map(Some),
        // The scan could not read the holder's start time: it was already
        // gone, or is not readable; no identity to vouch for.
        None => Err(Error::no_such_process(pid, None, crate::GoneReason::Exited)),
    }
}

fn build(r: SockRecord) -> Connection {
    let family = match r.table {
        Table::Tcp4 | Table::Udp4 => AddressFamily::Inet,
        Table::Tcp6 | Table::Udp6 => AddressFamily::Inet6,
        Table::Unix => AddressFamily::Unix,
    };
    Connection {
        fd: r.fd,
        family,
        type_: SocketType::from_i32(r.stype),
        laddr: Addr::from_raw(r.local),
        raddr: Addr::from_raw(r.remote),
        status: r
            .tcp_state
            .map_or(ConnStatus::None, ConnStatus::from_tcp_state),
        pid: r.pid,
        start_ticks: r.start_ticks,
    }
}

/// The records as psutil's set: sorted, equal entries (e.g. TIME_WAIT
/// sockets) once.
fn collect(records: Vec<SockRecord>) -> Vec<Connection> {
    let mut out: Vec<Connection> = records.into_iter().map(build).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// psutil's `net_connections(kind)`: every socket of `kind` in the caller's
/// network namespace, with the process holding it.
///
/// Sockets are matched to processes by reading the `socket:[INODE]` links
/// under every `/proc/PID/fd` once per call; processes that cannot be read
/// (permissions) or vanish are skipped silently, so their sockets get
/// `fd == -1` and `pid == None`. When several processes share a socket the
/// one with the highest PID is reported (psutil's choice), with its lowest
/// fd for TCP/UDP and every fd for UNIX sockets. Duplicates are removed;
/// the order is unspecified (psutil builds a set). A kind given as
/// psutil's string is `"tcp".parse::<ConnectionKind>()?`.
///
/// Socket tables come from netlink `sock_diag` when the `/proc` root is
/// `/proc` and the kernel answers, else from `/proc/net/*`. The walk uses
/// helper threads ([`Threads::Auto`]);
/// [`net_connections_with`] can keep it on the calling thread.
///
/// ```
/// use psutil::net::{net_connections, ConnectionKind};
///
/// for c in net_connections(ConnectionKind::Inet)? {
///     // `laddr` shows as `ip:port` (`[ip]:port` for IPv6).
///     println!("{} {} pid={:?}", c.laddr, c.status, c.pid);
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
///
/// # Errors
///
/// `OSError`-kind errors ([`Error::Io`]) when a socket table cannot be
/// read (e.g. no `/proc/net/tcp` under the configured `/proc` root).
pub fn net_connections(kind: ConnectionKind) -> Result<Vec<Connection>> {
    net_connections_with(kind, Threads::Auto)
}

/// [`net_connections`] with a choice of threads (see [`Threads`]):
/// [`Threads::Caller`] does every read on the calling thread, for async
/// runtimes and embedded users. The result is the same.
///
/// # Errors
///
/// As [`net_connections`].
pub fn net_connections_with(kind: ConnectionKind, threads: Threads) -> Result<Vec<Connection>> {
    let n = threads.count(crate::default_threads);
    Ok(collect(imp::connections(kind.tables(), None, n)?))
}

/// The sockets of the process `pid` started at `start_ticks`, for
/// `Process::net_connections_with`: a long descriptor table is read on up
/// to `threads`.
pub(crate) fn process_connections(
    kind: ConnectionKind,
    pid: u32,
    start_ticks: u64,
    threads: Threads,
) -> Result<Vec<ProcessConnection>> {
    let n = threads.count(crate::default_threads);
    let records = imp::connections(kind.tables(), Some(pid), n)?;
    Ok(collect(records)
        .into_iter()
        .map(|mut c| {
            c.start_ticks = Some(start_ticks);
            c.into()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_error_message() {
        let e = "x".parse::<ConnectionKind>().unwrap_err();
        assert_eq!(
            e.psutil_message().to_string(),
            "invalid kind argument 'x'; valid ones are: ('all', 'tcp', 'tcp4', 'udp', \
             'udp4', 'inet', 'inet4', 'inet6', 'tcp6', 'udp6', 'unix')"
        );
        assert_eq!(e.kind_name(), "ValueError");
        for &k in ConnectionKind::ALL {
            assert_eq!(k.as_str().parse::<ConnectionKind>().unwrap(), k);
        }
    }

    #[test]
    fn names_round_trip() {
        for &s in ConnStatus::ALL {
            assert_eq!(s.as_str().parse::<ConnStatus>().unwrap(), s);
        }
        for &t in SocketType::ALL {
            assert_eq!(t.as_str().parse::<SocketType>().unwrap(), t);
            assert_eq!(SocketType::from_i32(t.as_i32()), t);
        }
        assert!("?".parse::<SocketType>().is_err());
        assert_eq!(ConnStatus::from_tcp_state(10), ConnStatus::Listen);
        assert_eq!(ConnStatus::from_tcp_state(12), ConnStatus::None);
    }

    #[test]
    fn addr_display() {
        let a = Addr::Inet {
            ip: "::1".parse().unwrap(),
            port: 80,
        };
        assert_eq!(a.to_string(), "[::1]:80");
        let mapped = Addr::Inet {
            ip: "::ffff:10.0.0.1".parse().unwrap(),
            port: 80,
        };
        assert_eq!(mapped.to_string(), "[::ffff:10.0.0.1]:80");
        assert!(Addr::Empty.is_empty() && Addr::Path(PathBuf::new()).is_empty());
    }
}
