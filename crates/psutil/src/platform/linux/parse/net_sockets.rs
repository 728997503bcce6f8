//! `/proc/net/{tcp,tcp6,udp,udp6,unix}`, proc(5): the socket tables.
//!
//! The same raw records come out of the netlink `sock_diag` reader, so both
//! sources feed one conversion into psutil's `sconn`.

use super::{fields, parse_u64};

/// One TCP or UDP socket. Addresses are in network byte order (IPv4 uses
/// the first four bytes); ports are host order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InetSock {
    pub v6: bool,
    pub laddr: [u8; 16],
    pub lport: u16,
    pub raddr: [u8; 16],
    pub rport: u16,
    /// The kernel's TCP state number (1 = ESTABLISHED ... 11 = CLOSING).
    pub state: u8,
    pub inode: u64,
}

/// One UNIX socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnixSock {
    /// `SOCK_STREAM` (1), `SOCK_DGRAM` (2), `SOCK_SEQPACKET` (5).
    pub stype: u32,
    pub inode: u64,
    /// The bound path as `/proc/net/unix` shows it: abstract names start
    /// with `@`; empty when unbound.
    pub path: Vec<u8>,
}

fn hex_u32(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 8 {
        return None;
    }
    let mut v: u32 = 0;
    for &c in s {
        let d = (c as char).to_digit(16)?;
        v = (v << 4) | d;
    }
    Some(v)
}

/// Decodes `HEXIP:HEXPORT`. The kernel prints each 32-bit word of the
/// address as a native-endian integer, so the bytes come back with
/// `to_ne_bytes` on any host.
fn parse_addr(s: &[u8], v6: bool) -> Option<([u8; 16], u16)> {
    let colon = s.iter().position(|&c| c == b':')?;
    let (ip, port) = (&s[..colon], &s[colon + 1..]);
    let port = u16::try_from(hex_u32(port)?).ok()?;
    let words = if v6 { 4 } else { 1 };
    if ip.len() != words * 8 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, chunk) in ip.chunks(8).enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&hex_u32(chunk)?.to_ne_bytes());
    }
    Some((out, port))
}

fn parse_inet_line(line: &[u8], v6: bool) -> Option<InetSock> {
    let mut f = fields(line);
    let _slot = f.next()?;
    let (laddr, lport) = parse_addr(f.next()?, v6)?;
    let (raddr, rport) = parse_addr(f.next()?, v6)?;
    let state = u8::try_from(hex_u32(f.next()?)?).ok()?;
    let inode = parse_u64(f.nth(5)?)?;
    Some(InetSock {
        v6,
        laddr,
        lport,
        raddr,
        rport,
        state,
        inode,
    })
}

/// Parses `/proc/net/tcp` or `udp` (`v6 = false`) or their `6` variants.
/// The header line and malformed or truncated lines are skipped.
pub fn parse_inet(data: &[u8], v6: bool) -> Vec<InetSock> {
    data.split(|&c| c == b'\n')
        .skip(1)
        .filter_map(|l| parse_inet_line(l, v6))
        .collect()
}

/// Splits off `n` whitespace-separated fields; returns them and the rest
/// of the line after the single separating space.
fn split_fields(line: &[u8], n: usize) -> Option<(Vec<&[u8]>, &[u8])> {
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while out.len() < n {
        while i < line.len() && line[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == line.len() {
            return None;
        }
        let start = i;
        while i < line.len() && !line[i].is_ascii_whitespace() {
            i += 1;
        }
        out.push(&line[start..i]);
    }
    let rest = line.get(i + 1..).unwrap_or_default();
    Some((out, rest))
}

fn parse_unix_line(line: &[u8]) -> Option<UnixSock> {
    // Num RefCount Protocol Flags Type St Inode [Path]
    let (f, path) = split_fields(line, 7)?;
    Some(UnixSock {
        stype: hex_u32(f[4])?,
        inode: parse_u64(f[6])?,
        path: path.to_vec(),
    })
}

/// Parses `/proc/net/unix`. The path is everything after the inode, so
/// paths containing spaces are kept whole. Truncated lines are skipped.
pub fn parse_unix(data: &[u8]) -> Vec<UnixSock> {
    data.split(|&c| c == b'\n')
        .skip(1)
        .filter_map(parse_unix_line)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inet4() {
        let data = b"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0
   1: 0500000A:9E49 0100007F:0016 01 00000000:00000000 00:00000000 00000000  1000        0 678 1
   2: 0500000A:9E49 0100007F
";
        let v = parse_inet(data, false);
        assert_eq!(v.len(), 2);
        assert_eq!(&v[0].laddr[..4], &[127, 0, 0, 1]);
        assert_eq!(
            (v[0].lport, v[0].rport, v[0].state, v[0].inode),
            (22, 0, 10, 12345)
        );
        assert_eq!(&v[1].laddr[..4], &[10, 0, 0, 5]);
        assert_eq!((v[1].lport, v[1].rport, v[1].state), (40521, 22, 1));
    }

    #[test]
    fn inet6_mapped() {
        let data = b"header\n   0: 0000000000000000FFFF00000100007F:9E49 00000000000000000000000001000000:0016 01 0:0 0:0 0 0 0 99\n";
        let v = parse_inet(data, true);
        assert_eq!(v.len(), 1);
        assert_eq!(
            v[0].laddr,
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1]
        );
        let mut one = [0u8; 16];
        one[15] = 1;
        assert_eq!(v[0].raddr, one);
        assert_eq!(v[0].inode, 99);
        // A v4-length address in a v6 file is malformed.
        assert!(
            parse_inet(b"h\n 0: 0100007F:0016 0100007F:0016 01 0 0 0 0 0 1\n", true).is_empty()
        );
    }

    #[test]
    fn unix_paths() {
        let data = b"Num       RefCount Protocol Flags    Type St Inode Path
0000000000000000: 00000002 00000000 00010000 0001 01 1001 /run/a b  c
0000000000000000: 00000002 00000000 00000000 0002 01 1002 @abstract\x01name
0000000000000000: 00000003 00000000 00000000 0005 03 1003
0000000000000000: 00000003 0000
0000000000000000
";
        let v = parse_unix(data);
        assert_eq!(v.len(), 3);
        assert_eq!((v[0].stype, v[0].inode), (1, 1001));
        assert_eq!(v[0].path, b"/run/a b  c");
        assert_eq!(v[1].path, b"@abstract\x01name");
        assert_eq!(
            (v[2].stype, v[2].inode, v[2].path.as_slice()),
            (5, 1003, &b""[..])
        );
    }

    fn fixture(name: &str) -> Vec<u8> {
        let p = format!("{}/tests/fixtures/net/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(p).unwrap()
    }

    #[test]
    fn fixture_files() {
        let tcp = parse_inet(&fixture("tcp"), false);
        assert_eq!(tcp.len(), 4); // the truncated line is skipped
        let tcp6 = parse_inet(&fixture("tcp6"), true);
        assert_eq!(tcp6.len(), 3);
        assert_eq!(&tcp6[0].laddr[10..], &[0xff, 0xff, 127, 0, 0, 1]);
        let udp = parse_inet(&fixture("udp"), false);
        assert_eq!((udp[0].lport, udp[0].state, udp[0].inode), (53, 7, 3001));
        let unix = parse_unix(&fixture("unix"));
        assert_eq!(unix.len(), 4);
        assert_eq!(unix[0].path, b"/run/my app/sock et");
        assert_eq!(unix[1].path, b"@abstract-name");
    }
}
