//! `psutil netstat`: sockets with their process, like psutil's netstat.py.

use std::collections::HashMap;

use psutil::net::{format_ip, net_connections, Addr, AddressFamily, ConnectionKind, SocketType};
use psutil::process::Attr;

use super::{all_infos, Ctx, JSON_HELP};
use crate::error::CliError;
use crate::fmt::{clean, truncate, Align, Table};

/// `psutil netstat`.
#[derive(clap::Args)]
#[command(
    about = "sockets and the processes holding them",
    long_about = "Show sockets like `netstat -antp`: Proto, Local address, Remote address,\n\
                 Status, PID and Program name. KIND is one of psutil's net_connections\n\
                 kinds: inet (default), inet4, inet6, tcp, tcp4, tcp6, udp, udp4, udp6,\n\
                 unix, all. `-` marks what is unknown (another user's process). With\n\
                 --json: the list of net_connections(KIND) entries (psutil's sconn\n\
                 fields: fd, family, type, laddr, raddr, status, pid).",
    override_usage = "psutil netstat [KIND] [--json]"
)]
pub struct Args {
    /// the kind of sockets (inet, inet4, inet6, tcp, tcp4, tcp6, udp, udp4,
    /// udp6, unix, all; default inet)
    #[arg(value_name = "KIND")]
    pub kind: Option<String>,
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

fn proto(family: AddressFamily, t: SocketType) -> &'static str {
    match (family, t) {
        (AddressFamily::Inet, SocketType::Stream) => "tcp",
        (AddressFamily::Inet6, SocketType::Stream) => "tcp6",
        (AddressFamily::Inet, SocketType::Dgram) => "udp",
        (AddressFamily::Inet6, SocketType::Dgram) => "udp6",
        (AddressFamily::Unix, _) => "unix",
        _ => "?",
    }
}

/// `ip:port` as netstat.py prints it (no brackets), or the path.
fn show(a: &Addr) -> String {
    match a {
        Addr::Inet { ip, port } => format!("{}:{port}", format_ip(*ip)),
        Addr::Empty => String::new(),
        Addr::Path(p) => clean(p),
    }
}

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let kind: ConnectionKind = match &a.kind {
        Some(k) => k
            .parse()
            .map_err(|e: psutil::Error| CliError::usage("netstat", e.to_string()))?,
        None => ConnectionKind::Inet,
    };
    let mut conns = net_connections(kind)?;
    conns.sort_by(|a, b| {
        (proto(a.family, a.type_), &a.laddr, a.pid).cmp(&(
            proto(b.family, b.type_),
            &b.laddr,
            b.pid,
        ))
    });
    if a.json {
        return ctx.json_lines(&conns);
    }
    let names: HashMap<u32, String> = all_infos(&[Attr::Name])?
        .into_iter()
        .filter_map(|i| i.name.map(|n| (i.pid, n.to_string_lossy().into_owned())))
        .collect();
    let mut t = Table::new(&[
        ("Proto", Align::Left),
        ("Local address", Align::Left),
        ("Remote address", Align::Left),
        ("Status", Align::Left),
        ("PID", Align::Left),
        ("Program name", Align::Left),
    ]);
    for c in &conns {
        let raddr = show(&c.raddr);
        let (pid, name) = match c.pid {
            Some(pid) => (
                pid.to_string(),
                names
                    .get(&pid)
                    .map(|n| truncate(&clean(n), 15))
                    .unwrap_or_else(|| "?".into()),
            ),
            None => ("-".into(), "-".into()),
        };
        t.push(vec![
            proto(c.family, c.type_).to_string(),
            show(&c.laddr),
            if raddr.is_empty() { "-".into() } else { raddr },
            c.status.to_string(),
            pid,
            name,
        ]);
    }
    t.write(ctx.out, ctx.width)?;
    Ok(())
}
