//! Socket tables through netlink `sock_diag` (sock_diag(7)): one dump
//! request per table, binary records instead of `/proc/net/*` text.
//!
//! Any failure (no netlink, a kernel without `tcp_diag`/`udp_diag`/
//! `unix_diag`, a malformed reply) is returned as an error and the caller
//! reads `/proc/net/*` instead.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use super::{Rows, Table};
use crate::platform::imp::parse::net_sockets::{InetSock, UnixSock};

const NETLINK_SOCK_DIAG: libc::c_int = 4;
const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// The original inet_diag request type: TCP sockets of both families in
/// one walk of the kernel's hash tables (`SOCK_DIAG_BY_FAMILY` walks them
/// once per family).
const TCPDIAG_GETSOCK: u16 = 18;
const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_DUMP: u16 = 0x300;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLMSG_HDRLEN: usize = 16;
/// `struct inet_diag_msg`.
const INET_DIAG_MSG_LEN: usize = 72;
/// `struct unix_diag_msg`.
const UNIX_DIAG_MSG_LEN: usize = 16;
const UDIAG_SHOW_NAME: u32 = 0x1;
const UNIX_DIAG_NAME: u16 = 0;
/// Big enough for any dump chunk (the kernel caps them at 32 KiB).
const RECV_BUF: usize = 64 * 1024;
const SEQ: u32 = 0x7073_7574; // "psut"

fn align4(n: usize) -> usize {
    (n + 3) & !3
}

fn malformed() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "malformed sock_diag reply")
}

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(off..off + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(off..off + 4)?.try_into().ok()?))
}

/// Builds the dump request for `table`: `nlmsghdr` followed by
/// `inet_diag_req_v2` or `unix_diag_req`.
fn request(table: Table) -> Vec<u8> {
    let mut body = Vec::with_capacity(56);
    match table {
        Table::Unix => {
            // unix_diag_req: family, protocol, pad, states, ino, show, cookie[2]
            body.push(libc::AF_UNIX as u8);
            body.push(0);
            body.extend_from_slice(&0u16.to_ne_bytes());
            body.extend_from_slice(&u32::MAX.to_ne_bytes());
            body.extend_from_slice(&0u32.to_ne_bytes());
            body.extend_from_slice(&UDIAG_SHOW_NAME.to_ne_bytes());
            body.extend_from_slice(&[0u8; 8]);
        }
        _ => {
            let family = match table {
                Table::Tcp4 | Table::Udp4 => libc::AF_INET,
                _ => libc::AF_INET6,
            };
            let proto = match table {
                Table::Tcp4 | Table::Tcp6 => libc::IPPROTO_TCP,
                _ => libc::IPPROTO_UDP,
            };
            // inet_diag_req_v2: family, protocol, ext, pad, states, sockid
            body.push(family as u8);
            body.push(proto as u8);
            body.push(0);
            body.push(0);
            body.extend_from_slice(&u32::MAX.to_ne_bytes());
            body.extend_from_slice(&[0u8; 48]);
        }
    }
    with_header(SOCK_DIAG_BY_FAMILY, &body)
}

/// The `TCPDIAG_GETSOCK` dump request: `nlmsghdr` followed by the old
/// `inet_diag_req` (family, src_len, dst_len, ext, sockid, states, dbs);
/// the kernel ignores the family and answers for IPv4 and IPv6.
fn request_tcp_both() -> Vec<u8> {
    let mut body = Vec::with_capacity(60);
    body.extend_from_slice(&[libc::AF_INET as u8, 0, 0, 0]);
    body.extend_from_slice(&[0u8; 48]);
    body.extend_from_slice(&u32::MAX.to_ne_bytes());
    body.extend_from_slice(&0u32.to_ne_bytes());
    with_header(TCPDIAG_GETSOCK, &body)
}

fn with_header(typ: u16, body: &[u8]) -> Vec<u8> {
    let len = NLMSG_HDRLEN + body.len();
    let mut msg = Vec::with_capacity(len);
    msg.extend_from_slice(&(len as u32).to_ne_bytes());
    msg.extend_from_slice(&typ.to_ne_bytes());
    msg.extend_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    msg.extend_from_slice(&SEQ.to_ne_bytes());
    msg.extend_from_slice(&0u32.to_ne_bytes());
    msg.extend_from_slice(body);
    msg
}

fn open_socket() -> io::Result<OwnedFd> {
    // SAFETY: plain socket(2) call; the result is checked.
    let fd = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
            NETLINK_SOCK_DIAG,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is a fresh descriptor that nothing else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    // A reply that never comes must not hang the caller.
    let tv = libc::timeval {
        tv_sec: 5,
        tv_usec: 0,
    };
    // SAFETY: `tv` is a valid timeval and its size is passed.
    unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&tv as *const libc::timeval).cast(),
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        );
    }
    Ok(fd)
}

fn send(fd: &OwnedFd, msg: &[u8]) -> io::Result<()> {
    // SAFETY: zeroed sockaddr_nl is valid; family set below (pid 0 = kernel).
    let mut addr: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    loop {
        // SAFETY: `msg` and `addr` are valid for the lengths passed.
        let n = unsafe {
            libc::sendto(
                fd.as_raw_fd(),
                msg.as_ptr().cast(),
                msg.len(),
                0,
                (&addr as *const libc::sockaddr_nl).cast(),
                std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if n >= 0 {
            return if n as usize == msg.len() {
                Ok(())
            } else {
                Err(io::Error::new(
                    io::ErrorKind::WriteZero,
                    "short netlink send",
                ))
            };
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Receives one datagram; an error if it did not fit the buffer.
fn recv(fd: &OwnedFd, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        // SAFETY: `buf` is writable for its length. MSG_TRUNC makes the
        // return value the datagram's real length.
        let n = unsafe {
            libc::recv(
                fd.as_raw_fd(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                libc::MSG_TRUNC,
            )
        };
        if n >= 0 {
            let n = n as usize;
            if n > buf.len() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "truncated netlink reply",
                ));
            }
            return Ok(n);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

fn parse_inet(p: &[u8]) -> Option<InetSock> {
    if p.len() < INET_DIAG_MSG_LEN {
        return None;
    }
    let v6 = i32::from(p[0]) == libc::AF_INET6;
    let mut laddr = [0u8; 16];
    let mut raddr = [0u8; 16];
    laddr.copy_from_slice(&p[8..24]);
    raddr.copy_from_slice(&p[24..40]);
    Some(InetSock {
        v6,
        laddr,
        lport: u16::from_be_bytes([p[4], p[5]]),
        raddr,
        rport: u16::from_be_bytes([p[6], p[7]]),
        state: p[1],
        inode: u64::from(u32_at(p, 68)?),
    })
}

/// The name as `/proc/net/unix` prints it: abstract names get `@` for the
/// leading NUL (and for any NUL inside); paths stop at their NUL.
fn unix_name(raw: &[u8]) -> Vec<u8> {
    match raw.split_first() {
        None => Vec::new(),
        Some((0, rest)) => {
            let mut v = Vec::with_capacity(raw.len());
            v.push(b'@');
            v.extend(rest.iter().map(|&c| if c == 0 { b'@' } else { c }));
            v
        }
        Some(_) => raw.split(|&c| c == 0).next().unwrap_or_default().to_vec(),
    }
}

fn parse_unix(p: &[u8]) -> Option<UnixSock> {
    if p.len() < UNIX_DIAG_MSG_LEN {
        return None;
    }
    let stype = u32::from(p[1]);
    let inode = u64::from(u32_at(p, 4)?);
    let mut path = Vec::new();
    let mut off = UNIX_DIAG_MSG_LEN;
    while off + 4 <= p.len() {
        let len = usize::from(u16_at(p, off)?);
        let typ = u16_at(p, off + 2)?;
        if len < 4 || off + len > p.len() {
            break;
        }
        if typ == UNIX_DIAG_NAME {
            path = unix_name(&p[off + 4..off + len]);
        }
        off += align4(len);
    }
    Some(UnixSock { stype, inode, path })
}

/// A netlink status code: 0 or a negated errno. `i32::MIN` has no
/// positive counterpart and is malformed.
fn check_code(raw: u32) -> io::Result<()> {
    match (raw as i32).checked_neg() {
        Some(errno) if errno > 0 => Err(io::Error::from_raw_os_error(errno)),
        Some(_) => Ok(()),
        None => Err(malformed()),
    }
}

/// Fuzzing: one datagram parsed as a reply of every table.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn parse_any_datagram(buf: &[u8]) {
    for table in [
        Table::Tcp4,
        Table::Tcp6,
        Table::Udp4,
        Table::Udp6,
        Table::Unix,
    ] {
        let (mut inet, mut unix) = (Vec::new(), Vec::new());
        let _ = parse_datagram(buf, table, &mut inet, &mut unix);
        assert!(inet.len() + unix.len() <= buf.len() / NLMSG_HDRLEN);
    }
}

/// Walks the messages of one datagram. Returns `Ok(true)` at `NLMSG_DONE`.
fn parse_datagram(
    buf: &[u8],
    table: Table,
    inet: &mut Vec<InetSock>,
    unix: &mut Vec<UnixSock>,
) -> io::Result<bool> {
    let mut off = 0;
    while off + NLMSG_HDRLEN <= buf.len() {
        let len = u32_at(buf, off).ok_or_else(malformed)? as usize;
        let typ = u16_at(buf, off + 4).ok_or_else(malformed)?;
        let seq = u32_at(buf, off + 8).ok_or_else(malformed)?;
        if len < NLMSG_HDRLEN || off + len > buf.len() {
            return Err(malformed());
        }
        let payload = &buf[off + NLMSG_HDRLEN..off + len];
        if seq == SEQ {
            match typ {
                NLMSG_DONE => {
                    // Newer kernels put the dump's error code here.
                    if let Some(code) = u32_at(payload, 0) {
                        check_code(code)?;
                    }
                    return Ok(true);
                }
                NLMSG_ERROR => {
                    check_code(u32_at(payload, 0).ok_or_else(malformed)?)?;
                }
                SOCK_DIAG_BY_FAMILY | TCPDIAG_GETSOCK => match table {
                    Table::Unix => unix.push(parse_unix(payload).ok_or_else(malformed)?),
                    _ => inet.push(parse_inet(payload).ok_or_else(malformed)?),
                },
                _ => {}
            }
        }
        off += align4(len);
    }
    Ok(false)
}

/// Sends `req` and collects the records until `NLMSG_DONE`.
fn run(req: &[u8], table: Table) -> io::Result<(Vec<InetSock>, Vec<UnixSock>)> {
    let fd = open_socket()?;
    send(&fd, req)?;
    let mut buf = vec![0u8; RECV_BUF];
    let mut inet = Vec::new();
    let mut unix = Vec::new();
    loop {
        let n = recv(&fd, &mut buf)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "netlink closed before NLMSG_DONE",
            ));
        }
        if parse_datagram(&buf[..n], table, &mut inet, &mut unix)? {
            return Ok((inet, unix));
        }
    }
}

/// Dumps one socket table through `sock_diag`.
pub(super) fn dump(table: Table) -> io::Result<Rows> {
    let (inet, unix) = run(&request(table), table)?;
    Ok(match table {
        Table::Unix => Rows::Unix(unix),
        _ => Rows::Inet(inet),
    })
}

/// The TCP tables of both families from one dump: (tcp4, tcp6), each in
/// the kernel's order.
pub(super) fn dump_tcp_both() -> io::Result<(Rows, Rows)> {
    let (all, _) = run(&request_tcp_both(), Table::Tcp4)?;
    let (v6, v4): (Vec<InetSock>, Vec<InetSock>) = all.into_iter().partition(|s| s.v6);
    Ok((Rows::Inet(v4), Rows::Inet(v6)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(typ: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
        let len = NLMSG_HDRLEN + payload.len();
        let mut m = Vec::new();
        m.extend_from_slice(&(len as u32).to_ne_bytes());
        m.extend_from_slice(&typ.to_ne_bytes());
        m.extend_from_slice(&0u16.to_ne_bytes());
        m.extend_from_slice(&seq.to_ne_bytes());
        m.extend_from_slice(&0u32.to_ne_bytes());
        m.extend_from_slice(payload);
        while m.len() % 4 != 0 {
            m.push(0);
        }
        m
    }

    #[test]
    fn request_sizes() {
        assert_eq!(request(Table::Tcp4).len(), 16 + 56);
        assert_eq!(request(Table::Unix).len(), 16 + 24);
    }

    #[test]
    fn unix_reply_with_name_and_done() {
        let mut p = vec![1u8, 1, 1, 0];
        p.extend_from_slice(&4242u32.to_ne_bytes());
        p.extend_from_slice(&[0u8; 8]);
        // rtattr UNIX_DIAG_NAME "\0ab\0c" (5 bytes, padded to 8)
        p.extend_from_slice(&9u16.to_ne_bytes());
        p.extend_from_slice(&UNIX_DIAG_NAME.to_ne_bytes());
        p.extend_from_slice(b"\0ab\0c\0\0\0");
        let mut dgram = msg(SOCK_DIAG_BY_FAMILY, SEQ, &p);
        dgram.extend(msg(SOCK_DIAG_BY_FAMILY, 99, &p)); // other seq: ignored
        dgram.extend(msg(NLMSG_DONE, SEQ, &0i32.to_ne_bytes()));
        let (mut i, mut u) = (Vec::new(), Vec::new());
        assert!(parse_datagram(&dgram, Table::Unix, &mut i, &mut u).unwrap());
        assert_eq!(u.len(), 1);
        assert_eq!((u[0].stype, u[0].inode), (1, 4242));
        assert_eq!(u[0].path, b"@ab@c");
    }

    #[test]
    fn errors_and_garbage() {
        let err = msg(NLMSG_ERROR, SEQ, &(-libc::ENOENT).to_ne_bytes());
        let (mut i, mut u) = (Vec::new(), Vec::new());
        let e = parse_datagram(&err, Table::Tcp4, &mut i, &mut u).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOENT));
        // A length pointing past the end.
        let mut bad = msg(SOCK_DIAG_BY_FAMILY, SEQ, &[0u8; 72]);
        bad[0] = 200;
        assert!(parse_datagram(&bad, Table::Tcp4, &mut i, &mut u).is_err());
        // A record too short for inet_diag_msg.
        let short = msg(SOCK_DIAG_BY_FAMILY, SEQ, &[0u8; 10]);
        assert!(parse_datagram(&short, Table::Tcp4, &mut i, &mut u).is_err());
        // Trailing bytes shorter than a header are ignored.
        assert!(!parse_datagram(&[0u8; 7], Table::Tcp4, &mut i, &mut u).unwrap());
        // An error code of i32::MIN has no errno: malformed, not a panic.
        let min = msg(NLMSG_ERROR, SEQ, &i32::MIN.to_ne_bytes());
        let e = parse_datagram(&min, Table::Tcp4, &mut i, &mut u).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        let done = msg(NLMSG_DONE, SEQ, &i32::MIN.to_ne_bytes());
        assert!(parse_datagram(&done, Table::Unix, &mut i, &mut u).is_err());
    }

    #[test]
    fn names() {
        assert_eq!(unix_name(b"/tmp/x\0"), b"/tmp/x");
        assert_eq!(unix_name(b""), b"");
        assert_eq!(unix_name(b"\0"), b"@");
    }

    #[test]
    fn tcp_request_layout() {
        let r = request_tcp_both();
        assert_eq!(r.len(), 16 + 60);
        assert_eq!(u16_at(&r, 4), Some(TCPDIAG_GETSOCK));
        assert_eq!(u32_at(&r, 16 + 52), Some(u32::MAX), "all states");
    }

    #[test]
    fn one_tcp_dump_equals_the_two_per_family_dumps() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let listener6 = std::net::TcpListener::bind("[::1]:0").ok();
        let inodes = |rows: Rows| -> std::collections::BTreeSet<u64> {
            match rows {
                Rows::Inet(v) => v.iter().map(|s| s.inode).filter(|&i| i != 0).collect(),
                Rows::Unix(_) => panic!("inet expected"),
            }
        };
        let (Ok((v4, v6)), Ok(a), Ok(b)) = (dump_tcp_both(), dump(Table::Tcp4), dump(Table::Tcp6))
        else {
            return; // no tcp_diag in this kernel: the callers fall back
        };
        // Our own sockets do not move between the dumps.
        let own = |l: &std::net::TcpListener| {
            std::fs::metadata(format!("/proc/self/fd/{}", l.as_raw_fd()))
                .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
                .unwrap()
        };
        let (v4, v6, a, b) = (inodes(v4), inodes(v6), inodes(a), inodes(b));
        assert!(v4.contains(&own(&listener)) && a.contains(&own(&listener)));
        if let Some(l6) = &listener6 {
            assert!(v6.contains(&own(l6)) && b.contains(&own(l6)));
            assert!(!v4.contains(&own(l6)));
        }
    }

    /// Every table either answers with our own socket in it or fails
    /// cleanly (a kernel without that diag module; callers fall back).
    #[test]
    fn live_dump_finds_our_sockets() {
        let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let dir = std::env::temp_dir().join(format!("psutil-diag-{}", std::process::id()));
        let _ = std::fs::remove_file(&dir);
        let unix = std::os::unix::net::UnixListener::bind(&dir).unwrap();
        let inode = |fd: i32| {
            std::fs::metadata(format!("/proc/self/fd/{fd}"))
                .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
                .unwrap()
        };
        for (t, fd) in [
            (Table::Tcp4, tcp.as_raw_fd()),
            (Table::Udp4, udp.as_raw_fd()),
            (Table::Unix, unix.as_raw_fd()),
        ] {
            let inodes: Vec<u64> = match dump(t) {
                Ok(Rows::Inet(v)) => v.iter().map(|s| s.inode).collect(),
                Ok(Rows::Unix(v)) => v.iter().map(|s| s.inode).collect(),
                Err(e) => {
                    assert!(e.raw_os_error().is_some(), "{t:?}: {e}");
                    continue;
                }
            };
            assert!(inodes.contains(&inode(fd)), "{t:?}: our socket missing");
        }
        std::fs::remove_file(&dir).unwrap();
    }
}
