//! The network API against a fake `/proc` (fixtures under
//! `tests/fixtures/net/`) through `psutil::Roots`: socket tables with
//! v4-mapped IPv6, TIME_WAIT duplicates, UNIX paths with spaces and
//! abstract names, truncated lines, and `PID/fd` links to `socket:[N]`.

mod common;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use psutil::net::{
    net_connections, net_if_stats, net_io_counters, net_io_counters_pernic, Addr, AddressFamily,
    ConnStatus, Connection, ConnectionKind, SocketType,
};
use psutil::Process;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/net")
}

/// Builds the tree, points psutil at it, runs `f`, and restores `/proc`.
fn with_tree(tag: &str, f: impl FnOnce(&Path)) {
    let root = common::tempdir(tag).join("proc");
    std::fs::create_dir_all(root.join("net")).unwrap();
    for name in ["dev", "tcp", "tcp6", "udp", "unix"] {
        std::fs::copy(fixtures().join(name), root.join("net").join(name)).unwrap();
    }
    // udp6 is missing on purpose: a kernel without IPv6.
    let links: [(u32, &[(i32, &str)]); 2] = [
        (
            100,
            &[
                (3, "socket:[1001]"),
                (4, "socket:[1002]"),
                (5, "socket:[4001]"),
                (6, "socket:[4001]"),
                (7, "/dev/null"),
                (8, "pipe:[5]"),
            ],
        ),
        (
            200,
            &[
                (5, "socket:[2001]"),
                (7, "socket:[1002]"),
                (9, "socket:[4004]"),
            ],
        ),
    ];
    for (pid, fds) in links {
        let dir = root.join(pid.to_string());
        std::fs::create_dir_all(dir.join("fd")).unwrap();
        std::fs::write(dir.join("stat"), common::fake_stat_line(pid)).unwrap();
        for (fd, target) in fds {
            symlink(target, dir.join("fd").join(fd.to_string())).unwrap();
        }
    }
    // A PID whose fd directory cannot be read: skipped silently.
    std::fs::create_dir_all(root.join("300")).unwrap();
    // The fixture root applies to this test's thread (and the scan's
    // workers) only, so the tests run in parallel.
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _roots = common::fake_roots(Some(&root), None, None);
        f(&root)
    }));
    let _ = std::fs::remove_dir_all(root.parent().unwrap());
    if let Err(p) = r {
        std::panic::resume_unwind(p);
    }
}

fn inet(ip: &str, port: u16) -> Addr {
    Addr::Inet {
        ip: ip.parse().unwrap(),
        port,
    }
}

/// A connection's public fields, in `sconn` order (`Connection` itself is
/// non-exhaustive).
type Row = (
    i32,
    AddressFamily,
    SocketType,
    Addr,
    Addr,
    ConnStatus,
    Option<u32>,
);

fn conn(
    fd: i32,
    family: AddressFamily,
    type_: SocketType,
    laddr: Addr,
    raddr: Addr,
    status: ConnStatus,
    pid: Option<u32>,
) -> Row {
    (fd, family, type_, laddr, raddr, status, pid)
}

fn expected_all() -> Vec<Row> {
    use AddressFamily::*;
    use ConnStatus as S;
    use SocketType::*;
    let path = |p: &str| Addr::Path(p.into());
    let mut v = vec![
        conn(
            3,
            Inet,
            Stream,
            inet("127.0.0.1", 22),
            Addr::Empty,
            S::Listen,
            Some(100),
        ),
        // Shared by PIDs 100 and 200: the higher PID wins.
        conn(
            7,
            Inet,
            Stream,
            inet("10.0.0.5", 40521),
            inet("127.0.0.1", 22),
            S::Established,
            Some(200),
        ),
        // Two identical TIME_WAIT lines: one entry.
        conn(
            -1,
            Inet,
            Stream,
            inet("10.0.0.5", 40522),
            inet("127.0.0.1", 22),
            S::TimeWait,
            None,
        ),
        conn(
            5,
            Inet6,
            Stream,
            inet("::ffff:127.0.0.1", 40521),
            inet("::ffff:127.0.0.1", 22),
            S::Established,
            Some(200),
        ),
        conn(
            -1,
            Inet6,
            Stream,
            inet("::1", 80),
            Addr::Empty,
            S::Listen,
            None,
        ),
        conn(
            -1,
            Inet6,
            Stream,
            inet("fe80::ff:fe00:1", 80),
            Addr::Empty,
            S::Listen,
            None,
        ),
        conn(
            -1,
            Inet,
            Dgram,
            inet("0.0.0.0", 53),
            Addr::Empty,
            S::None,
            None,
        ),
        conn(
            -1,
            Inet,
            Dgram,
            inet("127.0.0.1", 53),
            inet("127.0.0.1", 8080),
            S::None,
            None,
        ),
        // One UNIX socket on two fds of one process: two entries.
        conn(
            5,
            Unix,
            Stream,
            path("/run/my app/sock et"),
            path(""),
            S::None,
            Some(100),
        ),
        conn(
            6,
            Unix,
            Stream,
            path("/run/my app/sock et"),
            path(""),
            S::None,
            Some(100),
        ),
        conn(
            -1,
            Unix,
            Dgram,
            path("@abstract-name"),
            path(""),
            S::None,
            None,
        ),
        conn(-1, Unix, SeqPacket, path(""), path(""), S::None, None),
        conn(
            9,
            Unix,
            Stream,
            path("/run/plain.sock"),
            path(""),
            S::None,
            Some(200),
        ),
    ];
    v.sort();
    v
}

fn sorted(v: Vec<Connection>) -> Vec<Row> {
    let mut v: Vec<Row> = v
        .into_iter()
        .map(|c| (c.fd, c.family, c.type_, c.laddr, c.raddr, c.status, c.pid))
        .collect();
    v.sort();
    v
}

#[test]
fn system_connections_from_fixture_tree() {
    with_tree("net-all", |_| {
        let conns = net_connections(ConnectionKind::All).unwrap();
        // The holder's identity was read by the scan: its process comes
        // back; an unknown holder has none.
        for c in &conns {
            match c.pid {
                Some(pid) => assert_eq!(c.process().unwrap().unwrap().pid(), pid),
                None => assert!(c.process().unwrap().is_none()),
            }
        }
        let all = sorted(conns);
        assert_eq!(all, expected_all());
        for &kind in ConnectionKind::ALL {
            let want: Vec<Row> = expected_all()
                .into_iter()
                .filter(|c| {
                    let fam_ok = match kind {
                        ConnectionKind::All => true,
                        ConnectionKind::Unix => c.1 == AddressFamily::Unix,
                        ConnectionKind::Inet | ConnectionKind::Tcp | ConnectionKind::Udp => {
                            c.1 != AddressFamily::Unix
                        }
                        ConnectionKind::Inet4 | ConnectionKind::Tcp4 | ConnectionKind::Udp4 => {
                            c.1 == AddressFamily::Inet
                        }
                        _ => c.1 == AddressFamily::Inet6,
                    };
                    let type_ok = match kind {
                        ConnectionKind::Tcp | ConnectionKind::Tcp4 | ConnectionKind::Tcp6 => {
                            c.2 == SocketType::Stream
                        }
                        ConnectionKind::Udp | ConnectionKind::Udp4 | ConnectionKind::Udp6 => {
                            c.2 == SocketType::Dgram
                        }
                        _ => true,
                    };
                    fam_ok && type_ok
                })
                .collect();
            assert_eq!(sorted(net_connections(kind).unwrap()), want, "{kind}");
        }
    });
}

#[test]
fn process_connections_from_fixture_tree() {
    with_tree("net-proc", |_| {
        let p = Process::new(100).unwrap();
        let mut got: Vec<(i32, String)> = p
            .net_connections(ConnectionKind::All)
            .unwrap()
            .into_iter()
            .map(|c| (c.fd, c.laddr.to_string()))
            .collect();
        got.sort();
        // Seen from PID 100 alone, the shared socket is its fd 4.
        assert_eq!(
            got,
            [
                (3, "127.0.0.1:22".to_string()),
                (4, "10.0.0.5:40521".to_string()),
                (5, "/run/my app/sock et".to_string()),
                (6, "/run/my app/sock et".to_string()),
            ]
        );
        let p = Process::new(200).unwrap();
        assert_eq!(p.net_connections(ConnectionKind::Tcp6).unwrap().len(), 1);
        assert_eq!(p.net_connections(ConnectionKind::Udp).unwrap(), []);
        assert_eq!(p.net_connections(ConnectionKind::Unix).unwrap().len(), 1);
    });
}

#[test]
fn io_counters_and_stats_from_fixture_tree() {
    with_tree("net-dev", |_| {
        let per = net_io_counters_pernic(false).unwrap();
        assert_eq!(per.keys().collect::<Vec<_>>(), ["lo", "ghost0"]);
        let g = per.get("ghost0").unwrap();
        assert_eq!(
            (g.bytes_sent, g.bytes_recv, g.packets_sent, g.packets_recv),
            (59766, 22403889, 619, 951)
        );
        assert_eq!((g.errin, g.errout, g.dropin, g.dropout), (1, 3, 2, 4));
        let total = net_io_counters(false).unwrap().unwrap();
        assert_eq!(total.bytes_recv, 3193 + 22403889);
        // NIC names come from the fixture; `ghost0` does not exist: skipped.
        let stats = net_if_stats().unwrap();
        assert_eq!(stats.keys().collect::<Vec<_>>(), ["lo"]);
        assert!(stats.get("lo").unwrap().flags.contains("loopback"));
    });
}

#[test]
fn empty_procfs_is_an_error() {
    let root = common::tempdir("net-empty");
    let roots = common::fake_roots(Some(&root), None, None);
    let (conns, io, stats) = (
        net_connections(ConnectionKind::Inet),
        net_io_counters(false),
        net_if_stats(),
    );
    drop(roots);
    let _ = std::fs::remove_dir_all(&root);
    for e in [conns.map(drop), io.map(drop), stats.map(drop)] {
        assert_eq!(e.unwrap_err().kind_name(), "OSError");
    }
}
