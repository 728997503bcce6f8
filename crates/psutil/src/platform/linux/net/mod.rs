//! Network on Linux: `/proc/net/dev`, `getifaddrs()`, NIC ioctls, and the
//! socket tables (netlink `sock_diag`, or `/proc/net/*`) joined with the
//! `socket:[INODE]` links of `/proc/PID/fd`.

pub(crate) mod diag;
mod ifaddrs;
mod ifstats;
mod inodes;

pub(crate) use ifaddrs::{if_addrs, IfAddrRecord, RawIfAddr};
pub(crate) use ifstats::if_stats;

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::parse::net_dev::{self, NetDevCounters};
use super::parse::net_sockets::{self, InetSock, UnixSock};
use super::procfs;
use crate::{Error, Result};

/// `/proc/net/dev`: (NIC, counters in `snetio` order), in file order.
pub(crate) fn net_dev() -> Result<Vec<(String, NetDevCounters)>> {
    procfs::read_root_file("net/dev", net_dev::parse)
}

extern "C" {
    /// inet_ntop(3), in every C library but not declared by the libc crate.
    fn inet_ntop(
        af: libc::c_int,
        src: *const libc::c_void,
        dst: *mut libc::c_char,
        size: libc::socklen_t,
    ) -> *const libc::c_char;
}

/// The kernel's address-family numbers, for `net::AddressFamily`.
pub(crate) mod family {
    /// `AF_UNIX`.
    pub(crate) const UNIX: i32 = libc::AF_UNIX;
    /// `AF_INET`.
    pub(crate) const INET: i32 = libc::AF_INET;
    /// `AF_INET6`.
    pub(crate) const INET6: i32 = libc::AF_INET6;
    /// `AF_PACKET`, psutil's `AF_LINK` on Linux.
    pub(crate) const PACKET: i32 = libc::AF_PACKET;
}

/// The text `inet_ntop` writes for `ip`, as psutil (Python's
/// `socket.inet_ntop`) shows it: IPv4-mapped and IPv4-compatible IPv6
/// addresses read exactly like the C library writes them.
pub(crate) fn ntop(ip: IpAddr) -> String {
    let v6 = match ip {
        // Dotted quad, the same text inet_ntop writes, without the call
        // and the C-string round trip.
        IpAddr::V4(v4) => return v4.to_string(),
        IpAddr::V6(v6) => v6.octets(),
    };
    let mut buf = [0 as libc::c_char; 64];
    // SAFETY: `v6` is an in6_addr (16 bytes); `buf` is larger than
    // INET6_ADDRSTRLEN and its length is passed.
    let p = unsafe {
        inet_ntop(
            libc::AF_INET6,
            v6.as_ptr().cast(),
            buf.as_mut_ptr(),
            buf.len() as libc::socklen_t,
        )
    };
    if p.is_null() {
        return ip.to_string();
    }
    // SAFETY: inet_ntop succeeded, so `buf` holds a NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

/// One socket table: `/proc/net/<name>` or a `sock_diag` dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    Tcp4,
    Tcp6,
    Udp4,
    Udp6,
    Unix,
}

/// One table's raw records.
enum Rows {
    Inet(Vec<InetSock>),
    Unix(Vec<UnixSock>),
}

fn proc_file(table: Table) -> &'static str {
    match table {
        Table::Tcp4 => "net/tcp",
        Table::Tcp6 => "net/tcp6",
        Table::Udp4 => "net/udp",
        Table::Udp6 => "net/udp6",
        Table::Unix => "net/unix",
    }
}

/// Reads one table from `/proc/net`. A missing `tcp6`/`udp6` (kernel
/// without IPv6) is an empty table, as in psutil.
fn read_proc_table(table: Table) -> Result<Rows> {
    let file = proc_file(table);
    let res = match table {
        Table::Unix => procfs::read_root_file(file, net_sockets::parse_unix).map(Rows::Unix),
        Table::Tcp4 | Table::Udp4 => {
            procfs::read_root_file(file, |d| net_sockets::parse_inet(d, false)).map(Rows::Inet)
        }
        Table::Tcp6 | Table::Udp6 => {
            procfs::read_root_file(file, |d| net_sockets::parse_inet(d, true)).map(Rows::Inet)
        }
    };
    match res {
        Err(Error::Io { source, .. })
            if matches!(table, Table::Tcp6 | Table::Udp6)
                && source.kind() == io::ErrorKind::NotFound =>
        {
            Ok(Rows::Inet(Vec::new()))
        }
        r => r,
    }
}

/// Reads one table, from netlink when allowed and working, else `/proc`.
fn read_table(table: Table, use_netlink: bool) -> Result<Rows> {
    if use_netlink {
        if let Ok(rows) = diag::dump(table) {
            return Ok(rows);
        }
    }
    read_proc_table(table)
}

/// Whether netlink may replace `/proc/net/*`: only when the `/proc` root is
/// the real `/proc` (a fixture tree or another host's `/proc` must be read
/// as files), and not disabled with `PSUTIL_NO_NETLINK=1` (for tests).
fn netlink_allowed() -> bool {
    procfs::root() == "/proc" && std::env::var_os("PSUTIL_NO_NETLINK").is_none_or(|v| v != "1")
}

/// One end of a socket as the tables give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawEndpoint {
    /// TCP/UDP: the address and port (0 when not bound or connected).
    Ip(IpAddr, u16),
    /// A UNIX socket's path bytes (empty when unbound; abstract names
    /// start with `@`, as `/proc/net/unix` shows them).
    Path(Vec<u8>),
}

/// One socket joined with its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SockRecord {
    pub table: Table,
    /// The socket type number (`SOCK_STREAM`, ...).
    pub stype: i32,
    pub local: RawEndpoint,
    pub remote: RawEndpoint,
    /// The kernel's TCP state number; `None` for UDP and UNIX sockets.
    pub tcp_state: Option<u8>,
    /// The descriptor in the holder, -1 when the holder is unknown.
    pub fd: i32,
    /// The holding process, `None` when unknown.
    pub pid: Option<u32>,
    /// The holder's start time in clock ticks after boot, read through its
    /// `/proc/PID` directory during the walk (system-wide walks only).
    pub start_ticks: Option<u64>,
}

fn endpoint(v6: bool, ip: &[u8; 16], port: u16) -> RawEndpoint {
    let ip = if v6 {
        IpAddr::V6(Ipv6Addr::from(*ip))
    } else {
        IpAddr::V4(Ipv4Addr::new(ip[0], ip[1], ip[2], ip[3]))
    };
    RawEndpoint::Ip(ip, port)
}

/// psutil's `NetConnections.retrieve(kind, pid)` on the tables `tables`:
/// system-wide when `pid` is `None`, else only the sockets `pid` holds.
/// `threads` bounds the threads used, the caller's included (1: the
/// calling thread only).
pub(crate) fn connections(
    tables: &[Table],
    pid: Option<u32>,
    threads: usize,
) -> Result<Vec<SockRecord>> {
    let use_netlink = netlink_allowed();
    let read_tables = || -> Result<Vec<(Table, Rows)>> {
        let mut out = Vec::with_capacity(tables.len());
        let mut tcp_both = None;
        if use_netlink && tables.starts_with(&[Table::Tcp4, Table::Tcp6]) {
            tcp_both = diag::dump_tcp_both().ok();
        }
        if let Some((v4, v6)) = tcp_both {
            out.push((Table::Tcp4, v4));
            out.push((Table::Tcp6, v6));
        }
        for &t in &tables[out.len()..] {
            out.push((t, read_table(t, use_netlink)?));
        }
        Ok(out)
    };
    let (owners, tables) = match pid {
        Some(pid) => {
            let o = inodes::process_inodes(pid, threads)?;
            if o.is_empty() {
                return Ok(Vec::new());
            }
            (o, read_tables()?)
        }
        None if threads <= 1 => {
            let owners = inodes::all_inodes(1)?;
            (owners, read_tables()?)
        }
        // The fd walk is the slow part (one readlink per descriptor of
        // every process); the socket tables are read meanwhile.
        None => {
            let (owners, tables) =
                crate::parallel::join(|| inodes::all_inodes(threads), read_tables);
            (owners?, tables?)
        }
    };
    let mut out = Vec::new();
    for (table, rows) in tables {
        match rows {
            Rows::Inet(rows) => {
                let v6 = matches!(table, Table::Tcp6 | Table::Udp6);
                let tcp = matches!(table, Table::Tcp4 | Table::Tcp6);
                for r in rows {
                    let owner = owners.get(r.inode);
                    if pid.is_some() && owner.is_none() {
                        continue;
                    }
                    out.push(SockRecord {
                        table,
                        stype: if tcp {
                            libc::SOCK_STREAM
                        } else {
                            libc::SOCK_DGRAM
                        },
                        local: endpoint(v6, &r.laddr, r.lport),
                        remote: endpoint(v6, &r.raddr, r.rport),
                        tcp_state: tcp.then_some(r.state),
                        fd: owner.map_or(-1, |o| o.first_fd),
                        pid: owner.map(|o| o.pid),
                        start_ticks: owner.and_then(|o| o.start_ticks),
                    });
                }
            }
            Rows::Unix(rows) => {
                for r in rows {
                    let make = |fd: i32, owner: Option<&inodes::Owner>| SockRecord {
                        table,
                        stype: i32::try_from(r.stype).unwrap_or(-1),
                        local: RawEndpoint::Path(r.path.clone()),
                        remote: RawEndpoint::Path(Vec::new()),
                        tcp_state: None,
                        fd,
                        pid: owner.map(|o| o.pid),
                        start_ticks: owner.and_then(|o| o.start_ticks),
                    };
                    match owners.get(r.inode) {
                        Some(o) => out.extend(o.fds().map(|fd| make(fd, Some(o)))),
                        None if pid.is_none() => out.push(make(-1, None)),
                        None => {}
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What inet_ntop(AF_INET) writes, for comparison.
    fn c_ntop4(b: [u8; 4]) -> String {
        let mut buf = [0 as libc::c_char; 32];
        // SAFETY: 4 readable bytes, a writable buffer of the passed size.
        let p = unsafe {
            inet_ntop(
                libc::AF_INET,
                b.as_ptr().cast(),
                buf.as_mut_ptr(),
                buf.len() as libc::socklen_t,
            )
        };
        assert!(!p.is_null());
        // SAFETY: inet_ntop succeeded: NUL-terminated.
        unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn ipv4_text_equals_inet_ntop() {
        for b in [
            [0, 0, 0, 0],
            [127, 0, 0, 1],
            [255, 255, 255, 255],
            [10, 1, 20, 100],
            [192, 168, 0, 9],
        ] {
            assert_eq!(ntop(IpAddr::from(b)), c_ntop4(b));
        }
    }

    #[test]
    fn ipv6_keeps_glibc_forms() {
        let mut mapped = [0u8; 16];
        mapped[10] = 0xff;
        mapped[11] = 0xff;
        mapped[12..].copy_from_slice(&[10, 0, 0, 1]);
        assert_eq!(ntop(IpAddr::from(mapped)), "::ffff:10.0.0.1");
        let mut compat = [0u8; 16];
        compat[12..].copy_from_slice(&[10, 0, 0, 1]);
        // Rust's Display would write `::a00:1`.
        assert_eq!(ntop(IpAddr::from(compat)), "::10.0.0.1");
        let mut one = [0u8; 16];
        one[15] = 1;
        assert_eq!(ntop(IpAddr::from(one)), "::1");
    }
}
