//! NIC state through ioctls on an `AF_INET` datagram socket, as psutil:
//! `SIOCGIFMTU`, `SIOCGIFFLAGS` and `SIOCETHTOOL` (`ETHTOOL_GSET`).

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use crate::{Error, Result};

const SIOCGIFFLAGS: u64 = 0x8913;
const SIOCGIFMTU: u64 = 0x8921;
const SIOCETHTOOL: u64 = 0x8946;
const ETHTOOL_GSET: u32 = 1;

/// Flag bits and names in psutil's order (Linux's `IFF_*`).
const FLAGS: [(libc::c_int, &str); 16] = [
    (libc::IFF_UP, "up"),
    (libc::IFF_BROADCAST, "broadcast"),
    (libc::IFF_DEBUG, "debug"),
    (libc::IFF_LOOPBACK, "loopback"),
    (libc::IFF_POINTOPOINT, "pointopoint"),
    (libc::IFF_NOTRAILERS, "notrailers"),
    (libc::IFF_RUNNING, "running"),
    (libc::IFF_NOARP, "noarp"),
    (libc::IFF_PROMISC, "promisc"),
    (libc::IFF_ALLMULTI, "allmulti"),
    (libc::IFF_MASTER, "master"),
    (libc::IFF_SLAVE, "slave"),
    (libc::IFF_MULTICAST, "multicast"),
    (libc::IFF_PORTSEL, "portsel"),
    (libc::IFF_AUTOMEDIA, "automedia"),
    (libc::IFF_DYNAMIC, "dynamic"),
];

/// psutil's flag string for `SIOCGIFFLAGS` bits.
pub(crate) fn flag_names(flags: libc::c_int) -> String {
    let names: Vec<&str> = FLAGS
        .iter()
        .filter(|(bit, _)| flags & 0xffff & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    names.join(",")
}

fn ifreq(name: &str) -> Option<libc::ifreq> {
    let b = name.as_bytes();
    if b.is_empty() || b.len() >= libc::IFNAMSIZ || b.contains(&0) {
        return None;
    }
    // SAFETY: ifreq is plain data; all-zero is valid.
    let mut r: libc::ifreq = unsafe { std::mem::zeroed() };
    for (d, s) in r.ifr_name.iter_mut().zip(b) {
        *d = *s as libc::c_char;
    }
    Some(r)
}

fn ioctl(sock: &OwnedFd, req: u64, r: &mut libc::ifreq) -> io::Result<()> {
    // SAFETY: `r` is a valid ifreq for the request; any ifr_data pointer it
    // holds points to a live buffer of the size the request expects.
    let rc = unsafe { libc::ioctl(sock.as_raw_fd(), req as _, r as *mut libc::ifreq) };
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// One NIC's state as the ioctls give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IfStatsRecord {
    /// `IFF_RUNNING` (psutil's `isup`).
    pub running: bool,
    /// ethtool's duplex: `Some(true)` full, `Some(false)` half, `None`
    /// unknown or no ethtool.
    pub full_duplex: Option<bool>,
    /// Mbit/s; 0 when unknown.
    pub speed: u32,
    pub mtu: u32,
    /// psutil's comma-joined flag names.
    pub flags: String,
}

/// psutil's per-NIC part of `net_if_stats()`; `Ok(None)` when the NIC is
/// gone (ENODEV).
pub(crate) fn if_stats(name: &str) -> Result<Option<IfStatsRecord>> {
    let Some(mut req) = ifreq(name) else {
        return Ok(None);
    };
    // SAFETY: plain socket(2); the result is checked.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(Error::os(io::Error::last_os_error()));
    }
    // SAFETY: a fresh descriptor nothing else owns.
    let sock = unsafe { OwnedFd::from_raw_fd(fd) };
    let gone = |e: &io::Error| e.raw_os_error() == Some(libc::ENODEV);

    match ioctl(&sock, SIOCGIFMTU, &mut req) {
        Ok(()) => {}
        Err(e) if gone(&e) => return Ok(None),
        Err(e) => return Err(Error::os(e)),
    }
    // SAFETY: SIOCGIFMTU filled the mtu member.
    let mtu = unsafe { req.ifr_ifru.ifru_mtu };
    match ioctl(&sock, SIOCGIFFLAGS, &mut req) {
        Ok(()) => {}
        Err(e) if gone(&e) => return Ok(None),
        Err(e) => return Err(Error::os(e)),
    }
    // SAFETY: SIOCGIFFLAGS filled the flags member.
    let flags = libc::c_int::from(unsafe { req.ifr_ifru.ifru_flags }) & 0xffff;

    // struct ethtool_cmd (44 bytes), as u32 words for alignment.
    let mut cmd = [0u32; 11];
    cmd[0] = ETHTOOL_GSET;
    req.ifr_ifru.ifru_data = cmd.as_mut_ptr().cast();
    let (duplex, speed) = match ioctl(&sock, SIOCETHTOOL, &mut req) {
        Ok(()) => {
            let bytes: Vec<u8> = cmd.iter().flat_map(|w| w.to_ne_bytes()).collect();
            let lo = u32::from(u16::from_ne_bytes([bytes[12], bytes[13]]));
            let hi = u32::from(u16::from_ne_bytes([bytes[28], bytes[29]]));
            let speed = (hi << 16) | lo;
            let speed = if speed == u32::MAX || speed > i32::MAX as u32 {
                0
            } else {
                speed
            };
            let duplex = match bytes[14] {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            };
            (duplex, speed)
        }
        Err(e)
            if matches!(
                e.raw_os_error(),
                Some(libc::EOPNOTSUPP) | Some(libc::EINVAL)
            ) =>
        {
            (None, 0)
        }
        Err(e) if gone(&e) => return Ok(None),
        Err(e) => return Err(Error::os(e)),
    };
    Ok(Some(IfStatsRecord {
        running: flags & libc::IFF_RUNNING != 0,
        full_duplex: duplex,
        speed,
        mtu: u32::try_from(mtu).unwrap_or(0),
        flags: flag_names(flags),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_in_psutil_order() {
        let f = libc::IFF_MULTICAST | libc::IFF_UP | libc::IFF_RUNNING | libc::IFF_BROADCAST;
        assert_eq!(flag_names(f), "up,broadcast,running,multicast");
        assert_eq!(flag_names(0), "");
    }

    #[test]
    fn bad_names() {
        assert!(ifreq("").is_none());
        assert!(ifreq("a-very-long-interface-name").is_none());
        assert_eq!(if_stats("nonexistent-if0").unwrap(), None);
    }
}
