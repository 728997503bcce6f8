//! Network: psutil's `net_io_counters`, `net_if_addrs`, `net_if_stats`
//! and `net_connections`, with psutil's field names.
//!
//! ```no_run
//! use psutil::net::{net_connections, ConnectionKind};
//!
//! for c in net_connections(ConnectionKind::Tcp)? {
//!     println!("{:?} {} -> {} {} {:?}", c.pid, c.laddr, c.raddr, c.status, c.fd);
//! }
//! # Ok::<(), psutil::Error>(())
//! ```
//!
//! Per-NIC results come in a [`NameMap`]: a map that keeps psutil's key
//! order (the order of `/proc/net/dev`, or of `getifaddrs()` for
//! `net_if_addrs`).

use std::collections::HashMap;
use std::fmt;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::forksafe::ForkMutex;
use crate::platform::imp::net as imp;
use crate::{Error, NameMap, Result};

// ---------------------------------------------------------------------------
// net_io_counters

/// psutil's `snetio`: one NIC's (or the sum of all NICs') traffic, from
/// `/proc/net/dev`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct NetIoCounters {
    pub bytes_sent: u64,
    pub bytes_recv: u64,
    pub packets_sent: u64,
    pub packets_recv: u64,
    /// Receive errors.
    pub errin: u64,
    /// Transmit errors.
    pub errout: u64,
    /// Incoming packets dropped.
    pub dropin: u64,
    /// Outgoing packets dropped.
    pub dropout: u64,
}

impl NetIoCounters {
    fn from_array(a: [u64; 8]) -> Self {
        NetIoCounters {
            bytes_sent: a[0],
            bytes_recv: a[1],
            packets_sent: a[2],
            packets_recv: a[3],
            errin: a[4],
            errout: a[5],
            dropin: a[6],
            dropout: a[7],
        }
    }

    fn to_array(self) -> [u64; 8] {
        [
            self.bytes_sent,
            self.bytes_recv,
            self.packets_sent,
            self.packets_recv,
            self.errin,
            self.errout,
            self.dropin,
            self.dropout,
        ]
    }

    /// Adds `o` field by field, saturating at `u64::MAX`.
    fn add(&mut self, o: &NetIoCounters) {
        let mut acc = self.to_array();
        for (a, v) in acc.iter_mut().zip(o.to_array()) {
            *a = a.saturating_add(v);
        }
        *self = NetIoCounters::from_array(acc);
    }
}

/// psutil's `nowrap=True` bookkeeping (`_WrapNumbers`) for one caller:
/// when a kernel counter goes down (a 32-bit counter wrapped, or a NIC was
/// re-created), the previous value is added from then on, so the numbers
/// this tracker returns never decrease.
///
/// Each tracker is independent; psutil keeps one such state per process,
/// which [`net_io_counters`] reproduces.
#[derive(Debug, Default, Clone)]
pub struct NetIoNowrap {
    /// Last raw values per NIC (psutil's `cache`); `None` before the first
    /// call.
    last: Option<HashMap<String, [u64; 8]>>,
    /// Amount to add per (NIC, field) (psutil's `reminders`).
    reminders: HashMap<String, [u64; 8]>,
}

impl NetIoNowrap {
    /// A tracker with no history.
    pub fn new() -> Self {
        Self::default()
    }

    /// psutil's `net_io_counters.cache_clear()`: forgets the history.
    pub fn cache_clear(&mut self) {
        self.last = None;
        self.reminders.clear();
    }

    /// Applies the wrap correction to one raw reading (psutil's
    /// `_WrapNumbers.run`).
    fn run(&mut self, raw: Vec<(String, [u64; 8])>) -> Vec<(String, [u64; 8])> {
        let Some(last) = self.last.as_mut() else {
            self.last = Some(raw.iter().cloned().collect());
            return raw;
        };
        // NICs that disappeared lose their reminders.
        self.reminders
            .retain(|k, _| raw.iter().any(|(name, _)| name == k));
        let mut out = Vec::with_capacity(raw.len());
        for (name, vals) in &raw {
            let Some(old) = last.get(name) else {
                out.push((name.clone(), *vals));
                continue;
            };
            let rem = self.reminders.entry(name.clone()).or_default();
            let mut fixed = [0u64; 8];
            for i in 0..8 {
                if vals[i] < old[i] {
                    rem[i] = rem[i].saturating_add(old[i]);
                }
                fixed[i] = vals[i].saturating_add(rem[i]);
            }
            out.push((name.clone(), fixed));
        }
        *last = raw.into_iter().collect();
        out
    }

    /// psutil's `net_io_counters(pernic=False, nowrap=True)` with this
    /// tracker's history: the sum over every NIC, `None` without NICs.
    pub fn net_io_counters(&mut self) -> Result<Option<NetIoCounters>> {
        let per = self.net_io_counters_pernic()?;
        Ok(sum(&per))
    }

    /// psutil's `net_io_counters(pernic=True, nowrap=True)` with this
    /// tracker's history.
    pub fn net_io_counters_pernic(&mut self) -> Result<NameMap<NetIoCounters>> {
        let raw = imp::net_dev()?;
        Ok(to_map(self.run(raw)))
    }
}

fn to_map(raw: Vec<(String, [u64; 8])>) -> NameMap<NetIoCounters> {
    raw.into_iter()
        .map(|(k, v)| (k, NetIoCounters::from_array(v)))
        .collect()
}

fn sum(per: &NameMap<NetIoCounters>) -> Option<NetIoCounters> {
    if per.is_empty() {
        return None;
    }
    let mut total = NetIoCounters::default();
    for v in per.values() {
        total.add(v);
    }
    Some(total)
}

/// The process-wide tracker behind [`net_io_counters`], as psutil keeps
/// one `nowrap` state per interpreter.
static GLOBAL_TRACKER: ForkMutex<Option<NetIoNowrap>> = ForkMutex::new();

fn global_pernic(nowrap: bool) -> Result<NameMap<NetIoCounters>> {
    if !nowrap {
        return Ok(to_map(imp::net_dev()?));
    }
    let mut g = GLOBAL_TRACKER.lock(|| None);
    g.get_or_insert_with(NetIoNowrap::new)
        .net_io_counters_pernic()
}

/// psutil's `net_io_counters(pernic=False, nowrap)`: traffic summed over
/// every NIC, `None` when there is none.
///
/// With `nowrap`, uses one process-wide history, exactly like psutil (every
/// caller in the process shares it; [`net_io_counters_cache_clear`] resets
/// it). Code that wants its own history uses a [`NetIoNowrap`].
pub fn net_io_counters(nowrap: bool) -> Result<Option<NetIoCounters>> {
    Ok(sum(&global_pernic(nowrap)?))
}

/// psutil's `net_io_counters(pernic=True, nowrap)`: traffic per NIC, in
/// `/proc/net/dev` order (empty when there is no NIC). `nowrap` as in
/// [`net_io_counters`].
pub fn net_io_counters_pernic(nowrap: bool) -> Result<NameMap<NetIoCounters>> {
    global_pernic(nowrap)
}

/// psutil's `net_io_counters.cache_clear()`: forgets the process-wide
/// `nowrap` history.
pub fn net_io_counters_cache_clear() {
    let mut g = GLOBAL_TRACKER.lock(|| None);
    if let Some(t) = g.as_mut() {
        t.cache_clear();
    }
}

// ---------------------------------------------------------------------------
// Address families, socket types, statuses

/// psutil's `socket.AddressFamily` values on Linux (an `IntEnum`; JSON as
/// the number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[cfg_attr(feature = "serde", serde(into = "i32"))]
pub enum AddressFamily {
    /// `AF_UNIX` (1)
    Unix,
    /// `AF_INET` (2)
    Inet,
    /// `AF_INET6` (10)
    Inet6,
    /// psutil's `AF_LINK`, which is `AF_PACKET` (17) on Linux: a MAC address.
    Link,
}

impl AddressFamily {
    /// The kernel's number.
    pub fn as_i32(self) -> i32 {
        match self {
            AddressFamily::Unix => libc::AF_UNIX,
            AddressFamily::Inet => libc::AF_INET,
            AddressFamily::Inet6 => libc::AF_INET6,
            AddressFamily::Link => libc::AF_PACKET,
        }
    }

    /// The family with the kernel's number `n`.
    pub fn from_i32(n: i32) -> Option<Self> {
        Some(match n {
            libc::AF_UNIX => AddressFamily::Unix,
            libc::AF_INET => AddressFamily::Inet,
            libc::AF_INET6 => AddressFamily::Inet6,
            libc::AF_PACKET => AddressFamily::Link,
            _ => return None,
        })
    }

    /// Python's name for it (`"AF_INET"`, ...; `"AF_LINK"` for MACs).
    pub fn name(self) -> &'static str {
        match self {
            AddressFamily::Unix => "AF_UNIX",
            AddressFamily::Inet => "AF_INET",
            AddressFamily::Inet6 => "AF_INET6",
            AddressFamily::Link => "AF_LINK",
        }
    }
}

impl From<AddressFamily> for i32 {
    fn from(f: AddressFamily) -> i32 {
        f.as_i32()
    }
}

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
    pub fn name(self) -> &'static str {
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
            1 => ConnStatus::Established,
            2 => ConnStatus::SynSent,
            3 => ConnStatus::SynRecv,
            4 => ConnStatus::FinWait1,
            5 => ConnStatus::FinWait2,
            6 => ConnStatus::TimeWait,
            7 => ConnStatus::Close,
            8 => ConnStatus::CloseWait,
            9 => ConnStatus::LastAck,
            10 => ConnStatus::Listen,
            11 => ConnStatus::Closing,
            _ => ConnStatus::None,
        }
    }
}

impl From<ConnStatus> for &'static str {
    fn from(s: ConnStatus) -> &'static str {
        s.as_str()
    }
}

impl fmt::Display for ConnStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------
// net_connections

/// psutil's `kind` argument of `net_connections()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionKind {
    /// `"inet"`: TCP and UDP over IPv4 and IPv6 (psutil's default).
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

impl Default for ConnectionKind {
    /// psutil's default, `"inet"`.
    fn default() -> Self {
        ConnectionKind::Inet
    }
}

/// The kinds in psutil's order (`tuple(conn_tmap)`), used in its error
/// message.
const KIND_NAMES: [&str; 11] = [
    "all", "tcp", "tcp4", "udp", "udp4", "inet", "inet4", "inet6", "tcp6", "udp6", "unix",
];

/// One socket table: `/proc/net/<name>` or a `sock_diag` dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    Tcp4,
    Tcp6,
    Udp4,
    Udp6,
    Unix,
}

impl ConnectionKind {
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

    /// Every kind.
    pub const ALL: [ConnectionKind; 11] = [
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

    /// The tables this kind reads (psutil's `tmap`).
    pub(crate) fn tables(self) -> &'static [Table] {
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
                let names: Vec<String> = KIND_NAMES.iter().map(|n| format!("'{n}'")).collect();
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

impl fmt::Display for ConnectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A socket address as psutil reports it in `laddr`/`raddr`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Addr {
    /// psutil's `addr(ip, port)` namedtuple (TCP/UDP with a port).
    /// IPv4-mapped IPv6 addresses read `::ffff:a.b.c.d`.
    Inet { ip: String, port: u16 },
    /// psutil's `()`: a TCP/UDP endpoint with port 0 (not bound/connected).
    Empty,
    /// A UNIX socket path (`""` when unbound, and always `""` as `raddr`);
    /// abstract names start with `@`.
    Path(String),
}

impl Addr {
    /// The IP of an `Inet` address.
    pub fn ip(&self) -> Option<&str> {
        match self {
            Addr::Inet { ip, .. } => Some(ip),
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
        matches!(self, Addr::Empty) || matches!(self, Addr::Path(p) if p.is_empty())
    }
}

impl fmt::Display for Addr {
    /// `ip:port` (`[ip]:port` for IPv6), the path, or nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Addr::Inet { ip, port } if ip.contains(':') => write!(f, "[{ip}]:{port}"),
            Addr::Inet { ip, port } => write!(f, "{ip}:{port}"),
            Addr::Empty => Ok(()),
            Addr::Path(p) => f.write_str(p),
        }
    }
}

#[cfg(feature = "serde")]
impl Serialize for Addr {
    /// As `json.dumps` renders psutil's value: `["ip", port]`, `[]` or
    /// `"path"`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self {
            Addr::Inet { ip, port } => {
                let mut t = s.serialize_seq(Some(2))?;
                t.serialize_element(ip)?;
                t.serialize_element(port)?;
                t.end()
            }
            Addr::Empty => s.serialize_seq(Some(0))?.end(),
            Addr::Path(p) => s.serialize_str(p),
        }
    }
}

/// psutil's `sconn`: one socket of `net_connections()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
// Serialize only: a field serializes lossily (enum as its psutil int/str, or Addr).
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Connection {
    /// The descriptor in the owning process, -1 when the owner is unknown
    /// (no permission to read its fds, or a socket no process holds).
    pub fd: i32,
    pub family: AddressFamily,
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub type_: SocketType,
    pub laddr: Addr,
    pub raddr: Addr,
    pub status: ConnStatus,
    /// The owning process, `None` when unknown.
    pub pid: Option<u32>,
}

/// psutil's `pconn`: one socket of `Process.net_connections()` (an
/// `sconn` without the pid).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
// Serialize only: a field serializes lossily (enum as its psutil int/str, or Addr).
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct ProcessConnection {
    pub fd: i32,
    pub family: AddressFamily,
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub type_: SocketType,
    pub laddr: Addr,
    pub raddr: Addr,
    pub status: ConnStatus,
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
        }
    }
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
/// the order is unspecified (psutil builds a set).
///
/// Socket tables come from netlink `sock_diag` when the `/proc` root is
/// `/proc` and the kernel answers, else from `/proc/net/*`.
pub fn net_connections(kind: ConnectionKind) -> Result<Vec<Connection>> {
    imp::connections(kind, None)
}

/// psutil's `net_connections(kind)` with the kind given as psutil's string
/// (`"inet"`, `"all"`, ...); an unknown kind is `Error::InvalidArgument`.
pub fn net_connections_str(kind: &str) -> Result<Vec<Connection>> {
    net_connections(kind.parse()?)
}

// ---------------------------------------------------------------------------
// net_if_addrs / net_if_stats

/// psutil's `snicaddr`: one address of a NIC (`net_if_addrs()`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
// Serialize only: a field serializes lossily (enum as its psutil int/str, or Addr).
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct NicAddr {
    /// `Inet`, `Inet6`, or `Link` for the MAC address.
    pub family: AddressFamily,
    /// The address; IPv6 addresses with a scope read `fe80::1%eth0`; MACs
    /// are padded to six octets with `:00`.
    pub address: String,
    pub netmask: Option<String>,
    /// Set on broadcast-capable NICs (mutually exclusive with `ptp`).
    pub broadcast: Option<String>,
    /// The peer of a point-to-point NIC.
    pub ptp: Option<String>,
}

/// psutil's `net_if_addrs()`: the addresses of each NIC, from
/// `getifaddrs()`. Each list is sorted by family (IPv4, IPv6, then MAC;
/// stable), and NICs come in order of their first address after that sort,
/// as in psutil's dict.
pub fn net_if_addrs() -> Result<NameMap<Vec<NicAddr>>> {
    let mut raw = imp::if_addrs()?;
    raw.sort_by_key(|(_, a)| a.family.as_i32());
    let mut out: NameMap<Vec<NicAddr>> = NameMap::new();
    for (name, mut addr) in raw {
        if addr.family == AddressFamily::Link {
            while addr.address.matches(':').count() < 5 {
                addr.address.push_str(":00");
            }
        }
        out.entry_or_insert_with(&name, Vec::new).push(addr);
    }
    Ok(out)
}

/// psutil's `NicDuplex` (`NIC_DUPLEX_*`; JSON as the number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[cfg_attr(feature = "serde", serde(into = "i32"))]
pub enum NicDuplex {
    /// `NIC_DUPLEX_FULL` (2)
    Full,
    /// `NIC_DUPLEX_HALF` (1)
    Half,
    /// `NIC_DUPLEX_UNKNOWN` (0)
    Unknown,
}

impl NicDuplex {
    /// psutil's number: 2, 1 or 0.
    pub fn as_i32(self) -> i32 {
        match self {
            NicDuplex::Full => 2,
            NicDuplex::Half => 1,
            NicDuplex::Unknown => 0,
        }
    }

    /// psutil's constant name (`"NIC_DUPLEX_FULL"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            NicDuplex::Full => "NIC_DUPLEX_FULL",
            NicDuplex::Half => "NIC_DUPLEX_HALF",
            NicDuplex::Unknown => "NIC_DUPLEX_UNKNOWN",
        }
    }
}

impl From<NicDuplex> for i32 {
    fn from(d: NicDuplex) -> i32 {
        d.as_i32()
    }
}

/// psutil's `snicstats`: `net_if_stats()` of one NIC.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
// Serialize only: a field serializes lossily (enum as its psutil int/str, or Addr).
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct NicStats {
    /// psutil's rule: the `running` flag (not `up`).
    pub isup: bool,
    pub duplex: NicDuplex,
    /// Mbit/s; 0 when unknown.
    pub speed: u32,
    /// Bytes.
    pub mtu: u32,
    /// Comma-joined flag names in psutil's order, e.g.
    /// `"up,broadcast,running,multicast"`.
    pub flags: String,
}

/// psutil's `net_if_stats()`: for each NIC of `/proc/net/dev` (in that
/// order), its state from the `SIOCGIFFLAGS`, `SIOCGIFMTU` and
/// `SIOCETHTOOL` ioctls. NICs that vanish meanwhile (ENODEV) are skipped.
pub fn net_if_stats() -> Result<NameMap<NicStats>> {
    let names = imp::net_dev()?;
    let mut out = NameMap::new();
    for (name, _) in names {
        if let Some(s) = imp::if_stats(&name)? {
            out.insert(name, s);
        }
    }
    Ok(out)
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
        for k in ConnectionKind::ALL {
            assert_eq!(k.as_str().parse::<ConnectionKind>().unwrap(), k);
        }
    }

    #[test]
    fn nowrap_tracker() {
        let mut t = NetIoNowrap::new();
        let r = |a: u64, b: u64| vec![("a".to_string(), [a; 8]), ("b".to_string(), [b; 8])];
        assert_eq!(t.run(r(10, 5))[0].1, [10; 8]);
        assert_eq!(t.run(r(20, 6))[0].1, [20; 8]);
        // a wraps: 20 is remembered and added.
        assert_eq!(t.run(r(3, 7))[0].1, [23; 8]);
        assert_eq!(t.run(r(4, 8))[0].1, [24; 8]);
        // b disappears and comes back smaller: no reminder left.
        let only_a = vec![("a".to_string(), [5; 8])];
        assert_eq!(t.run(only_a)[0].1, [25; 8]);
        let back = t.run(r(6, 1));
        assert_eq!(back[1].1, [1; 8]);
        t.cache_clear();
        assert_eq!(t.run(r(1, 1))[0].1, [1; 8]);
    }

    #[test]
    fn huge_counters_saturate() {
        // Two NICs at u64::MAX: the total stays at the limit, never wraps.
        let mut total = NetIoCounters::from_array([u64::MAX; 8]);
        total.add(&NetIoCounters::from_array([u64::MAX; 8]));
        assert_eq!(total, NetIoCounters::from_array([u64::MAX; 8]));
        // A wrap after a counter at the limit keeps the limit.
        let mut t = NetIoNowrap::new();
        let r = |v: u64| vec![("a".to_string(), [v; 8])];
        t.run(r(u64::MAX));
        assert_eq!(t.run(r(1))[0].1, [u64::MAX; 8]);
    }

    #[test]
    fn addr_display() {
        let a = Addr::Inet {
            ip: "::1".into(),
            port: 80,
        };
        assert_eq!(a.to_string(), "[::1]:80");
        assert!(Addr::Empty.is_empty() && Addr::Path(String::new()).is_empty());
    }
}
