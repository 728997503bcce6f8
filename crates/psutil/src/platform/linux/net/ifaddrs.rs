//! `getifaddrs(3)`: the addresses of each NIC, formatted as psutil does
//! (`getnameinfo(NI_NUMERICHOST)` for IP addresses, hex octets for MACs).

use std::ffi::CStr;
use std::io;

use crate::net::{AddressFamily, NicAddr};
use crate::{Error, Result};

/// glibc and musl keep up to 24 hardware-address bytes behind an
/// `AF_PACKET` entry (`sockaddr_ll_max`).
const MAX_HWADDR: usize = 24;
/// Offset of `sll_halen` and `sll_addr` in `struct sockaddr_ll`.
const SLL_HALEN: usize = 11;
const SLL_ADDR: usize = 12;

/// Formats one address of `family`; `None` for a null pointer, an unknown
/// family, an empty MAC, or an address `getnameinfo` rejects.
///
/// # Safety
/// `sa` must be null or point to a socket address of `family` as
/// `getifaddrs` returns it.
unsafe fn convert(sa: *const libc::sockaddr, family: i32) -> Option<String> {
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
            Some(
                unsafe { CStr::from_ptr(host.as_ptr()) }
                    .to_string_lossy()
                    .into_owned(),
            )
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
            let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
            Some(hex.join(":"))
        }
        _ => None,
    }
}

/// Every (NIC, address) `getifaddrs` reports, in its order, before
/// psutil's sort by family and MAC padding. Entries without a usable
/// primary address are left out (psutil 7.2.2 skips them).
pub(crate) fn if_addrs() -> Result<Vec<(String, NicAddr)>> {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills `head` on success.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return Err(Error::Io {
            path: None,
            source: io::Error::last_os_error(),
        });
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
        let Some(fam) = AddressFamily::from_i32(family) else {
            continue;
        };
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
        out.push((
            name,
            NicAddr {
                family: fam,
                address,
                netmask,
                broadcast,
                ptp,
            },
        ));
    }
    // SAFETY: `head` came from a successful getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(head) };
    Ok(out)
}
