//! `getifaddrs(3)`: the addresses of each NIC, as psutil reads them
//! (`getnameinfo(NI_NUMERICHOST)` for IP addresses, so an IPv6 zone is the
//! text the C library appends after `%`; the raw octets for MACs).

use std::ffi::CStr;
use std::io;
use std::net::IpAddr;

use crate::{Error, Result};

/// One address of an `ifaddrs` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawIfAddr {
    /// An IPv4 or IPv6 address and the zone `getnameinfo` writes after
    /// `%` (an interface name for link-local addresses, else a number).
    Ip { ip: IpAddr, zone: Option<String> },
    /// A hardware address (`AF_PACKET`), up to 24 octets.
    Hw(Vec<u8>),
}

/// One `ifaddrs` entry with a usable primary address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IfAddrRecord {
    pub name: String,
    /// `AF_INET`, `AF_INET6` or `AF_PACKET`.
    pub family: i32,
    pub address: RawIfAddr,
    pub netmask: Option<RawIfAddr>,
    pub broadcast: Option<RawIfAddr>,
    pub ptp: Option<RawIfAddr>,
}

/// glibc and musl keep up to 24 hardware-address bytes behind an
/// `AF_PACKET` entry (`sockaddr_ll_max`).
const MAX_HWADDR: usize = 24;
/// Offset of `sll_halen` and `sll_addr` in `struct sockaddr_ll`.
const SLL_HALEN: usize = 11;
const SLL_ADDR: usize = 12;

/// Reads one address of `family`; `None` for a null pointer, an unknown
/// family, an empty MAC, or an address `getnameinfo` rejects.
///
/// # Safety
/// `sa` must be null or point to a socket address of `family` as
/// `getifaddrs` returns it.
unsafe fn convert(sa: *const libc::sockaddr, family: i32) -> Option<RawIfAddr> {
    if sa.is_null() {
        return None;
    }
    match family {
        libc::AF_INET | libc::AF_INET6 => {
            let len = if family == libc::AF_INET {
                std::mem::size_of::<libc::sockaddr_in>()
            } else {
                std::mem::size_of::<libc::sockaddr_in6>()
            };
            let mut host = [0 as libc::c_char; 1025];
            // SAFETY: `sa` points to a sockaddr of `len` bytes (caller's
            // contract); `host` is writable for its length.
            let rc = unsafe {
                libc::getnameinfo(
                    sa,
                    len as libc::socklen_t,
                    host.as_mut_ptr(),
                    host.len() as libc::socklen_t,
                    std::ptr::null_mut(),
                    0,
                    libc::NI_NUMERICHOST,
                )
            };
            if rc != 0 {
                return None;
            }
            // SAFETY: getnameinfo succeeded: `host` is NUL-terminated.
            let text = unsafe { CStr::from_ptr(host.as_ptr()) }.to_string_lossy();
            // The text is parsed back rather than read from the sockaddr so
            // that the zone is exactly what the C library writes.
            let (ip, zone) = match text.split_once('%') {
                Some((ip, zone)) => (ip, Some(zone.to_owned())),
                None => (&*text, None),
            };
            Some(RawIfAddr::Ip {
                ip: ip.parse().ok()?,
                zone,
            })
        }
        libc::AF_PACKET => {
            let base = sa.cast::<u8>();
            // SAFETY: an AF_PACKET entry is a sockaddr_ll (at least 20
            // bytes), so offset 11 is in bounds.
            let halen = usize::from(unsafe { *base.add(SLL_HALEN) }).min(MAX_HWADDR);
            if halen == 0 {
                return None;
            }
            // SAFETY: the C libraries store up to MAX_HWADDR address bytes
            // from offset 12; `halen` is capped to that.
            let bytes = unsafe { std::slice::from_raw_parts(base.add(SLL_ADDR), halen) };
            Some(RawIfAddr::Hw(bytes.to_vec()))
        }
        _ => None,
    }
}

/// Every entry of family `AF_INET`, `AF_INET6` or `AF_PACKET` that
/// `getifaddrs` reports, in its order. Entries without a usable primary
/// address are left out (psutil 7.2.2 skips them).
pub(crate) fn if_addrs() -> Result<Vec<IfAddrRecord>> {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills `head` on success.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return Err(Error::os(io::Error::last_os_error()));
    }
    let mut out = Vec::new();
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getifaddrs returned, which
        // stays valid until freeifaddrs below.
        let ifa = unsafe { &*cur };
        cur = ifa.ifa_next;
        if ifa.ifa_addr.is_null() || ifa.ifa_name.is_null() {
            continue;
        }
        // SAFETY: ifa_addr is non-null and points to at least a sockaddr.
        let family = i32::from(unsafe { (*ifa.ifa_addr).sa_family });
        if !matches!(family, libc::AF_INET | libc::AF_INET6 | libc::AF_PACKET) {
            continue;
        }
        // SAFETY: (every `convert` call) the pointers come from getifaddrs
        // and describe addresses of the entry's family, or are null.
        let Some(address) = (unsafe { convert(ifa.ifa_addr, family) }) else {
            continue;
        };
        // SAFETY: as above (getifaddrs' netmask pointer, or null).
        let netmask = unsafe { convert(ifa.ifa_netmask, family) };
        let flags = ifa.ifa_flags as libc::c_int;
        let (broadcast, ptp) = if flags & libc::IFF_BROADCAST != 0 {
            // SAFETY: as above (the broadcast address, or null).
            (unsafe { convert(ifa.ifa_ifu, family) }, None)
        } else if flags & libc::IFF_POINTOPOINT != 0 {
            // SAFETY: as above (the point-to-point peer, or null).
            (None, unsafe { convert(ifa.ifa_ifu, family) })
        } else {
            (None, None)
        };
        // SAFETY: ifa_name is a NUL-terminated string owned by the list.
        let name = unsafe { CStr::from_ptr(ifa.ifa_name) }
            .to_string_lossy()
            .into_owned();
        out.push(IfAddrRecord {
            name,
            family,
            address,
            netmask,
            broadcast,
            ptp,
        });
    }
    // SAFETY: `head` came from a successful getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(head) };
    Ok(out)
}
