//! Network: psutil's `net_io_counters`, `net_if_addrs`, `net_if_stats`
//! and `net_connections`, with psutil's field names.
//!
//! ```
//! use psutil::net::{net_connections, ConnectionKind};
//!
//! for c in net_connections("tcp".parse::<ConnectionKind>()?)? {
//!     println!("{:?} {} -> {} {} {:?}", c.pid, c.laddr, c.raddr, c.status, c.fd);
//!     // The holder as it was during the scan; an error if it has exited.
//!     if let Ok(Some(p)) = c.process() {
//!         println!("  held by {:?}", p.name());
//!     }
//! }
//! # Ok::<(), psutil::Error>(())
//! ```
//!
//! Per-NIC results come in a [`NameMap`](crate::NameMap): a map that keeps
//! psutil's key order (the order of `/proc/net/dev`, or of `getifaddrs()`
//! for `net_if_addrs`).
//!
//! Addresses are typed: [`std::net::IpAddr`] and a port, a [`PathBuf`]
//! for UNIX sockets, a [`MacAddr`] for hardware addresses. Their `Display`
//! (and [`format_ip`]) writes the strings psutil reports.
//!
//! [`PathBuf`]: std::path::PathBuf
//!
//! # Enums
//!
//! The enums of this module ([`AddressFamily`], [`SocketType`],
//! [`ConnStatus`], [`ConnectionKind`], [`NicDuplex`]) follow one
//! convention:
//! - `as_str()` is psutil's name for the value (`"AF_INET"`,
//!   `"SOCK_STREAM"`, `"LISTEN"`, `"tcp6"`, `"NIC_DUPLEX_FULL"`), and
//!   `Display` writes it;
//! - `FromStr` parses that name; any other text is
//!   [`Error::InvalidArgument`](crate::Error::InvalidArgument);
//! - `ALL` lists every named value;
//! - `as_i32()`/`from_i32()` exist where psutil exposes a number (families,
//!   socket types, duplex), and serde writes that number (statuses as their
//!   name).

use std::net::IpAddr;

#[cfg(feature = "serde")]
use serde::Serialize;

use crate::platform::imp::net as imp;

mod connections;
mod interfaces;
mod io_counters;

pub(crate) use connections::process_connections;
pub use connections::{
    net_connections, net_connections_with, Addr, ConnStatus, Connection, ConnectionKind,
    ProcessConnection, SocketType,
};
pub use interfaces::{
    net_if_addrs, net_if_stats, MacAddr, NicAddr, NicAddress, NicDuplex, NicStats,
};
pub use io_counters::{
    net_io_counters, net_io_counters_cache_clear, net_io_counters_pernic, NetIoCounters,
    NetIoNowrap,
};

/// The text psutil reports for an IP address: what the C library's
/// `inet_ntop` writes (Python's `socket.inet_ntop`). It differs from
/// `IpAddr`'s `Display` for IPv4-compatible IPv6 addresses (`::10.0.0.1`,
/// where Rust writes `::a00:1`).
pub fn format_ip(ip: IpAddr) -> String {
    imp::ntop(ip)
}

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
    /// Every family.
    pub const ALL: &'static [AddressFamily] = &[
        AddressFamily::Unix,
        AddressFamily::Inet,
        AddressFamily::Inet6,
        AddressFamily::Link,
    ];

    /// The kernel's number.
    pub fn as_i32(self) -> i32 {
        match self {
            AddressFamily::Unix => imp::family::UNIX,
            AddressFamily::Inet => imp::family::INET,
            AddressFamily::Inet6 => imp::family::INET6,
            AddressFamily::Link => imp::family::PACKET,
        }
    }

    /// The family with the kernel's number `n`.
    pub fn from_i32(n: i32) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.as_i32() == n)
    }

    /// Python's name for it (`"AF_INET"`, ...; `"AF_LINK"` for MACs).
    pub fn as_str(self) -> &'static str {
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

psutil_names!(AddressFamily, "address family");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families() {
        for &f in AddressFamily::ALL {
            assert_eq!(f.as_str().parse::<AddressFamily>().unwrap(), f);
            assert_eq!(AddressFamily::from_i32(f.as_i32()), Some(f));
        }
        let e = "AF_X".parse::<AddressFamily>().unwrap_err();
        assert_eq!(e.kind_name(), "ValueError");
    }

    #[test]
    fn ip_text() {
        assert_eq!(
            format_ip("::ffff:10.0.0.1".parse().unwrap()),
            "::ffff:10.0.0.1"
        );
        assert_eq!(format_ip("10.1.2.3".parse().unwrap()), "10.1.2.3");
    }
}
