//! psutil's `net_if_addrs()` and `net_if_stats()`.

use std::fmt;
use std::net::IpAddr;

#[cfg(feature = "serde")]
use serde::Serialize;

use super::{format_ip, AddressFamily};
use crate::platform::imp::net::{self as imp, IfAddrRecord, RawIfAddr};
use crate::{NameMap, Result};

/// A hardware (link-layer) address, e.g. an Ethernet MAC: its octets, any
/// number of them (InfiniBand addresses have 20).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MacAddr(Vec<u8>);

impl MacAddr {
    /// The address with these octets.
    pub fn new(octets: impl Into<Vec<u8>>) -> Self {
        MacAddr(octets.into())
    }

    /// The octets.
    pub fn octets(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for MacAddr {
    /// psutil's text: lowercase hex octets joined by `:`
    /// (`aa:bb:cc:dd:ee:ff`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// One address of [`NicAddr`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NicAddress {
    /// An IPv4 or IPv6 address.
    Ip {
        /// The address.
        ip: IpAddr,
        /// The IPv6 zone as `getnameinfo` writes it after `%`: the NIC's
        /// name for link-local addresses (`fe80::1%eth0`), else a number.
        zone: Option<String>,
    },
    /// A hardware address (family `Link`).
    Mac(MacAddr),
}

impl NicAddress {
    /// The IP address, `None` for a MAC.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            NicAddress::Ip { ip, .. } => Some(*ip),
            NicAddress::Mac(_) => None,
        }
    }

    fn from_raw(raw: RawIfAddr) -> Self {
        match raw {
            RawIfAddr::Ip { ip, zone } => NicAddress::Ip { ip, zone },
            RawIfAddr::Hw(octets) => NicAddress::Mac(MacAddr(octets)),
        }
    }
}

impl fmt::Display for NicAddress {
    /// The string psutil reports: the IP as [`format_ip`] writes it, with
    /// `%zone` if any, or the MAC's hex octets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NicAddress::Ip { ip, zone: None } => f.write_str(&format_ip(*ip)),
            NicAddress::Ip { ip, zone: Some(z) } => write!(f, "{}%{z}", format_ip(*ip)),
            NicAddress::Mac(m) => m.fmt(f),
        }
    }
}

#[cfg(feature = "serde")]
impl Serialize for NicAddress {
    /// As psutil's string.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// psutil's `snicaddr`: one address of a NIC (`net_if_addrs()`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
// Serialize only: addresses serialize as psutil's strings.
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct NicAddr {
    /// `Inet`, `Inet6`, or `Link` for the MAC address.
    pub family: AddressFamily,
    /// The address; a MAC is padded to six octets with zeros, as psutil
    /// does.
    pub address: NicAddress,
    /// The netmask, when the NIC has one.
    pub netmask: Option<NicAddress>,
    /// Set on broadcast-capable NICs (mutually exclusive with `ptp`).
    pub broadcast: Option<NicAddress>,
    /// The peer of a point-to-point NIC.
    pub ptp: Option<NicAddress>,
}

impl NicAddr {
    fn from_record(r: IfAddrRecord) -> Option<(String, NicAddr)> {
        let family = AddressFamily::from_i32(r.family)?;
        let mut address = NicAddress::from_raw(r.address);
        if let NicAddress::Mac(MacAddr(octets)) = &mut address {
            if octets.len() < 6 {
                octets.resize(6, 0);
            }
        }
        let addr = NicAddr {
            family,
            address,
            netmask: r.netmask.map(NicAddress::from_raw),
            broadcast: r.broadcast.map(NicAddress::from_raw),
            ptp: r.ptp.map(NicAddress::from_raw),
        };
        Some((r.name, addr))
    }
}

/// psutil's `net_if_addrs()`: the addresses of each NIC, from
/// `getifaddrs()`. Each list is sorted by family (IPv4, IPv6, then MAC;
/// stable), and NICs come in order of their first address after that sort,
/// as in psutil's dict.
///
/// ```
/// for (nic, addrs) in psutil::net::net_if_addrs()?.iter() {
///     for a in addrs {
///         // psutil's strings: `127.0.0.1`, `fe80::1%eth0`, `aa:bb:cc:dd:ee:ff`.
///         println!("{nic}: {} {}", a.family, a.address);
///     }
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when `getifaddrs()` fails.
pub fn net_if_addrs() -> Result<NameMap<Vec<NicAddr>>> {
    let mut raw: Vec<(String, NicAddr)> = imp::if_addrs()?
        .into_iter()
        .filter_map(NicAddr::from_record)
        .collect();
    raw.sort_by_key(|(_, a)| a.family.as_i32());
    let mut out: NameMap<Vec<NicAddr>> = NameMap::new();
    for (name, addr) in raw {
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
    /// Every value.
    pub const ALL: &'static [NicDuplex] = &[NicDuplex::Full, NicDuplex::Half, NicDuplex::Unknown];

    /// psutil's number: 2, 1 or 0.
    pub fn as_i32(self) -> i32 {
        match self {
            NicDuplex::Full => 2,
            NicDuplex::Half => 1,
            NicDuplex::Unknown => 0,
        }
    }

    /// The value with psutil's number `n`.
    pub fn from_i32(n: i32) -> Option<Self> {
        Self::ALL.iter().copied().find(|d| d.as_i32() == n)
    }

    /// psutil's constant name (`"NIC_DUPLEX_FULL"`, ...).
    pub fn as_str(self) -> &'static str {
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

psutil_names!(NicDuplex, "duplex");

/// psutil's `snicstats`: `net_if_stats()` of one NIC.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
// Serialize only: a field serializes lossily (enum as its psutil int).
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct NicStats {
    /// psutil's rule: the `running` flag (not `up`).
    pub isup: bool,
    /// The duplex mode ethtool reports.
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
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when `/proc/net/dev` cannot be read, or an ioctl fails
/// other than with ENODEV (or, for ethtool, EOPNOTSUPP/EINVAL: speed 0,
/// duplex unknown).
pub fn net_if_stats() -> Result<NameMap<NicStats>> {
    let names = imp::net_dev()?;
    let mut out = NameMap::new();
    for (name, _) in names {
        if let Some(s) = imp::if_stats(&name)? {
            let duplex = match s.full_duplex {
                Some(true) => NicDuplex::Full,
                Some(false) => NicDuplex::Half,
                None => NicDuplex::Unknown,
            };
            let stats = NicStats {
                isup: s.running,
                duplex,
                speed: s.speed,
                mtu: s.mtu,
                flags: s.flags,
            };
            out.insert(name, stats);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_text() {
        assert_eq!(MacAddr::new([0xaa, 0, 0x0b]).to_string(), "aa:00:0b");
        let scoped = NicAddress::Ip {
            ip: "fe80::1".parse().unwrap(),
            zone: Some("eth0".into()),
        };
        assert_eq!(scoped.to_string(), "fe80::1%eth0");
        for &d in NicDuplex::ALL {
            assert_eq!(d.as_str().parse::<NicDuplex>().unwrap(), d);
            assert_eq!(NicDuplex::from_i32(d.as_i32()), Some(d));
        }
    }
}
