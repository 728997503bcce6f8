//! `psutil ifconfig`: every NIC with its state, traffic and addresses,
//! like psutil's ifconfig.py.

use psutil::net::{
    net_if_addrs, net_if_stats, net_io_counters_pernic, AddressFamily, NetIoCounters, NicAddr,
    NicDuplex, NicStats,
};
use psutil::NameMap;
use serde::Serialize;

use super::{Ctx, JSON_HELP};
use crate::error::CliError;
use crate::fmt::bytes2human;

/// `psutil ifconfig`.
#[derive(clap::Args)]
#[command(
    about = "network interfaces, like ifconfig",
    long_about = "Show each network interface like psutil's ifconfig.py: speed, duplex, MTU\n\
                 and up state (net_if_stats), incoming and outgoing traffic\n\
                 (net_io_counters), and IPv4, IPv6 and MAC addresses with netmask,\n\
                 broadcast and peer (net_if_addrs). With --json: an object per NIC with\n\
                 `addrs` (snicaddr list), `stats` (snicstats) and `io_counters`\n\
                 (snetio), null where psutil has no entry.",
    override_usage = "psutil ifconfig [--json]"
)]
pub struct Args {
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

#[derive(Serialize)]
struct Nic<'a> {
    addrs: &'a [NicAddr],
    stats: Option<&'a NicStats>,
    io_counters: Option<&'a NetIoCounters>,
}

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let addrs = net_if_addrs()?;
    let stats = net_if_stats()?;
    let io = net_io_counters_pernic(true)?;
    if a.json {
        let mut out: NameMap<Nic> = NameMap::new();
        for (nic, a) in addrs.iter() {
            out.insert(
                nic.to_string(),
                Nic {
                    addrs: a,
                    stats: stats.get(nic),
                    io_counters: io.get(nic),
                },
            );
        }
        return ctx.json(&out);
    }
    for (nic, list) in addrs.iter() {
        writeln!(ctx.out, "{nic}:")?;
        if let Some(st) = stats.get(nic) {
            let duplex = match st.duplex {
                NicDuplex::Full => "full",
                NicDuplex::Half => "half",
                NicDuplex::Unknown => "?",
            };
            writeln!(
                ctx.out,
                "    stats          : speed={}MB, duplex={duplex}, mtu={}, up={}",
                st.speed,
                st.mtu,
                if st.isup { "yes" } else { "no" }
            )?;
        }
        if let Some(c) = io.get(nic) {
            writeln!(
                ctx.out,
                "    incoming       : bytes={}, pkts={}, errs={}, drops={}",
                bytes2human(c.bytes_recv),
                c.packets_recv,
                c.errin,
                c.dropin
            )?;
            writeln!(
                ctx.out,
                "    outgoing       : bytes={}, pkts={}, errs={}, drops={}",
                bytes2human(c.bytes_sent),
                c.packets_sent,
                c.errout,
                c.dropout
            )?;
        }
        for a in list {
            let fam = match a.family {
                AddressFamily::Inet => "IPv4",
                AddressFamily::Inet6 => "IPv6",
                AddressFamily::Link => "MAC",
                AddressFamily::Unix => "UNIX",
            };
            writeln!(ctx.out, "    {fam:<4} address   : {}", a.address)?;
            if let Some(b) = &a.broadcast {
                writeln!(ctx.out, "         broadcast : {b}")?;
            }
            if let Some(m) = &a.netmask {
                writeln!(ctx.out, "         netmask   : {m}")?;
            }
            if let Some(p) = &a.ptp {
                writeln!(ctx.out, "      p2p       : {p}")?;
            }
        }
        writeln!(ctx.out)?;
    }
    Ok(())
}
