//! The `netdev` collector: counters per network interface
//! (`net_io_counters(pernic=True)`).

use psutil::net::{self, NetIoCounters};

use super::{Collector, Field, Outcome, Snapshot};
use crate::cmd::serve::metrics::{Desc, Exposition};

const LABELS: &[&str] = &["device"];

/// The families and the counter each reports.
const NIC: [Field<NetIoCounters>; 8] = [
    (
        Desc::counter(
            "psutil_network_receive_bytes_total",
            "Bytes received (net_io_counters().bytes_recv).",
            LABELS,
        ),
        |n| n.bytes_recv,
    ),
    (
        Desc::counter(
            "psutil_network_transmit_bytes_total",
            "Bytes sent (net_io_counters().bytes_sent).",
            LABELS,
        ),
        |n| n.bytes_sent,
    ),
    (
        Desc::counter(
            "psutil_network_receive_packets_total",
            "Packets received (net_io_counters().packets_recv).",
            LABELS,
        ),
        |n| n.packets_recv,
    ),
    (
        Desc::counter(
            "psutil_network_transmit_packets_total",
            "Packets sent (net_io_counters().packets_sent).",
            LABELS,
        ),
        |n| n.packets_sent,
    ),
    (
        Desc::counter(
            "psutil_network_receive_errs_total",
            "Receive errors (net_io_counters().errin).",
            LABELS,
        ),
        |n| n.errin,
    ),
    (
        Desc::counter(
            "psutil_network_transmit_errs_total",
            "Transmit errors (net_io_counters().errout).",
            LABELS,
        ),
        |n| n.errout,
    ),
    (
        Desc::counter(
            "psutil_network_receive_drop_total",
            "Incoming packets dropped (net_io_counters().dropin).",
            LABELS,
        ),
        |n| n.dropin,
    ),
    (
        Desc::counter(
            "psutil_network_transmit_drop_total",
            "Outgoing packets dropped (net_io_counters().dropout).",
            LABELS,
        ),
        |n| n.dropout,
    ),
];

/// Reads this collector's part of the snapshot.
pub fn collect(_: &mut Collector, s: &mut Snapshot) -> Outcome {
    let m = net::net_io_counters_pernic(false)?;
    s.nics = m.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    Ok(())
}

/// Writes this collector's families (pure).
pub fn render(s: &Snapshot, e: &mut Exposition) {
    for (nic, n) in &s.nics {
        for (desc, get) in &NIC {
            e.add(desc, &[nic], get(n));
        }
    }
}
