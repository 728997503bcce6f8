//! Network on Linux: `/proc/net/dev`, `getifaddrs()`, NIC ioctls, and the
//! socket tables (netlink `sock_diag`, or `/proc/net/*`) joined with the
//! `socket:[INODE]` links of `/proc/PID/fd`.

pub(crate) mod diag;
mod ifaddrs;
mod ifstats;
mod inodes;

use std::io;

pub(crate) use ifaddrs::if_addrs;
pub(crate) use ifstats::if_stats;

use super::parse::net_dev::{self, NetDevCounters};
use super::parse::net_sockets::{self, InetSock, UnixSock};
use super::procfs;
use crate::net::{Addr, AddressFamily, ConnStatus, Connection, ConnectionKind, SocketType, Table};
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

/// Formats an address with `inet_ntop`, as psutil does (so IPv4-mapped
/// and IPv4-compatible IPv6 addresses read exactly like Python's).
pub(crate) fn ntop(v6: bool, bytes: &[u8; 16]) -> String {
    if !v6 {
        // Dotted quad, the same text inet_ntop writes, without the call
        // and the C-string round trip (thousands per net_connections).
        return std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string();
    }
    let family = libc::AF_INET6;
    let mut buf = [0 as libc::c_char; 64];
    // SAFETY: `bytes` holds at least an in6_addr (16 bytes); `buf` is
    // larger than INET6_ADDRSTRLEN and its length is passed.
    let p = unsafe {
        inet_ntop(
            family,
            bytes.as_ptr().cast(),
            buf.as_mut_ptr(),
            buf.len() as libc::socklen_t,
        )
    };
    if p.is_null() {
        return String::new();
    }
    // SAFETY: inet_ntop succeeded, so `buf` holds a NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

fn inet_addr(v6: bool, ip: &[u8; 16], port: u16) -> Addr {
    if port == 0 {
        Addr::Empty
    } else {
        Addr::Inet {
            ip: ntop(v6, ip),
            port,
        }
    }
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

/// psutil's `NetConnections.retrieve(kind, pid)`: system-wide when `pid`
/// is `None`, else only the sockets `pid` holds (each with `pid` set).
pub(crate) fn connections(kind: ConnectionKind, pid: Option<u32>) -> Result<Vec<Connection>> {
    let use_netlink = netlink_allowed();
    let read_tables = || -> Result<Vec<(Table, Rows)>> {
        let tables = kind.tables();
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
            let o = inodes::process_inodes(pid)?;
            if o.is_empty() {
                return Ok(Vec::new());
            }
            (o, read_tables()?)
        }
        // The fd walk is the slow part (one readlink per descriptor of
        // every process); the socket tables are read meanwhile.
        None => std::thread::scope(|s| {
            // Under the caller's `Roots::enter`, if any.
            let roots = procfs::scoped_roots();
            let tables = s.spawn(|| procfs::with_scoped_roots(roots, read_tables));
            let owners = inodes::all_inodes();
            let tables = tables
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            Ok::<_, Error>((owners?, tables?))
        })?,
    };
    let mut out = Vec::new();
    let mut push = |c: Connection| {
        if pid.is_none_or(|p| c.pid == Some(p)) {
            out.push(c);
        }
    };
    for (table, rows) in tables {
        match rows {
            Rows::Inet(rows) => {
                let (family, type_) = match table {
                    Table::Tcp4 => (AddressFamily::Inet, SocketType::Stream),
                    Table::Tcp6 => (AddressFamily::Inet6, SocketType::Stream),
                    Table::Udp4 => (AddressFamily::Inet, SocketType::Dgram),
                    _ => (AddressFamily::Inet6, SocketType::Dgram),
                };
                let v6 = family == AddressFamily::Inet6;
                for r in rows {
                    let (fd, owner) = match owners.get(r.inode) {
                        Some(o) => (o.first_fd, Some(o.pid)),
                        None => (-1, None),
                    };
                    if pid.is_some() && owner.is_none() {
                        continue;
                    }
                    let status = if type_ == SocketType::Stream {
                        ConnStatus::from_tcp_state(r.state)
                    } else {
                        ConnStatus::None
                    };
                    push(Connection {
                        fd,
                        family,
                        type_,
                        laddr: inet_addr(v6, &r.laddr, r.lport),
                        raddr: inet_addr(v6, &r.raddr, r.rport),
                        status,
                        pid: owner,
                    });
                }
            }
            Rows::Unix(rows) => {
                for r in rows {
                    let path = String::from_utf8_lossy(&r.path).into_owned();
                    let type_ = SocketType::from_i32(i32::try_from(r.stype).unwrap_or(-1));
                    let make = |fd: i32, pid: Option<u32>| Connection {
                        fd,
                        family: AddressFamily::Unix,
                        type_,
                        laddr: Addr::Path(path.clone()),
                        raddr: Addr::Path(String::new()),
                        status: ConnStatus::None,
                        pid,
                    };
                    match owners.get(r.inode) {
                        Some(o) => {
                            for fd in o.fds() {
                                push(make(fd, Some(o.pid)));
                            }
                        }
                        None if pid.is_none() => push(make(-1, None)),
                        None => {}
                    }
                }
            }
        }
    }
    // psutil returns a set: equal entries (e.g. TIME_WAIT sockets) once.
    out.sort_unstable();
    out.dedup();
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
            let mut wide = [0u8; 16];
            wide[..4].copy_from_slice(&b);
            assert_eq!(ntop(false, &wide), c_ntop4(b));
        }
    }

    #[test]
    fn ipv6_keeps_glibc_forms() {
        let mut mapped = [0u8; 16];
        mapped[10] = 0xff;
        mapped[11] = 0xff;
        mapped[12..].copy_from_slice(&[10, 0, 0, 1]);
        assert_eq!(ntop(true, &mapped), "::ffff:10.0.0.1");
        let mut one = [0u8; 16];
        one[15] = 1;
        assert_eq!(ntop(true, &one), "::1");
    }
}
