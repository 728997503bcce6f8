//! Live network tests: sockets opened by a child are found with the right
//! pid, fd, addresses and status; loopback traffic moves the counters; and
//! every function agrees with real psutil 7.2.2 and with `ip`.

mod common;
#[path = "helpers/socket_kid.rs"]
mod socket_kid;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;

use psutil::net::{
    format_ip, net_connections, net_connections_with, net_if_addrs, net_if_stats, net_io_counters,
    net_io_counters_pernic, Addr, AddressFamily, Connection, ConnectionKind, NetIoNowrap,
    NicAddress, ProcessConnection,
};
use psutil::{Process, Threads};
use serde_json::{json, Value};
use socket_kid::SocketKid;

/// The tests look at system-wide socket tables: one at a time, across
/// test processes too (the CLI's netstat tests take the same lock).
fn serial() -> std::fs::File {
    common::file_lock("sockets")
}

/// psutil's JSON form of a laddr/raddr.
fn addr_json(a: &Addr) -> Value {
    match a {
        Addr::Inet { ip, port } => json!([format_ip(*ip), port]),
        Addr::Empty => json!([]),
        Addr::Path(p) => json!(p.to_string_lossy()),
    }
}

/// A connection as the JSON list psutil's sconn dumps to.
fn conn_json(c: &Connection) -> Value {
    json!([
        c.fd,
        c.family.as_i32(),
        c.type_.as_i32(),
        addr_json(&c.laddr),
        addr_json(&c.raddr),
        c.status.as_str(),
        c.pid
    ])
}

fn pconn_json(c: &ProcessConnection) -> Value {
    json!([
        c.fd,
        c.family.as_i32(),
        c.type_.as_i32(),
        addr_json(&c.laddr),
        addr_json(&c.raddr),
        c.status.as_str()
    ])
}

/// Whether a socket of (family, type) belongs to `kind`.
fn in_kind(kind: ConnectionKind, family: i64, stype: i64) -> bool {
    let (tcp, udp) = (stype == 1, stype == 2);
    let (v4, v6, unix) = (family == 2, family == 10, family == 1);
    match kind {
        ConnectionKind::All => true,
        ConnectionKind::Inet => v4 || v6,
        ConnectionKind::Inet4 => v4,
        ConnectionKind::Inet6 => v6,
        ConnectionKind::Tcp => (v4 || v6) && tcp,
        ConnectionKind::Tcp4 => v4 && tcp,
        ConnectionKind::Tcp6 => v6 && tcp,
        ConnectionKind::Udp => (v4 || v6) && udp,
        ConnectionKind::Udp4 => v4 && udp,
        ConnectionKind::Udp6 => v6 && udp,
        ConnectionKind::Unix => unix,
    }
}

fn expected_for(kid: &SocketKid, kind: ConnectionKind) -> BTreeSet<String> {
    kid.expected
        .values()
        .filter(|v| in_kind(kind, v[1].as_i64().unwrap(), v[2].as_i64().unwrap()))
        .map(|v| v.to_string())
        .collect()
}

fn check_child_sockets(kid: &SocketKid) {
    let pid = kid.pid();
    let proc = Process::new(pid).unwrap();
    for &kind in ConnectionKind::ALL {
        let want = expected_for(kid, kind);
        let got: BTreeSet<String> = net_connections(kind)
            .unwrap()
            .iter()
            .filter(|c| c.pid == Some(pid))
            .map(|c| {
                let mut v = conn_json(c);
                v.as_array_mut().unwrap().pop();
                v.to_string()
            })
            .collect();
        assert_eq!(got, want, "net_connections({kind})");
        let got: BTreeSet<String> = proc
            .net_connections(kind)
            .unwrap()
            .iter()
            .map(|c| pconn_json(c).to_string())
            .collect();
        assert_eq!(got, want, "Process.net_connections({kind})");
    }
}

#[test]
fn child_sockets_found_for_every_kind() {
    let _g = serial();
    let Some(kid) = SocketKid::start() else {
        return;
    };
    assert_eq!(kid.expected.len(), 16);
    let mapped = &kid.expected["mapped_client"];
    assert_eq!(mapped[1], 10);
    assert!(mapped[3][0]
        .as_str()
        .unwrap()
        .starts_with("::ffff:127.0.0.1"));
    check_child_sockets(&kid);
}

#[test]
fn proc_fallback_matches_netlink() {
    let _g = serial();
    let Some(kid) = SocketKid::start() else {
        return;
    };
    let sorted = |v: Vec<Connection>| -> Vec<Connection> {
        let mut v: Vec<Connection> = v.into_iter().filter(|c| c.pid == Some(kid.pid())).collect();
        v.sort();
        v
    };
    let nl = sorted(net_connections(ConnectionKind::All).unwrap());
    std::env::set_var("PSUTIL_NO_NETLINK", "1");
    let procfs = sorted(net_connections(ConnectionKind::All).unwrap());
    check_child_sockets(&kid);
    std::env::remove_var("PSUTIL_NO_NETLINK");
    assert_eq!(nl, procfs);
}

#[test]
fn unowned_and_shared_sockets() {
    let _g = serial();
    // Our own listener: pid is us, fd is a real descriptor.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let me = std::process::id();
    let conns = net_connections(ConnectionKind::Tcp4).unwrap();
    let c = conns
        .iter()
        .find(|c| c.laddr.port() == Some(port) && c.status.as_str() == "LISTEN")
        .expect("own listener");
    assert_eq!(c.pid, Some(me));
    assert!(c.fd >= 0);
    assert_eq!(c.family, AddressFamily::Inet);
    assert_eq!(c.raddr, Addr::Empty);
    // Kind strings, and psutil's error for a bad one.
    let e = "foo".parse::<ConnectionKind>().unwrap_err();
    assert!(e
        .psutil_message()
        .to_string()
        .starts_with("invalid kind argument 'foo'; valid ones are: ('all'"));
    assert_eq!(
        "tcp4".parse::<ConnectionKind>().unwrap(),
        ConnectionKind::Tcp4
    );
}

#[test]
fn connection_leads_to_its_verified_process() {
    let _g = serial();
    // The listener becomes the child's stdin: only the child holds it.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let mut kid = Command::new("sleep")
        .arg("60")
        .stdin(std::process::Stdio::from(std::os::fd::OwnedFd::from(l)))
        .spawn()
        .unwrap();
    let find = || {
        net_connections_with(ConnectionKind::Tcp4, Threads::Caller)
            .unwrap()
            .into_iter()
            .find(|c| c.laddr.port() == Some(port))
            .expect("child's listener")
    };
    let c = find();
    assert_eq!((c.pid, c.fd), (Some(kid.id()), 0));
    let p = c.process().unwrap().expect("known holder");
    assert_eq!(p, Process::new(kid.id()).unwrap());
    let pc = p.net_connections(ConnectionKind::Tcp4).unwrap();
    assert_eq!(pc[0].process().unwrap(), Some(p));
    kid.kill().unwrap();
    kid.wait().unwrap();
    let e = c.process().unwrap_err();
    assert!(e.is_no_such_process(), "{e}");
    assert!(pc[0].process().unwrap_err().is_no_such_process());
}

#[test]
fn loopback_traffic_moves_io_counters() {
    let _g = serial();
    let before = net_io_counters_pernic(true).unwrap();
    let lo0 = *before.get("lo").expect("lo");
    let total0 = net_io_counters(true).unwrap().unwrap();
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let t = std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).unwrap();
        buf.len()
    });
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(&vec![7u8; 200_000]).unwrap();
    drop(c);
    assert_eq!(t.join().unwrap(), 200_000);
    let lo1 = *net_io_counters_pernic(true).unwrap().get("lo").unwrap();
    assert!(
        lo1.bytes_sent >= lo0.bytes_sent + 200_000,
        "{lo0:?} {lo1:?}"
    );
    assert!(lo1.bytes_recv >= lo0.bytes_recv + 200_000);
    assert!(lo1.packets_sent > lo0.packets_sent);
    assert!(lo1.packets_recv > lo0.packets_recv);
    let total1 = net_io_counters(false).unwrap().unwrap();
    assert!(total1.bytes_sent >= total0.bytes_sent + 200_000);
    // A private tracker starts from its own first reading.
    let mut t = NetIoNowrap::new();
    let a = t.net_io_counters().unwrap().unwrap();
    t.cache_clear();
    assert!(t.net_io_counters().unwrap().unwrap().bytes_recv >= a.bytes_recv);
}

// ---------------------------------------------------------------- oracle

/// psutil's string for an optional NIC address.
fn addr_text(a: &Option<NicAddress>) -> Option<String> {
    a.as_ref().map(ToString::to_string)
}

#[test]
fn net_if_addrs_matches_psutil() {
    let _g = serial();
    let Some(want) = common::oracle_json(
        "print(json.dumps([[n, [[int(a.family), a.address, a.netmask, a.broadcast, a.ptp] \
         for a in v]] for n, v in psutil.net_if_addrs().items()]))",
    ) else {
        return;
    };
    let got: Vec<Value> = net_if_addrs()
        .unwrap()
        .iter()
        .map(|(n, v)| {
            let addrs: Vec<Value> = v
                .iter()
                .map(|a| {
                    json!([
                        a.family.as_i32(),
                        a.address.to_string(),
                        addr_text(&a.netmask),
                        addr_text(&a.broadcast),
                        addr_text(&a.ptp)
                    ])
                })
                .collect();
            json!([n, addrs])
        })
        .collect();
    assert_eq!(Value::Array(got), want);
}

#[test]
fn net_if_stats_matches_psutil() {
    let _g = serial();
    let Some(want) = common::oracle_json(
        "print(json.dumps([[n, s.isup, int(s.duplex), s.speed, s.mtu, s.flags] \
         for n, s in psutil.net_if_stats().items()]))",
    ) else {
        return;
    };
    let got: Vec<Value> = net_if_stats()
        .unwrap()
        .iter()
        .map(|(n, s)| json!([n, s.isup, s.duplex.as_i32(), s.speed, s.mtu, s.flags]))
        .collect();
    assert_eq!(Value::Array(got), want);
}

#[test]
fn net_io_counters_match_psutil() {
    let _g = serial();
    let before = net_io_counters_pernic(false).unwrap();
    let Some(want) = common::oracle_json(
        "print(json.dumps([[n, list(c)] for n, c in psutil.net_io_counters(pernic=True).items()]))",
    ) else {
        return;
    };
    let after = net_io_counters_pernic(false).unwrap();
    let want = want.as_array().unwrap();
    assert_eq!(
        want.iter()
            .map(|p| p[0].as_str().unwrap())
            .collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for pair in want {
        let name = pair[0].as_str().unwrap();
        let w: Vec<u64> = pair[1]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .collect();
        let arr = |c: &psutil::net::NetIoCounters| {
            [
                c.bytes_sent,
                c.bytes_recv,
                c.packets_sent,
                c.packets_recv,
                c.errin,
                c.errout,
                c.dropin,
                c.dropout,
            ]
        };
        let (b, a) = (
            arr(before.get(name).unwrap()),
            arr(after.get(name).unwrap()),
        );
        for i in 0..8 {
            assert!(
                b[i] <= w[i] && w[i] <= a[i],
                "{name} field {i}: {b:?} {w:?} {a:?}"
            );
        }
    }
}

#[test]
fn net_connections_match_psutil() {
    let _g = serial();
    let Some(kid) = SocketKid::start() else {
        return;
    };
    let pid = kid.pid();
    // Stable sockets: the child's, and every listening socket.
    let stable = |v: &Value| v[6] == json!(pid) || v[5] == "LISTEN";
    // The one deliberate difference: psutil 7.2.2 splits /proc/net/unix
    // lines on whitespace and reports "" for a path containing a space; we
    // report the path.
    let as_psutil = |mut v: Value| {
        if v[1] == 1
            && v[3]
                .as_str()
                .is_some_and(|p| p.contains(char::is_whitespace))
        {
            v[3] = json!("");
        }
        v
    };
    let ours = |kind: ConnectionKind| -> BTreeSet<String> {
        net_connections(kind)
            .unwrap()
            .iter()
            .map(conn_json)
            .map(as_psutil)
            .filter(stable)
            .map(|v| v.to_string())
            .collect()
    };
    for kind in ["all", "inet", "tcp6", "udp", "unix"] {
        // Ours just before and just after the oracle: a socket present in
        // both must be in psutil's answer, and psutil's must be in one of
        // them (other test processes open and close listeners meanwhile).
        let before = ours(kind.parse().unwrap());
        let Some(want) = common::oracle_json(&format!(
            "print(json.dumps([[c.fd, int(c.family), int(c.type), c.laddr, c.raddr, c.status, \
             c.pid] for c in psutil.net_connections({kind:?})]))"
        )) else {
            return;
        };
        let want: BTreeSet<String> = want
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| stable(v))
            .map(|v| v.to_string())
            .collect();
        let after = ours(kind.parse().unwrap());
        let both: BTreeSet<String> = before.intersection(&after).cloned().collect();
        let either: BTreeSet<String> = before.union(&after).cloned().collect();
        assert!(
            both.is_subset(&want) && want.is_subset(&either),
            "kind {kind}:\n ours before {before:?}\n psutil {want:?}\n ours after {after:?}"
        );
        // The child's sockets do not move: they must match exactly.
        let child = |set: &BTreeSet<String>| -> BTreeSet<String> {
            set.iter()
                .filter(|v| serde_json::from_str::<Value>(v).is_ok_and(|v| v[6] == json!(pid)))
                .cloned()
                .collect()
        };
        assert_eq!(
            child(&before),
            child(&want),
            "kind {kind}: the child's sockets"
        );
    }
    // Process.net_connections, as psutil's pconn lists.
    let Some(want) = common::oracle_json(&format!(
        "print(json.dumps([[c.fd, int(c.family), int(c.type), c.laddr, c.raddr, c.status] \
         for c in psutil.Process({pid}).net_connections('all')]))"
    )) else {
        return;
    };
    let want: BTreeSet<String> = want
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.to_string())
        .collect();
    let got: BTreeSet<String> = Process::new(pid)
        .unwrap()
        .net_connections(ConnectionKind::All)
        .unwrap()
        .iter()
        .map(|c| as_psutil(pconn_json(c)).to_string())
        .collect();
    assert_eq!(got, want);
}

// ------------------------------------------------------------------- ip

/// `ip -o addr` lists the same IPv4/IPv6 addresses, netmasks and
/// broadcasts (psutil's test_net_if_addrs_ips does the same with ip/ifconfig).
#[test]
fn net_if_addrs_matches_ip_command() {
    let _g = serial();
    let Ok(out) = Command::new("ip").args(["-o", "addr"]).output() else {
        eprintln!("skipped: no ip command");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let ours = net_if_addrs().unwrap();
    let mut checked = 0;
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 4 {
            continue;
        }
        let nic = f[1].trim_end_matches(':').split('@').next().unwrap();
        let (fam, cidr) = (f[2], f[3]);
        let (ip, prefix) = cidr.split_once('/').unwrap_or((cidr, "32"));
        let prefix: u32 = prefix.parse().unwrap();
        let list = ours.get(nic).unwrap_or_else(|| panic!("{nic} missing"));
        match fam {
            "inet" => {
                let a = list
                    .iter()
                    .find(|a| a.family == AddressFamily::Inet && a.address.to_string() == ip)
                    .unwrap_or_else(|| panic!("{ip} on {nic}"));
                let mask = if prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - prefix)
                };
                assert_eq!(
                    addr_text(&a.netmask),
                    Some(std::net::Ipv4Addr::from(mask).to_string())
                );
                if let Some(i) = f.iter().position(|x| *x == "brd") {
                    assert_eq!(addr_text(&a.broadcast).as_deref(), Some(f[i + 1]));
                }
                if let Some(i) = f.iter().position(|x| *x == "peer") {
                    let peer = f[i + 1].split('/').next().unwrap();
                    assert_eq!(addr_text(&a.ptp).as_deref(), Some(peer));
                }
            }
            "inet6" => {
                assert!(
                    list.iter()
                        .any(|a| a.family == AddressFamily::Inet6
                            && a.address.ip() == ip.parse().ok()),
                    "{ip} on {nic}"
                );
            }
            _ => continue,
        }
        checked += 1;
    }
    assert!(checked > 0);
    // MAC addresses as `ip -o link` shows them.
    let out = Command::new("ip").args(["-o", "link"]).output().unwrap();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let Some(i) = f.iter().position(|x| *x == "link/ether") else {
            continue;
        };
        let nic = f[1].trim_end_matches(':').split('@').next().unwrap();
        let mac = ours
            .get(nic)
            .and_then(|l| l.iter().find(|a| a.family == AddressFamily::Link))
            .map(|a| a.address.to_string());
        assert_eq!(mac.as_deref(), Some(f[i + 1]), "{nic}");
    }
}
