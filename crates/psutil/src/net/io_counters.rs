//! psutil's `net_io_counters()`, with and without `nowrap`.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::forksafe::ForkMutex;
use crate::nowrap::WrapTracker;
use crate::platform::imp::net as imp;
use crate::{ByRoot, NameMap, Result};

/// psutil's `snetio`: one NIC's (or the sum of all NICs') traffic, from
/// `/proc/net/dev`. Counts are bytes, packets or events since the NIC
/// appeared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct NetIoCounters {
    /// Bytes sent.
    pub bytes_sent: u64,
    /// Bytes received.
    pub bytes_recv: u64,
    /// Packets sent.
    pub packets_sent: u64,
    /// Packets received.
    pub packets_recv: u64,
    /// Receive errors.
    pub errin: u64,
    /// Transmit errors.
    pub errout: u64,
    /// Incoming packets dropped.
    pub dropin: u64,
    /// Outgoing packets dropped.
    pub dropout: u64,
}

impl NetIoCounters {
    /// The counters in `snetio` order (`bytes_sent`, `bytes_recv`,
    /// `packets_sent`, `packets_recv`, `errin`, `errout`, `dropin`,
    /// `dropout`), as psutil's tuple.
    pub fn from_array(a: [u64; 8]) -> Self {
        NetIoCounters {
            bytes_sent: a[0],
            bytes_recv: a[1],
            packets_sent: a[2],
            packets_recv: a[3],
            errin: a[4],
            errout: a[5],
            dropin: a[6],
            dropout: a[7],
        }
    }

    /// The counters in `snetio` order (see [`NetIoCounters::from_array`]).
    pub fn to_array(self) -> [u64; 8] {
        [
            self.bytes_sent,
            self.bytes_recv,
            self.packets_sent,
            self.packets_recv,
            self.errin,
            self.errout,
            self.dropin,
            self.dropout,
        ]
    }

    /// Adds `o` field by field, saturating at `u64::MAX`.
    fn add(&mut self, o: &NetIoCounters) {
        let mut acc = self.to_array();
        for (a, v) in acc.iter_mut().zip(o.to_array()) {
            *a = a.saturating_add(v);
        }
        *self = NetIoCounters::from_array(acc);
    }
}

/// psutil's `nowrap=True` bookkeeping for one caller: when a kernel counter
/// goes down (a 32-bit counter wrapped, or a NIC was re-created), the
/// previous value is added from then on, so the numbers this tracker
/// returns never decrease (see the crate's one implementation of that
/// rule, shared with [`crate::disk::DiskIoNowrap`]).
///
/// Each tracker is independent; psutil keeps one such state per process,
/// which [`net_io_counters`] reproduces.
#[derive(Debug, Default, Clone)]
pub struct NetIoNowrap {
    tracker: WrapTracker<8>,
}

impl NetIoNowrap {
    /// A tracker with no history.
    pub fn new() -> Self {
        Self::default()
    }

    /// psutil's `net_io_counters.cache_clear()`: forgets the history.
    pub fn cache_clear(&mut self) {
        self.tracker.clear();
    }

    /// psutil's `net_io_counters(pernic=False, nowrap=True)` with this
    /// tracker's history: the sum over every NIC, `None` without NICs.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Io`] when `/proc/net/dev` cannot be read.
    pub fn net_io_counters(&mut self) -> Result<Option<NetIoCounters>> {
        let per = self.net_io_counters_pernic()?;
        Ok(sum(&per))
    }

    /// psutil's `net_io_counters(pernic=True, nowrap=True)` with this
    /// tracker's history.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Io`] when `/proc/net/dev` cannot be read.
    pub fn net_io_counters_pernic(&mut self) -> Result<NameMap<NetIoCounters>> {
        let raw = imp::net_dev()?;
        Ok(to_map(self.tracker.apply(raw)))
    }
}

fn to_map(raw: Vec<(String, [u64; 8])>) -> NameMap<NetIoCounters> {
    raw.into_iter()
        .map(|(k, v)| (k, NetIoCounters::from_array(v)))
        .collect()
}

fn sum(per: &NameMap<NetIoCounters>) -> Option<NetIoCounters> {
    if per.is_empty() {
        return None;
    }
    let mut total = NetIoCounters::default();
    for v in per.values() {
        total.add(v);
    }
    Some(total)
}

/// The process-wide tracker behind [`net_io_counters`], as psutil keeps
/// one `nowrap` state per interpreter.
/// It starts over when the `/proc` root changes (see [`crate::Roots`]).
static GLOBAL_TRACKER: ForkMutex<ByRoot<NetIoNowrap>> = ForkMutex::new();

/// Runs `f` on the process-wide tracker of the `/proc` root in force.
fn with_global<R>(f: impl FnOnce(&mut NetIoNowrap) -> R) -> R {
    f(GLOBAL_TRACKER
        .lock(ByRoot::default)
        .under(crate::procfs_path()))
}

fn global_pernic(nowrap: bool) -> Result<NameMap<NetIoCounters>> {
    if !nowrap {
        return Ok(to_map(imp::net_dev()?));
    }
    with_global(NetIoNowrap::net_io_counters_pernic)
}

/// psutil's `net_io_counters(pernic=False, nowrap)`: traffic summed over
/// every NIC, `None` when there is none.
///
/// With `nowrap`, uses one process-wide history, exactly like psutil (every
/// caller in the process shares it; [`net_io_counters_cache_clear`] resets
/// it). Code that wants its own history uses a [`NetIoNowrap`].
///
/// ```
/// if let Some(c) = psutil::net::net_io_counters(true)? {
///     println!("sent {} bytes, received {} bytes", c.bytes_sent, c.bytes_recv);
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
///
/// # Errors
///
/// [`crate::Error::Io`] when `/proc/net/dev` cannot be read.
pub fn net_io_counters(nowrap: bool) -> Result<Option<NetIoCounters>> {
    Ok(sum(&global_pernic(nowrap)?))
}

/// psutil's `net_io_counters(pernic=True, nowrap)`: traffic per NIC, in
/// `/proc/net/dev` order (empty when there is no NIC). `nowrap` as in
/// [`net_io_counters`].
///
/// # Errors
///
/// [`crate::Error::Io`] when `/proc/net/dev` cannot be read.
pub fn net_io_counters_pernic(nowrap: bool) -> Result<NameMap<NetIoCounters>> {
    global_pernic(nowrap)
}

/// psutil's `net_io_counters.cache_clear()`: forgets the process-wide
/// `nowrap` history.
pub fn net_io_counters_cache_clear() {
    with_global(NetIoNowrap::cache_clear);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_counters_saturate() {
        // Two NICs at u64::MAX: the total stays at the limit, never wraps.
        let mut total = NetIoCounters::from_array([u64::MAX; 8]);
        total.add(&NetIoCounters::from_array([u64::MAX; 8]));
        assert_eq!(total, NetIoCounters::from_array([u64::MAX; 8]));
    }
}
